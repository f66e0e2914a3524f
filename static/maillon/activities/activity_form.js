// The activity form without page reloads: show the fields the chosen options need, and keep the
// administrative themes disabled until « Aide aux démarches administratives » is ticked.
// Without this script every field stays visible and the server's messages say the same.
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

  function update() {
    form.querySelectorAll("[data-visible-when]").forEach(function (element) {
      var rule = element.dataset.visibleWhen;
      var visible;
      if (rule === "commune") {
        visible = needsCommune();
      } else {
        var parts = rule.split(":");
        visible = valueOf(parts[0]) === parts[1];
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
  }

  form.addEventListener("change", update);
  update();
  var summary = document.getElementById("erreurs");
  if (summary) {
    summary.focus();
  }
})();
