"""« Who must read this version » and « what must this user read » are one rule read both ways."""

import pytest

from qualite.documents import selectors
from qualite.documents.tests.outils import document_de_test, publier
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_les_destinataires_d_une_version_sont_ceux_qui_l_ont_a_lire(monde):
    redacteur = monde.users["gestionnaire_risques"]
    verificateur = UtilisateurFactory(username="verif", roles=[Role.GESTIONNAIRE_RISQUES], etablissements=[monde.etab_a])
    gens = [
        *monde.users.values(), monde.user_b, monde.direction_ght,
        UtilisateurFactory(username="a2", roles=[Role.DECLARANT], etablissements=[monde.etab_a],
                           pole=monde.pole_a2, service=monde.service_a2),
        UtilisateurFactory(username="pole_seul", roles=[Role.CADRE_POLE], etablissements=[monde.etab_a],
                           pole=monde.pole_a2),
        UtilisateurFactory(username="inactif", roles=[Role.DECLARANT], etablissements=[monde.etab_a],
                           service=monde.service_a, pole=monde.pole_a, is_active=False),
        UtilisateurFactory(username="deux_etabs", roles=[Role.MEMBRE_CDU], etablissements=[monde.etab_a, monde.etab_b]),
        UtilisateurFactory(username="b_service", roles=[Role.DECLARANT], etablissements=[monde.etab_b],
                           pole=monde.pole_b, service=monde.service_b),
    ]
    cibles = [{"services": [monde.service_a]}, {"poles": [monde.pole_a2]}, {"roles": [Role.MEMBRE_CDU]},
              {"services": [monde.service_a2], "roles": [Role.DIRECTION, Role.PSYCHIATRE]}]
    versions = []
    for i, c in enumerate(cibles):
        document = document_de_test(monde, par=redacteur, titre=f"Procédure {i}")
        versions.append(publier(document, redacteur=redacteur, verificateur=verificateur,
                                approbateur=monde.users["direction"], diffuseur=monde.users["administrateur"],
                                cibles=c))
    for version in versions:
        lecteurs = set(selectors.destinataires(version).values_list("pk", flat=True))
        assert lecteurs, version  # each targeting reaches someone
        for personne in gens:
            assert (personne.pk in lecteurs) == selectors.a_lire(personne).filter(pk=version.pk).exists(), (
                version.document.titre, personne.username)
    noms = set(selectors.destinataires(versions[1]).values_list("username", flat=True))
    assert {"a2", "pole_seul"} <= noms and "inactif" not in noms and "b_service" not in noms
    assert "deux_etabs" in set(selectors.destinataires(versions[2]).values_list("username", flat=True))


def test_la_page_des_accuses_de_lecture_est_une_lecture_tracee(monde, client):
    from django.urls import reverse

    from qualite.organisation.models import AuditEntry

    redacteur = monde.users["gestionnaire_risques"]
    verificateur = UtilisateurFactory(username="verif", roles=[Role.GESTIONNAIRE_RISQUES], etablissements=[monde.etab_a])
    version = publier(document_de_test(monde, par=redacteur), redacteur=redacteur, verificateur=verificateur,
                      approbateur=monde.users["direction"], diffuseur=monde.users["administrateur"],
                      cibles={"services": [monde.service_a]})
    client.force_login(monde.users["administrateur"])
    assert client.get(reverse("documents:diffusion", args=[version.pk])).status_code == 200
    entree = AuditEntry.objects.filter(action=AuditEntry.Action.LECTURE, details__page="accusés de lecture").get()
    assert entree.details["version"] == version.numero and entree.utilisateur == monde.users["administrateur"]
