"""The shared table component: the header links keep the filters, say their state with aria-sort, and only
whitelisted sorts apply."""

from django.db.models import F
from django.test import RequestFactory

from qualite.outils.tableaux import Colonne, Tableau, ordre_des_choix, texte_recherche

TABLEAU = Tableau([
    Colonne("Référence", "reference"),
    Colonne("Reçue le", "recue_le", descendant_d_abord=True),
    Colonne("Gravité", "gravite", (F("gravite"), "recue_le")),
    Colonne("Résumé"),
])


def _entetes(**params):
    return {e["libelle"]: e for e in TABLEAU.entetes(RequestFactory().get("/liste/", params))}


def test_sans_tri_aucune_colonne_n_a_aria_sort_et_le_premier_clic_suit_le_sens_de_la_colonne():
    entetes = _entetes()
    assert all(e["aria_sort"] is None for e in entetes.values())
    assert entetes["Référence"]["url"] == "?tri=reference"
    assert entetes["Reçue le"]["url"] == "?tri=-recue_le"  # dates: most recent first
    assert entetes["Résumé"]["url"] is None  # not sortable


def test_la_colonne_triee_porte_aria_sort_et_son_lien_inverse_le_sens():
    entetes = _entetes(tri="reference")
    assert entetes["Référence"]["aria_sort"] == "ascending"
    assert entetes["Référence"]["url"] == "?tri=-reference"
    assert entetes["Reçue le"]["aria_sort"] is None
    entetes = _entetes(tri="-reference")
    assert entetes["Référence"]["aria_sort"] == "descending"
    assert entetes["Référence"]["url"] == "?tri=reference"


def test_les_liens_gardent_les_filtres_et_la_recherche_mais_pas_le_numero_de_page():
    url = _entetes(nature="plainte", q="été", page="3", tri="reference")["Reçue le"]["url"]
    assert "nature=plainte" in url and "q=%C3%A9t%C3%A9" in url and "tri=-recue_le" in url
    assert "page=" not in url


def test_un_tri_inconnu_est_ignore():
    for valeur in ("mot_de_passe", "-resume", "reference;DROP TABLE", "--reference", "", "__class__"):
        assert TABLEAU.tri_demande({"tri": valeur}) is None
        assert all(e["aria_sort"] is None for e in _entetes(tri=valeur).values())


def test_le_tri_finit_toujours_par_l_identifiant_dans_le_meme_sens():
    from qualite.organisation.models import Etablissement

    qs = TABLEAU.trier(Etablissement.objects.all(), {"tri": "-gravite"})
    ordre = qs.query.order_by
    assert ordre[-1].descending and ordre[-1].expression.name == "pk"
    assert ordre[0].descending and ordre[0].nulls_last  # an expression: unqualified rows last
    assert ordre[1].descending and not ordre[1].nulls_last  # a field name: as its index sorts it
    assert TABLEAU.trier(Etablissement.objects.order_by("nom"), {"tri": "inconnu"}).query.order_by == ("nom",)


def test_ordre_des_choix_suit_l_ordre_du_circuit():
    case = ordre_des_choix("statut", [("declare", "Déclaré"), ("clos", "Clos")])
    assert [w.result.value for w in case.cases] == [0, 1] and case.default.value == 2


def test_la_recherche_est_bornee_et_nettoyee():
    assert texte_recherche({"q": "  chute  "}) == "chute"
    assert texte_recherche({}) == ""
    assert len(texte_recherche({"q": "x" * 5000})) == 200
