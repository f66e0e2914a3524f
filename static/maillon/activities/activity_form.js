// The activity forms without page reloads: show the fields the chosen options need, keep the
// administrative themes disabled until « Aide aux démarches administratives » is ticked, and make
// each group of checkboxes a single Tab stop crossed with the arrow keys.
// Without this script every field stays visible, every box is a Tab stop, and the server's
// messages say the same.
(function () {
  "use strict";
  var form = document.getElementById("formulaire-activite");
  if (!form) {
    return;
  }
  var aidCode = form.dataset.aidCode;

  function valueOf(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) {
      return checked.value;
    }
    var select = form.querySelector('select[name="' + name + '"]');
    if (select) {
      return select.value;
    }
    // The beneficiary picker's chips carry hidden inputs.
    var hidden = form.querySelector('input[type="hidden"][name="' + name + '"]');
    return hidden ? hidden.value : "";
  }

  function isChosen(name, value) {
    // Any ticked box of a checkbox list counts, not only the first one.
    if (value && form.querySelector('input[name="' + name + '"][value="' + value + '"]:checked')) {
      return true;
    }
    return valueOf(name) === value;
  }

  function needsCommune() {
    var kind = valueOf("place_kind");
    if (kind === "domicile" || kind === "autre") {
      return true;
    }
    var select = form.querySelector('select[name="place"]');
    if (kind !== "lieu_activite" || !select || !select.value) {
      return false;
    }
    return (select.dataset.itinerant || "").split(" ").indexOf(select.value) !== -1;
  }

  // Roving focus: in a group of checkboxes only one box is in the Tab order; the arrow keys move
  // to the previous or next usable box (wrapping), Space ticks it as usual.
  function usableBoxes(group) {
    return Array.prototype.filter.call(
      group.querySelectorAll('input[type="checkbox"]'),
      function (box) {
        return !box.matches(":disabled");
      }
    );
  }

  function rove(group) {
    var boxes = usableBoxes(group);
    var all = group.querySelectorAll('input[type="checkbox"]');
    if (!boxes.length) {
      return;
    }
    var current = boxes.filter(function (box) {
      return box === document.activeElement;
    })[0];
    var checked = boxes.filter(function (box) {
      return box.checked;
    })[0];
    var target = current || checked || boxes[0];
    all.forEach(function (box) {
      box.tabIndex = box === target ? 0 : -1;
    });
  }

  function setUpGroup(group) {
    var legend = group.querySelector("legend");
    if (legend) {
      var hint = document.createElement("span");
      hint.className = "fr-hint-text";
      hint.textContent = "Flèches pour passer d’une case à l’autre, Espace pour cocher.";
      legend.appendChild(hint);
    }
    group.addEventListener("keydown", function (event) {
      var keys = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
      var step = keys[event.key];
      if (!step || event.target.type !== "checkbox") {
        return;
      }
      var boxes = usableBoxes(group);
      var index = boxes.indexOf(event.target);
      if (index === -1) {
        return;
      }
      event.preventDefault();
      var next = boxes[(index + step + boxes.length) % boxes.length];
      next.focus();
      rove(group);
    });
    group.addEventListener("focusin", function () {
      rove(group);
    });
    rove(group);
  }

  var groups = form.querySelectorAll("[data-groupe-clavier]");

  function update() {
    form.querySelectorAll("[data-visible-when]").forEach(function (element) {
      var rule = element.dataset.visibleWhen;
      var visible;
      if (rule === "commune") {
        visible = needsCommune();
      } else {
        var parts = rule.split(":");
        visible = isChosen(parts[0], parts[1]);
      }
      element.hidden = !visible;
    });
    var aid = form.querySelector('input[name="themes"][value="' + aidCode + '"]');
    var enabled = Boolean(aid && aid.checked);
    var group = document.getElementById("id_administrative_themes-groupe");
    if (group) {
      group.disabled = !enabled;
    }
    var procedure = form.querySelector('input[name="procedure_name"]');
    if (procedure) {
      procedure.disabled = !enabled;
    }
    groups.forEach(rove);
  }

  // The beneficiary picker (ADR 0015): typing searches (htmx), a result button becomes a chip
  // carrying a hidden input, « Retirer » removes it. Its « Rechercher » and « Retirer » buttons
  // post the form only without this script; here they must not be the form's default button.
  function setUpPicker(picker) {
    var field = picker.dataset.champ;
    var multiple = picker.dataset.multiple === "oui";
    var input = picker.querySelector('input[name="q"]');
    var status = document.getElementById("selecteur-statut");
    var results = document.getElementById("selecteur-resultats");
    var chips = document.getElementById("selecteur-choisis");
    var empty = document.getElementById("selecteur-vide");
    var model = document.getElementById("selecteur-modele");
    // (The design system's buttons override `hidden`: their wrapper is hidden instead.)
    var searchButton = picker.querySelector("[data-rechercher]");
    searchButton.querySelector("button").type = "button";
    searchButton.hidden = true;
    picker.querySelectorAll("[data-retirer]").forEach(function (button) {
      button.type = "button";
    });

    function refresh() {
      empty.hidden = chips.children.length > 0;
      update();
    }

    function choose(value, label) {
      var present = chips.querySelector('input[name="' + field + '"][value="' + value + '"]');
      if (!present) {
        if (!multiple) {
          chips.textContent = "";
        }
        var chip = model.content.firstElementChild.cloneNode(true);
        chip.querySelector("input").value = value;
        chip.querySelector(".fr-tag").textContent = label;
        chip.querySelector(".fr-sr-only").textContent = " " + label;
        chips.appendChild(chip);
      }
      results.textContent = "";
      input.value = "";
      status.textContent = "Bénéficiaire choisi : " + label + ".";
      refresh();
      input.focus();
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        htmx.trigger(input, "rechercher");
      }
    });
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail.target !== results) {
        return;
      }
      var holder = results.querySelector("[data-compte]");
      status.textContent = holder ? holder.dataset.compte : "";
    });
    results.addEventListener("click", function (event) {
      var button = event.target.closest("[data-choisir]");
      if (button) {
        choose(button.dataset.choisir, button.dataset.libelle);
      }
    });
    chips.addEventListener("click", function (event) {
      var button = event.target.closest("[data-retirer]");
      if (!button) {
        return;
      }
      var chip = button.closest("li");
      var label = chip.querySelector(".fr-tag").textContent;
      chip.remove();
      status.textContent = "Bénéficiaire retiré : " + label + ".";
      refresh();
      input.focus();
    });
  }

  var picker = document.getElementById("selecteur-beneficiaires");
  if (picker && window.htmx) {
    setUpPicker(picker);
  }

  groups.forEach(setUpGroup);
  form.addEventListener("change", update);
  update();
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
})();
