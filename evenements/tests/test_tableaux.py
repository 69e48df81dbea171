"""The event register's table: every allowed column sorts both ways (aria-sort says so), an unknown sort is
ignored, the text search is French full text with accents ignored, inside the user's scope only, and the
page keeps its query count."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evenements.filters import TABLEAU
from evenements.models import Statut
from evenements.tests.factories import EvenementFactory

pytestmark = pytest.mark.django_db
URL = reverse("evenements:liste")


def _registre(monde):
    maintenant = timezone.now()
    evs = []
    for i in range(8):
        evs.append(EvenementFactory(
            service=monde.service_a if i % 2 else monde.service_a2, survenu_le=maintenant - timedelta(hours=i * 5),
            gravite=(i % 5) + 1 if i % 4 else None, vraisemblance=(i % 3) + 1 if i % 4 else None,
            est_eigs=[True, False, None][i % 3], statut=[Statut.DECLARE, Statut.CLOTURE][i % 2]))
    return evs


def _aria_sort(html):
    return [(a, libelle.strip()) for a, libelle in re.findall(r'<th scope="col" aria-sort="(\w+)"><a[^>]*>([^<]+)', html)]


def test_chaque_colonne_autorisee_trie_dans_les_deux_sens(monde, client_de):
    _registre(monde)
    client = client_de(monde.users["gestionnaire_risques"])
    cles = {
        "reference": lambda e: e.reference,
        "survenu_le": lambda e: e.survenu_le,
        "service": lambda e: e.service.nom,
        "type": lambda e: e.type.libelle,
    }
    for cle, colonne in TABLEAU.triables.items():
        for sens, aria in (("", "ascending"), ("-", "descending")):
            response = client.get(URL, {"tri": f"{sens}{cle}"})
            assert response.status_code == 200
            assert _aria_sort(response.content.decode()) == [(aria, colonne.libelle)]
            lignes = list(response.context["page"])
            assert len(lignes) == 8
            if cle in cles:
                valeurs = [cles[cle](e) for e in lignes]
                assert valeurs == sorted(valeurs, reverse=bool(sens))


def test_gravite_et_criticite_laissent_les_non_qualifies_en_dernier(monde, client_de):
    _registre(monde)
    client = client_de(monde.users["gestionnaire_risques"])
    for tri in ("criticite", "-criticite", "gravite", "-gravite"):
        champ = "criticite_calc" if "criticite" in tri else "gravite"
        valeurs = [getattr(e, champ) for e in client.get(URL, {"tri": tri}).context["page"]]
        connues = [v for v in valeurs if v is not None]
        assert valeurs[:len(connues)] == connues == sorted(connues, reverse=tri.startswith("-"))
        assert valeurs[len(connues):] == [None] * (len(valeurs) - len(connues))


def test_l_etat_trie_dans_l_ordre_du_circuit(monde, client_de):
    _registre(monde)
    etats = [e.statut for e in client_de(monde.users["gestionnaire_risques"]).get(URL, {"tri": "statut"}).context["page"]]
    assert etats == [Statut.DECLARE] * 4 + [Statut.CLOTURE] * 4


@pytest.mark.parametrize("tri", ["description", "created_by__password", "-", "reference,statut", "x" * 300])
def test_un_tri_inconnu_est_ignore_sans_erreur(monde, client_de, tri):
    evs = _registre(monde)
    response = client_de(monde.users["gestionnaire_risques"]).get(URL, {"tri": tri})
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"]] == [e.pk for e in evs]  # default: most recent first
    assert 'aria-sort' not in response.content.decode()


def test_la_recherche_ignore_les_accents_et_les_terminaisons(monde, client_de):
    chute = EvenementFactory(service=monde.service_a, description="Chute d'une patiente âgée dans la salle de bain.",
                             lieu="Chambre 12")
    erreur = EvenementFactory(service=monde.service_a, description="Erreur de médicament : dose de sécurité dépassée.")
    client = client_de(monde.users["gestionnaire_risques"])

    def trouves(q):
        return {e.pk for e in client.get(URL, {"q": q}).context["page"]}

    assert trouves("securite") == trouves("sécurité") == trouves("SÉCURITÉ") == {erreur.pk}
    assert trouves("medicaments") == {erreur.pk}  # French stemming
    assert trouves("agee chutes") == {chute.pk}
    assert trouves("chambre") == {chute.pk}
    assert trouves(chute.reference) == {chute.pk}
    assert trouves("chute -bain") == set()
    assert trouves("") == {chute.pk, erreur.pk}
    assert client.get(URL, {"q": "&|!:*()'\\"}).status_code == 200


def test_la_recherche_reste_dans_le_perimetre(monde, client_de):
    a = EvenementFactory(service=monde.service_a, description="Fugue d'un patient du service.")
    a2 = EvenementFactory(service=monde.service_a2, description="Fugue d'un patient la nuit.")
    EvenementFactory(service=monde.service_b, description="Fugue d'un patient dans l'autre établissement.")
    gestionnaire = {e.pk for e in client_de(monde.users["gestionnaire_risques"]).get(URL, {"q": "fugue"}).context["page"]}
    assert gestionnaire == {a.pk, a2.pk}
    cadre = {e.pk for e in client_de(monde.users["cadre_pole"]).get(URL, {"q": "fugue"}).context["page"]}
    assert cadre == {a.pk}


def test_la_recherche_ne_lit_pas_l_identite_du_declarant(monde, client_de):
    declarant = monde.users["declarant"]
    EvenementFactory(service=monde.service_a, created_by=declarant, confidentiel=True, description="Retard de prise en charge.")
    nom = declarant.last_name or declarant.username
    page = client_de(monde.users["cadre_pole"]).get(URL, {"q": nom}).context["page"]
    assert list(page) == []


def test_recherche_tri_et_filtres_restent_dans_l_url(monde, client_de):
    for i in range(55):
        EvenementFactory(service=monde.service_a, description=f"Chute numéro {i}.")
    response = client_de(monde.users["gestionnaire_risques"]).get(
        URL, {"q": "chute", "tri": "-reference", "pole": monde.pole_a.pk})
    html = response.content.decode()
    suivante = re.search(r'href="\?([^"]*)">Suivante', html).group(1)
    assert "q=chute" in suivante and "tri=-reference" in suivante and f"pole={monde.pole_a.pk}" in suivante
    assert '<input type="hidden" name="tri" value="-reference">' in html  # filtering keeps the sort
    assert 'name="q"' in html and 'value="chute"' in html
    export = re.search(r'href="\?([^"]*export=csv)"', html).group(1)
    assert "q=chute" in export and "page" not in export
    entete = re.search(r'href="\?([^"]*)"[^>]*>Survenu le', html).group(1)
    assert "q=chute" in entete and f"pole={monde.pole_a.pk}" in entete and "page" not in entete


def test_l_export_suit_la_recherche(monde, client_de):
    EvenementFactory(service=monde.service_a, description="Chute au fauteuil.")
    EvenementFactory(service=monde.service_a, description="Erreur d'étiquetage.")
    response = client_de(monde.users["gestionnaire_risques"]).get(URL, {"q": "etiquetage", "export": "csv"})
    contenu = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "étiquetage" in contenu and "fauteuil" not in contenu


def test_recherche_et_tri_gardent_le_nombre_de_requetes(monde, client_de, django_assert_max_num_queries):
    _registre(monde)
    client = client_de(monde.users["gestionnaire_risques"])
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL, {"q": "chute", "tri": "-criticite", "gravite": 2}).status_code == 200
