"""« À traiter »: a document diffused to a unit is in its agents' inbox until they confirm reading it."""

import pytest

from qualite.documents.tests.outils import document_de_test, publier
from qualite.organisation import a_traiter
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _titres(user):
    lignes, _ = a_traiter.boite(user)
    return [li.element.titre for li in lignes if li.source.code == "documents-a-lire"]


def test_a_lire_jusqu_a_l_accuse_de_lecture(monde):
    from qualite.documents import services

    verificateur = UtilisateurFactory(username="qualiticien2", roles=[Role.GESTIONNAIRE_RISQUES],
                                      etablissements=[monde.etab_a])
    autre = UtilisateurFactory(username="agent_a2", roles=[Role.DECLARANT], etablissements=[monde.etab_a],
                               pole=monde.pole_a2, service=monde.service_a2)
    document = document_de_test(monde, titre="Hygiène des mains")
    version = publier(document, redacteur=monde.users["gestionnaire_risques"], verificateur=verificateur,
                      approbateur=monde.users["direction"], diffuseur=monde.users["administrateur"],
                      cibles={"services": [monde.service_a]})
    agent = monde.users["declarant"]  # service_a
    assert _titres(agent) == ["Lire « Hygiène des mains » et confirmer la lecture"]
    assert _titres(autre) == []
    assert a_traiter.compteurs(agent)["documents-a-lire"] == 1
    services.accuse_enregistrer(version=version, par=agent)
    assert _titres(agent) == []
