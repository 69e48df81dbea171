"""RGAA AA on a complaint's page with its step bar, its next-step buttons and their forms (axe-core, real browser),
including a gesture form shown again with its error."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import connecter, construire_monde, recharger_referentiels
from qualite.organisation.tests.test_accessibilite import _violations, axe_source  # noqa: F401 (fixture)
from usagers.relations import services
from usagers.relations.models import GesteReclamation as G

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_fiche_avec_etapes_sans_violation_grave(live_server, page, axe_source):  # noqa: F811
    recharger_referentiels()
    monde = construire_monde()
    relations = monde.users["relations_usagers"]
    jour = timezone.localdate()
    rec = services.reclamation_enregistrer(par=relations, services=[], donnees={
        "etablissement": monde.etab_a, "nature": "plainte", "canal": "courrier", "categories": ["soins"],
        "auteur_nom": "Odile Marchand", "lien_patient": "épouse", "objet": "Sortie sans ordonnance.",
        "recue_le": jour - timedelta(days=20)})
    services.reclamation_faire_geste(reclamation=rec, geste=G.ACCUSE, par=relations,
                                     donnees={"accuse_le": jour - timedelta(days=18)})
    services.reclamation_faire_geste(reclamation=rec, geste=G.SAISINE, par=relations,
                                     donnees={"mediation": "medicale", "mediateur_saisi_le": jour - timedelta(days=5)})
    connecter(page, live_server.url, relations.username)
    page.goto(f"{live_server.url}/usagers/reclamations/{rec.pk}/")
    assert page.locator("[data-geste]").count() >= 3
    assert _violations(page, axe_source) == []
    # a date before the mediator was seized: the page comes back with the error next to the field
    page.get_by_label("Rencontre avec le médiateur le").fill((jour - timedelta(days=8)).isoformat())
    page.get_by_role("button", name="Rencontre avec le médiateur faite").click()
    page.locator(".invalid-feedback, .is-invalid").first.wait_for()
    assert _violations(page, axe_source) == []
