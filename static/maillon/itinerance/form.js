// « Planifier l'aller-vers »: while the server solves (up to the time limit), say so and keep
// the button from sending the form twice. The form works the same without this script.
(function () {
  "use strict";
  var form = document.querySelector("form.maillon-itinerance-form");
  var status = document.getElementById("itinerance-calcul");
  if (!form || !status) {
    return;
  }
  form.addEventListener("submit", function () {
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      button.disabled = true;
    }
    status.textContent = form.dataset.busyMessage || "Calcul en cours…";
  });
})();
