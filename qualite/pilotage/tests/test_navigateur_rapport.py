"""Browser journey: a director requests the annual report, watches it progress, downloads it."""

import io

import pytest
from pypdf import PdfReader

from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_le_directeur_demande_suit_et_telecharge(live_server, page, settings, tmp_path):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app
    from qualite.pilotage.tests.test_chiffres import construire_annee

    settings.MEDIA_ROOT = tmp_path
    monde = construire_monde()
    recharger_referentiels()
    construire_annee(monde)
    base = live_server.url
    connecter(page, base, monde.direction_ght.username)
    page.get_by_role("link", name="Rapport annuel (PDF)").first.click()
    page.get_by_label("Année").select_option("2025")
    page.get_by_label("Périmètre").select_option(label="CH A")

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        page.get_by_role("button", name="Générer le rapport").click()
        etat = page.locator("[data-etat]").first
        assert etat.get_attribute("data-etat") in ("en_attente", "en_cours", "pret")
        # The page refreshes itself every 2 s while the report builds.
        page.locator('[data-etat="pret"]').first.wait_for(timeout=90000)

    with page.expect_download() as telechargement:
        page.get_by_role("link", name="PDF complet").first.click()
    contenu = open(telechargement.value.path(), "rb").read()
    texte = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(contenu)).pages).split())
    assert "Chiffres clés 2025" in texte and "5 évènements indésirables signalés par les professionnels" in texte
