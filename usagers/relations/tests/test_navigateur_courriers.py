"""Browser journey: edit a letter template (an unknown merge field refused), preview the letter, generate its PDF."""

from datetime import date

import pytest

from conftest import connecter, construire_monde, recharger_referentiels
from usagers.relations import services
from usagers.relations.models import CourrierGenere

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_modele_apercu_puis_pdf(live_server, page, tmp_path):
    monde = construire_monde()
    recharger_referentiels()
    base = live_server.url
    rec = services.reclamation_enregistrer(par=monde.users["relations_usagers"], services=[], donnees={
        "etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
        "auteur_civilite": "madame", "auteur_nom": "Jeanne Martin", "lien_patient": "elle-même",
        "objet": "Attente aux urgences.", "recue_le": date(2026, 1, 31)})
    connecter(page, base, monde.users["relations_usagers"].username)

    page.goto(f"{base}/usagers/modeles-de-courrier/{monde.etab_a.pk}/accuse/")
    corps = page.get_by_label("Corps")
    corps.fill("{{ formule_appel }}\n\nVotre mot de passe : {{ mot_de_passe }}")
    page.get_by_role("button", name="Enregistrer").click()
    assert page.locator("#resume-erreurs").is_visible()
    assert "Champ de fusion inconnu : mot_de_passe" in page.content()
    page.get_by_label("Corps").fill("{{ formule_appel }}\n\nNous avons bien reçu votre courrier {{ reference }}.")
    page.get_by_role("button", name="Enregistrer").click()
    assert "version 1" in page.content()

    page.goto(f"{base}/usagers/reclamations/{rec.pk}/")
    page.get_by_role("link", name="Accusé de réception (aperçu)").click()
    lettre = page.locator(".apercu-lettre").inner_text()
    assert lettre.index("Madame,") < lettre.index(f"Nous avons bien reçu votre courrier {rec.reference}.")
    assert "Voies de recours" in lettre and "Madame, Monsieur" not in lettre
    page.screenshot(path=str(tmp_path / "apercu.png"), full_page=True)
    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Générer le PDF").click()
    assert telechargement.value.suggested_filename.startswith(rec.reference)
    assert CourrierGenere.objects.get().modele_version == 1
