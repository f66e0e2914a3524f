// « Planifier l'aller-vers »: while the server solves (up to the time limit), say so and keep
// the button from sending the form twice. The form works the same without this script.
(function () {
  "use strict";
  var form = document.querySelector("form.maillon-itinerance-form");
  var status = document.getElementById("itinerance-calcul");
  if (!form || !status) {
    return;
  }
  var button = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function () {
    if (button) {
      button.disabled = true;
    }
    status.textContent = form.dataset.busyMessage || "Calcul en cours…";
  });
  // Back from the plan's page, the browser may restore this page as it was left: usable again.
  window.addEventListener("pageshow", function () {
    if (button) {
      button.disabled = false;
    }
    status.textContent = "";
  });
})();
