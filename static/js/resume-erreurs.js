// A form sent back with errors: a summary at the top of the page takes the focus, says how many errors there
// are and links to each field (RGAA 11.10, 11.11). Built from the fields the server marked invalid.
(function () {
  function texte(el) { return el ? el.textContent.replace(/\s+/g, " ").trim() : ""; }
  document.addEventListener("DOMContentLoaded", function () {
    var main = document.getElementById("contenu");
    if (!main || document.getElementById("resume-erreurs")) { return; }
    var items = [];
    var vus = {};
    main.querySelectorAll("form .is-invalid[id]").forEach(function (champ) {
      var nom = champ.name || champ.id;
      if (vus[nom]) { return; }
      vus[nom] = true;
      var bloc = champ.closest(".mb-3, .mb-2, fieldset, .form-group") || champ.parentElement;
      var libelle = main.querySelector('label[for="' + champ.id + '"]');
      if (champ.type === "checkbox" || champ.type === "radio") {
        libelle = (bloc && bloc.querySelector("legend, .form-label")) || libelle;
      }
      var message = bloc ? bloc.querySelector(".invalid-feedback") : null;
      items.push({ id: champ.id, libelle: texte(libelle).replace(/\*$/, ""), message: texte(message) });
    });
    var generales = main.querySelectorAll("form .alert-danger, form .alert-block");
    if (!items.length && !generales.length) { return; }
    var resume = document.createElement("div");
    resume.id = "resume-erreurs";
    resume.className = "alert alert-danger";
    resume.setAttribute("role", "alert");
    resume.setAttribute("tabindex", "-1");
    var titre = document.createElement("h2");
    titre.className = "h5";
    var n = items.length + generales.length;
    titre.textContent = n > 1 ? "Le formulaire contient " + n + " erreurs" : "Le formulaire contient une erreur";
    resume.appendChild(titre);
    var liste = document.createElement("ul");
    liste.className = "mb-0";
    generales.forEach(function (alerte) {
      var li = document.createElement("li");
      li.textContent = texte(alerte);
      liste.appendChild(li);
    });
    items.forEach(function (item) {
      var li = document.createElement("li");
      var lien = document.createElement("a");
      lien.href = "#" + item.id;
      lien.className = "alert-link";
      lien.textContent = (item.libelle ? item.libelle + " : " : "") + (item.message || "valeur à corriger");
      lien.addEventListener("click", function (event) {
        var cible = document.getElementById(item.id);
        if (!cible) { return; }
        event.preventDefault();
        cible.focus();
        cible.scrollIntoView({ block: "center" });
      });
      li.appendChild(lien);
      liste.appendChild(li);
    });
    resume.appendChild(liste);
    main.insertBefore(resume, main.firstChild);
    resume.focus();
  });
})();
