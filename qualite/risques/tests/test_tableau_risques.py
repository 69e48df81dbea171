"""The risk register's table: sortable headers, French full-text search (accents ignored), the reference as a
link and as a search, within the user's scope, query count pinned."""

from datetime import date

import pytest
from django.urls import reverse

from qualite.risques import services
from qualite.risques.filters import TABLEAU
from qualite.risques.tests.factories import RisqueFactory

pytestmark = pytest.mark.django_db
URL = reverse("risques:liste")


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


def _risques(monde, gestionnaire):
    chute = RisqueFactory(etablissement=monde.etab_a, titre="Chute du patient âgé", description="Sol glissant",
                          pole=monde.pole_a, pilote=gestionnaire)
    erreur = RisqueFactory(etablissement=monde.etab_a, titre="Erreur d'identité",
                           barrieres="Bracelets d'identification vérifiés", pole=monde.pole_a2)
    infection = RisqueFactory(etablissement=monde.etab_a, titre="Infection du site opératoire")
    services.risque_coter(risque=chute, par=gestionnaire, frequence=4, gravite=4, maitrise=1, date=date(2026, 1, 5))
    services.risque_coter(risque=erreur, par=gestionnaire, frequence=2, gravite=3, maitrise=1, date=date(2026, 2, 5))
    return chute, erreur, infection  # the infection is not scored


def test_chaque_colonne_trie_dans_les_deux_sens(monde, client_de, gestionnaire, settings):
    settings.PAGES_EN_CACHE = False  # the same URL asked again: read its context, which a kept page has not
    chute, erreur, infection = _risques(monde, gestionnaire)
    client = client_de(gestionnaire)
    for cle in TABLEAU.triables:
        for sens, aria in (("", "ascending"), ("-", "descending")):
            response = client.get(URL, {"tri": sens + cle})
            assert response.status_code == 200 and f'aria-sort="{aria}"><a' in response.content.decode()
            assert len(response.context["page"]) == 3
    brutes = [r.pk for r in client.get(URL, {"tri": "-brute"}).context["page"]]
    assert brutes == [chute.pk, erreur.pk, infection.pk]  # unscored last, whatever the direction
    assert [r.pk for r in client.get(URL, {"tri": "brute"}).context["page"]] == [erreur.pk, chute.pk, infection.pk]
    assert [r.pk for r in client.get(URL, {"tri": "-reference"}).context["page"]] == [infection.pk, erreur.pk, chute.pk]


def test_un_tri_inconnu_garde_l_ordre_des_titres_et_l_entete_dit_la_periode(monde, client_de, gestionnaire):
    _risques(monde, gestionnaire)
    response = client_de(gestionnaire).get(URL, {"tri": "pilote__password"})
    page = response.content.decode()
    assert response.status_code == 200 and "aria-sort" not in page
    assert [r.titre for r in response.context["page"]] == sorted(r.titre for r in response.context["page"])
    assert "Évènements (12 mois)" in page


def test_la_recherche_ignore_les_accents_et_reste_dans_le_perimetre(monde, client_de, gestionnaire):
    chute, erreur, infection = _risques(monde, gestionnaire)
    autre = RisqueFactory(etablissement=monde.etab_b, titre="Chute dans l'escalier")
    client = client_de(gestionnaire)

    def trouves(q):
        response = client.get(URL, {"q": q})
        assert response.status_code == 200
        return {r.pk for r in response.context["page"]}

    assert trouves("chutes agees") == trouves("CHUTE") == {chute.pk}
    assert trouves("glissants") == {chute.pk}  # the description
    assert trouves("bracelet verifie") == {erreur.pk}  # the barriers
    assert trouves("opératoire or identité") == {erreur.pk, infection.pk}
    assert trouves(f"rsq-{infection.pk}") == {infection.pk}  # the reference shown in the table
    assert trouves(f"RSQ-{autre.pk}") == set()
    assert {r.pk for r in client_de(monde.user_b).get(URL, {"q": "chute"}).context["page"]} == {autre.pk}


def test_la_reference_est_un_lien_et_la_pagination_garde_recherche_et_tri(monde, client_de, gestionnaire):
    for i in range(55):
        RisqueFactory(etablissement=monde.etab_a, titre=f"Défaut de traçabilité {i}")
    client = client_de(gestionnaire)
    response = client.get(URL, {"q": "tracabilite", "tri": "-titre"})
    page = response.content.decode()
    premier = response.context["page"][0]
    assert f'href="{reverse("risques:detail", args=[premier.pk])}">{premier.reference}</a>' in page
    pagination = page.split('aria-label="Pagination"')[1]
    assert "q=tracabilite&" in pagination and "tri=-titre&" in pagination
    assert response.context["page"].paginator.count == 55
    suite = client.get(URL, {"q": "tracabilite", "tri": "-titre", "page": 2})
    assert len(suite.context["page"]) == 5


def test_recherche_et_tri_gardent_le_nombre_de_requetes(monde, client_de, gestionnaire,
                                                        django_assert_max_num_queries):
    _risques(monde, gestionnaire)
    for i in range(20):
        RisqueFactory(etablissement=monde.etab_a, titre=f"Chute {i}", pilote=gestionnaire, pole=monde.pole_a)
    client = client_de(gestionnaire)
    client.get(URL)
    with django_assert_max_num_queries(11):
        response = client.get(URL, {"q": "chute", "tri": "-residuelle"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 21
