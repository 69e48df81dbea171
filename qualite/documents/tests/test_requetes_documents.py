"""Pages that list things keep a bounded number of queries, whatever the number of rows."""

import pytest
from django.urls import reverse

from qualite.documents import services
from qualite.documents.tests.outils import document_de_test, publier
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def publies(monde):
    verificateur = UtilisateurFactory(username="qualiticien2", roles=[Role.GESTIONNAIRE_RISQUES],
                                      etablissements=[monde.etab_a])
    for _ in range(2):  # more agents in the targeted service
        UtilisateurFactory(roles=[Role.DECLARANT], etablissements=[monde.etab_a], pole=monde.pole_a,
                           service=monde.service_a)
    versions = []
    for i in range(6):
        document = document_de_test(monde, titre=f"Procédure sécurité {i}")
        versions.append(publier(document, redacteur=monde.users["gestionnaire_risques"], verificateur=verificateur,
                                approbateur=monde.users["direction"], diffuseur=monde.users["administrateur"],
                                cibles={"services": [monde.service_a], "roles": [Role.CADRE_POLE]}))
    services.accuse_enregistrer(version=versions[0], par=monde.users["declarant"])
    return versions


def test_a_lire(monde, publies, client, django_assert_max_num_queries):
    client.force_login(monde.users["declarant"])
    with django_assert_max_num_queries(8):
        reponse = client.get(reverse("documents:a_lire"))
    assert reponse.content.decode().count("J'ai lu") == 5


def test_suivi_de_diffusion(monde, publies, client, django_assert_max_num_queries):
    client.force_login(monde.users["administrateur"])
    with django_assert_max_num_queries(14):
        reponse = client.get(reverse("documents:diffusion", args=[publies[0].pk]))
    assert reponse.context["comptes"]["total"] == 5  # declarant, psychiatre, two agents, the cadre by role


def test_recherche(monde, publies, client, django_assert_max_num_queries):
    client.force_login(monde.users["declarant"])
    with django_assert_max_num_queries(8):
        reponse = client.get(reverse("documents:recherche"), {"q": "securite"})
    assert len(reponse.context["resultats"]) == 6


def test_fiche_du_document(monde, publies, client, django_assert_max_num_queries):
    document = publies[0].document
    client.force_login(monde.users["gestionnaire_risques"])
    with django_assert_max_num_queries(30):
        reponse = client.get(reverse("documents:detail", args=[document.pk]))
    assert reponse.status_code == 200
