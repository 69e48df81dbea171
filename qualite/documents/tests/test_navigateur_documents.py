"""Browser journey: a quality officer writes a procedure, a colleague verifies it, the direction approves it,
it is diffused to a service; a member of that service acknowledges it from « Documents à lire » and the
acknowledgement rate moves on the diffusion page."""

import re

import pytest

from conftest import connecter, construire_monde, recharger_referentiels
from qualite.documents.models import VersionDocument
from qualite.documents.tests.outils import pdf
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def _etape(page, bouton):
    page.get_by_role("button", name=bouton, exact=True).click()
    page.wait_for_load_state()


def test_publier_une_procedure_a_un_service_et_suivre_les_lectures(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    UtilisateurFactory(username="qualiticien2", roles=[Role.GESTIONNAIRE_RISQUES], etablissements=[monde.etab_a])
    base = live_server.url

    connecter(page, base, "gestionnaire_risques")
    page.goto(f"{base}/documents/nouveau/")
    page.get_by_label("Titre").fill("Procédure de sécurité incendie")
    page.get_by_label("Type").select_option(label="Procédure")
    page.get_by_label("Établissement").select_option(label="CH A")
    page.get_by_label("Fichier du document").set_input_files(
        {"name": "incendie.pdf", "mimeType": "application/pdf", "buffer": pdf("Évacuer, alerter, sécuriser.")})
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r".*/documents/\d+/$"))
    url_document = page.url
    assert page.get_by_text("Version 1 — En rédaction").is_visible()
    assert page.get_by_role("button", name="Vérifier", exact=True).count() == 0  # not by its writer
    _etape(page, "Soumettre à la vérification")
    assert page.get_by_text("Version 1 — En vérification").is_visible()

    connecter(page, base, "qualiticien2")
    page.goto(url_document)
    _etape(page, "Vérifier")
    connecter(page, base, "direction")
    page.goto(url_document)
    _etape(page, "Approuver")
    assert page.get_by_text("Version 1 — Approuvée, à diffuser").is_visible()

    connecter(page, base, "administrateur")
    page.goto(url_document)
    page.get_by_role("link", name="Diffuser la version 1").click()
    page.get_by_label("Cardiologie A").check()
    page.get_by_role("button", name="Diffuser").click()
    page.wait_for_url(re.compile(r".*/diffusion/$"))
    url_diffusion = page.url
    taux = page.locator("[data-taux]")
    assert re.search(r"Lu par 0 sur 2 destinataires : 0 %", taux.inner_text())

    connecter(page, base, "declarant")  # a member of Cardiologie A
    menu = page.get_by_role("navigation", name="Navigation principale")
    menu.get_by_role("button", name="Qualité et risques").click()  # the group holding « Documents qualité »
    menu.get_by_role("link", name="Documents à lire").click()
    assert page.get_by_text("Procédure de sécurité incendie").first.is_visible()
    page.get_by_role("button", name="J'ai lu « Procédure de sécurité incendie »").click()
    assert page.get_by_text("Lecture de « Procédure de sécurité incendie » (version 1) confirmée.").is_visible()
    assert page.get_by_text("Aucun document à lire.").is_visible()

    connecter(page, base, "administrateur")
    page.goto(url_diffusion)
    assert re.search(r"Lu par 1 sur 2 destinataires : 50 %", page.locator("[data-taux]").inner_text())
    assert page.locator("[data-destinataire=declarant]").get_by_text("Lu le").is_visible()
    assert page.locator("[data-destinataire=psychiatre]").get_by_text("Non lu").is_visible()
    assert VersionDocument.objects.get().statut == VersionDocument.Statut.DIFFUSEE
