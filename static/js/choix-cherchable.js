// Lists of boxes to tick (qualite/outils/widgets.py ChoixCherchable): a « Filtrer » field above each, accents
// and case ignored; ticked boxes always stay shown. Without this script the boxes remain, all shown.
(function () {
  function sansAccents(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var vus = {};
    document.querySelectorAll("input[data-choix-cherchable]").forEach(function (premiere) {
      if (vus[premiere.name]) { return; }
      vus[premiere.name] = true;
      var cases = Array.prototype.filter.call(
        document.querySelectorAll("input[data-choix-cherchable]"), function (c) { return c.name === premiere.name; });
      var lignes = cases.map(function (c) { return c.closest(".form-check") || c.parentElement; });
      var bloc = lignes[0].parentElement;
      bloc.classList.add("choix-cherchable");
      var id = "filtre-" + premiere.id;
      var libelle = document.createElement("label");
      libelle.className = "form-label small mb-1";
      libelle.htmlFor = id;
      libelle.textContent = "Filtrer la liste";
      var champ = document.createElement("input");
      champ.type = "search";
      champ.id = id;
      champ.className = "form-control form-control-sm mb-1";
      champ.setAttribute("autocomplete", "off");
      var etat = document.createElement("p");
      etat.className = "visually-hidden";
      etat.setAttribute("aria-live", "polite");
      bloc.parentElement.insertBefore(libelle, bloc);
      bloc.parentElement.insertBefore(champ, bloc);
      bloc.parentElement.insertBefore(etat, bloc);
      champ.addEventListener("input", function () {
        var cherche = sansAccents(champ.value.trim());
        var montrees = 0;
        lignes.forEach(function (ligne, i) {
          var garde = !cherche || cases[i].checked || sansAccents(ligne.textContent).indexOf(cherche) !== -1;
          ligne.hidden = !garde;
          if (garde) { montrees += 1; }
        });
        etat.textContent = montrees + " choix affiché(s)";
      });
    });
  });
})();
