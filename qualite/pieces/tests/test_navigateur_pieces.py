"""Browser journey: the admissions office attaches a scanned certificate to an SSC measure (a renamed program
refused first, next to the field), the unit's psychiatrist downloads it; another établissement's account and
the CDU's get 404."""

from pathlib import Path

import pytest

from conftest import connecter, construire_monde, recharger_referentiels
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory
from qualite.pieces.models import PieceJointe
from qualite.pieces.tests.outils import EXE, PDF, mesure_ssc

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_joindre_un_certificat_a_une_mesure_et_le_telecharger(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    bureau_b = UtilisateurFactory(username="bureau_b", roles=[Role.BUREAU_ADMISSIONS], etablissements=[monde.etab_b])
    mesure = mesure_ssc(monde)
    base = live_server.url
    url_mesure = f"{base}/usagers/soins-sans-consentement/mesures/{mesure.pk}/"

    connecter(page, base, monde.users["bureau_admissions"].username)
    page.goto(url_mesure)
    champ = page.get_by_label("Fichier à joindre")
    champ.set_input_files({"name": "certificat.pdf", "mimeType": "application/pdf", "buffer": EXE})
    page.get_by_role("button", name="Joindre le fichier").click()
    erreur = page.locator(".invalid-feedback")
    assert "Type de fichier refusé" in erreur.inner_text() and "programme Windows" in erreur.inner_text()
    assert page.get_by_label("Fichier à joindre").get_attribute("aria-invalid") == "true"
    assert not PieceJointe.objects.exists()

    page.goto(url_mesure)
    page.get_by_label("Fichier à joindre").set_input_files(
        {"name": "Certificat 24h.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_role("button", name="Joindre le fichier").click()
    page.wait_for_url(f"{url_mesure}#*")
    assert page.get_by_role("link", name="Certificat 24h.pdf").is_visible()
    piece = PieceJointe.objects.get()

    connecter(page, base, monde.users["psychiatre"].username)
    page.goto(url_mesure)
    with page.expect_download() as attente:
        page.get_by_role("link", name="Certificat 24h.pdf").click()
    telechargement = attente.value
    assert telechargement.suggested_filename == "Certificat 24h.pdf"
    assert Path(telechargement.path()).read_bytes() == PDF

    url_piece = f"{base}/pieces-jointes/{piece.pk}/telecharger/"
    for compte in (bureau_b.username, monde.users["membre_cdu"].username):
        connecter(page, base, compte)
        reponse = page.goto(url_piece)
        assert reponse.status == 404 and page.get_by_text("Page introuvable").first.is_visible()
        page.goto(url_mesure)
        assert page.get_by_text("Certificat 24h.pdf").count() == 0
