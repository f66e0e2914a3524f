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
    return select ? select.value : "";
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

  groups.forEach(setUpGroup);
  form.addEventListener("change", update);
  update();
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
})();
