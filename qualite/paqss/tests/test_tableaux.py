"""The programme's table: sortable headers (aria-sort), unknown sorts ignored, French full-text search within
the user's scope, query count kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qualite.organisation.tests.factories import ActionFactory
from qualite.paqss.filters import TABLEAU
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db
URL = reverse("qualite:programme")
S = ActionAmelioration.Statut


def _actions(monde):
    aujourdhui = timezone.localdate()
    return [
        ActionFactory(service=monde.service_a, titre="Sécuriser le circuit du médicament", priorite="basse",
                      statut=S.EN_COURS, echeance=aujourdhui + timedelta(days=3), avancement=40),
        ActionFactory(service=monde.service_a2, titre="Former les équipes à l'identitovigilance", priorite="haute",
                      statut=S.A_PLANIFIER, echeance=None, avancement=0),
        ActionFactory(service=monde.service_a, titre="Réviser la charte d'accueil", priorite="moyenne",
                      statut=S.REALISEE, echeance=aujourdhui - timedelta(days=10), avancement=100),
    ]


def test_chaque_colonne_trie_dans_les_deux_sens(monde, client_de, settings):
    settings.PAGES_EN_CACHE = False  # the same URL asked again: read its context, which a kept page has not
    _actions(monde)
    client = client_de(monde.users["gestionnaire_risques"])
    for cle in TABLEAU.triables:
        for sens, aria in (("", "ascending"), ("-", "descending")):
            response = client.get(URL, {"tri": sens + cle})
            assert response.status_code == 200 and f'aria-sort="{aria}"><a' in response.content.decode()
            assert len(response.context["page"]) == 3
    priorites = [a.priorite for a in client.get(URL, {"tri": "priorite"}).context["page"]]
    assert priorites == ["haute", "moyenne", "basse"]
    echeances = [a.echeance for a in client.get(URL, {"tri": "-echeance"}).context["page"]]
    assert echeances[-1] is None and echeances[0] > echeances[1]
    avancements = [a.avancement for a in client.get(URL, {"tri": "avancement"}).context["page"]]
    assert avancements == [0, 40, 100]


def test_un_tri_inconnu_garde_l_ordre_des_echeances(monde, client_de):
    _actions(monde)
    response = client_de(monde.users["gestionnaire_risques"]).get(URL, {"tri": "responsable__password"})
    assert response.status_code == 200 and "aria-sort" not in response.content.decode()
    echeances = [a.echeance for a in response.context["page"]]
    assert echeances[:2] == sorted(echeances[:2]) and echeances[2] is None


def test_la_recherche_ignore_les_accents_dans_le_perimetre(monde, client_de):
    actions = _actions(monde)
    ActionFactory(service=monde.service_b, titre="Sécuriser le circuit du médicament au CH B")
    client = client_de(monde.users["gestionnaire_risques"])

    def trouves(q):
        return {a.pk for a in client.get(URL, {"q": q}).context["page"]}

    assert trouves("securiser medicaments") == trouves("Sécuriser") == {actions[0].pk}
    assert trouves("identitovigilance") == {actions[1].pk}
    assert {a.pk for a in client_de(monde.users["cadre_pole"]).get(URL, {"q": "charte"}).context["page"]} == {actions[2].pk}
    assert trouves("formé -équipes") == set()


def test_recherche_et_tri_gardent_le_nombre_de_requetes(monde, client_de, django_assert_max_num_queries):
    _actions(monde)
    client = client_de(monde.users["gestionnaire_risques"])
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL, {"q": "circuit", "tri": "-priorite", "statut": "en_cours"}).status_code == 200
