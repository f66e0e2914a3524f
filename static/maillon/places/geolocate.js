// « Autour de moi »: asks the browser for its position, fills the search form's lat/lon fields and
// sends it. The position goes to this site only, with the search; no other service is called.
(function () {
  "use strict";
  var button = document.querySelector("[data-geolocate]");
  if (!button) {
    return;
  }
  var form = button.form;
  var status = form.querySelector("[data-geolocate-status]");
  function positionField(name) {
    var field = form.querySelector("input[name=" + name + "]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      form.appendChild(field);
    }
    return field;
  }
  var fallback = " Saisissez plutôt une commune ou un code postal.";

  // A commune typed after « Autour de moi » replaces the position (the search ignores q otherwise).
  var queryField = form.querySelector("input[name=q]");
  if (queryField) {
    queryField.addEventListener("input", function () {
      form.querySelectorAll("input[name=lat], input[name=lon]").forEach(function (field) {
        field.remove();
      });
    });
  }

  function say(text) {
    status.textContent = text;
  }

  if (!("geolocation" in navigator)) {
    say("Votre navigateur ne permet pas de vous localiser." + fallback);
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    say("Recherche de votre position…");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        positionField("lat").value = position.coords.latitude.toFixed(5);
        positionField("lon").value = position.coords.longitude.toFixed(5);
        if (queryField) {
          queryField.value = "";
        }
        say("Position trouvée, recherche des lieux autour de vous…");
        form.submit();
      },
      function (error) {
        button.disabled = false;
        if (error.code === error.PERMISSION_DENIED) {
          say("Vous n'avez pas autorisé la localisation." + fallback);
        } else if (error.code === error.TIMEOUT) {
          say("La localisation a pris trop de temps." + fallback);
        } else {
          say("Votre position n'a pas pu être déterminée." + fallback);
        }
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 }
    );
  });
})();
