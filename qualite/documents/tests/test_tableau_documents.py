"""The document list's table: sortable headers, full-text search of the titles (French, accents ignored), the
next deadline (the revision) as a column, the search kept in the address, query count pinned."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qualite.documents.filters import TABLEAU
from qualite.documents.tests.outils import document_de_test, pdf

pytestmark = pytest.mark.django_db
URL = reverse("documents:liste")


@pytest.fixture(scope="module")
def contenu():
    return pdf("Procédure de test")  # rendered once: WeasyPrint is slow


@pytest.fixture
def documents(monde, contenu):
    revision = timezone.localdate() + timedelta(days=40)
    return [
        document_de_test(monde, titre="Hygiène des mains au bloc opératoire", contenu=contenu, type_="procedure",
                         date_revision=revision, service=monde.service_a),
        document_de_test(monde, titre="Charte d'accueil des usagers", contenu=contenu, type_="charte"),
        document_de_test(monde, titre="Identitovigilance : vérifier l'identité", contenu=contenu, type_="protocole"),
    ]


def test_chaque_colonne_trie_dans_les_deux_sens(monde, client_de, documents, settings):
    settings.PAGES_EN_CACHE = False  # the same URL asked again: read its context, which a kept page has not
    client = client_de(monde.users["gestionnaire_risques"])
    for cle in TABLEAU.triables:
        for sens, aria in (("", "ascending"), ("-", "descending")):
            response = client.get(URL, {"tri": sens + cle})
            assert response.status_code == 200 and f'aria-sort="{aria}"><a' in response.content.decode()
            assert len(response.context["page"]) == 3
    titres = [d.titre for d in client.get(URL, {"tri": "-titre"}).context["page"]]
    assert titres == sorted(titres, reverse=True)
    echeances = client.get(URL, {"tri": "echeance"}).context["page"]
    assert echeances[0].pk == documents[0].pk and echeances[0].prochaine_echeance is not None
    assert echeances[1].prochaine_echeance is None  # no revision date: nothing open, last in both directions
    assert client.get(URL, {"tri": "-echeance"}).context["page"][0].pk == documents[0].pk


def test_la_recherche_ignore_les_accents_et_garde_l_ancienne_adresse(monde, client_de, documents):
    document_de_test(monde, titre="Hygiène des mains (CH B)", etablissement=monde.etab_b,
                     par=monde.user_b)
    client = client_de(monde.users["gestionnaire_risques"])

    def trouves(params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return {d.pk for d in response.context["page"]}

    assert trouves({"q": "hygiene main"}) == trouves({"q": "HYGIÈNE"}) == {documents[0].pk}
    assert trouves({"q": "identites verifier"}) == {documents[2].pk}
    assert trouves({"q": "usagers or opératoire"}) == {documents[0].pk, documents[1].pk}
    assert trouves({"titre": "chârte"}) == {documents[1].pk}  # the former « Titre contient » filter


def test_la_page_montre_l_echeance_et_garde_la_recherche_dans_les_en_tetes(monde, client_de, documents):
    response = client_de(monde.users["gestionnaire_risques"]).get(URL, {"q": "hygiène", "type": "procedure"})
    page = response.content.decode()
    assert "Prochaine échéance" in page and "Aucune en cours" not in page
    assert f'{(timezone.localdate() + timedelta(days=40)):%d/%m/%Y}' in page
    assert 'href="?q=hygi%C3%A8ne&amp;type=procedure&amp;tri=titre"' in page
    assert "1 document." in page


def test_recherche_et_tri_gardent_le_nombre_de_requetes(monde, client_de, contenu, documents,
                                                        django_assert_max_num_queries):
    for i in range(10):
        document_de_test(monde, titre=f"Procédure d'hygiène {i}", contenu=contenu, service=monde.service_a2)
    client = client_de(monde.users["gestionnaire_risques"])
    client.get(URL)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": "hygiene", "tri": "-echeance", "type": "procedure"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 11
    assert "11 documents." in response.content.decode()
