// A form is sent once: its submit buttons are disabled while the request runs (a double click files
// nothing twice; the server also refuses a replayed creation, qualite/outils/revisions.py).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || form.dataset.envoye === "1") {
    if (form.dataset.envoye === "1") { event.preventDefault(); }
    return;
  }
  form.dataset.envoye = "1";
  form.setAttribute("aria-busy", "true");
  // After this event, so the clicked button's name and value are still sent.
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])").forEach(function (b) {
      b.disabled = true;
    });
  }, 0);
  // A download (PDF, export) keeps the page: the form is usable again after a while.
  window.setTimeout(function () {
    delete form.dataset.envoye;
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button, input[type=submit]").forEach(function (b) { b.disabled = false; });
  }, 8000);
});
