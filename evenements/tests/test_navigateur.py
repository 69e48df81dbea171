"""Browser journey: declare → qualify → analyse → close → the declarant reads the feedback."""

import re

import pytest

from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]




def test_declarer_qualifier_analyser_cloturer_faire_retour(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    base = live_server.url

    # 1. The declarant declares from the ward.
    connecter(page, base, monde.users["declarant"].username)
    page.get_by_role("link", name="Déclarer un évènement").first.click()
    page.get_by_label("Type").select_option(label="Chute")
    page.get_by_label("Que s'est-il passé ?").fill("Chute lors d'un transfert lit-fauteuil, sans témoin.")
    page.get_by_label("Patient / résident").check()
    page.get_by_label("3 — Majeur").check()
    page.get_by_role("button", name="Envoyer la déclaration").click()
    page.wait_for_url(f"{base}/evenements/mes-declarations/")
    assert page.get_by_text(re.compile(r"Votre déclaration EI-\d{4}-00001 est enregistrée")).is_visible()
    assert page.locator("[data-etat]").first.inner_text() == "Déclaré"

    # 2. The risk manager takes it, qualifies, analyses, closes with feedback.
    connecter(page, base, monde.users["gestionnaire_risques"].username)
    page.goto(f"{base}/evenements/")
    page.get_by_role("link", name=re.compile(r"EI-\d{4}-00001")).click()
    page.locator("#id_gravite").select_option("3")
    page.locator("#id_vraisemblance").select_option("4")
    page.get_by_role("button", name="Enregistrer la qualification").click()
    assert page.get_by_text("criticité").first.is_visible()
    assert page.locator(".badge.zone-inacceptable").first.inner_text() == "12"
    assert page.locator("[aria-current=step]").inner_text().endswith("Pris en charge")  # qualifying took it over

    page.get_by_role("link", name="Nouvelle analyse (grille ALARM)").click()
    page.get_by_label("Date de l'analyse").fill("2026-11-20")
    page.get_by_label("Participants").fill("IDE\nCadre de santé")
    page.get_by_label("Causes profondes").fill("Absence de protocole de transfert.")
    page.get_by_label("Facteurs — Tâche").fill("Protocole de transfert absent")
    page.get_by_role("button", name="Enregistrer l'analyse").click()
    assert page.get_by_text("Tâche : Protocole de transfert absent").is_visible()

    assert page.locator("[aria-current=step]").inner_text().endswith("En analyse")
    page.get_by_role("textbox", name="Retour au déclarant").fill("Merci : un protocole de transfert est rédigé et sera formé en décembre.")
    page.get_by_role("button", name="Envoyer le retour").click()
    page.get_by_role("button", name="Clôturer").click()
    assert page.locator("h1 [data-etat]").inner_text() == "Clôturé"

    # 3. The declarant reads what became of the report.
    connecter(page, base, monde.users["declarant"].username)
    page.goto(f"{base}/evenements/mes-declarations/")
    assert page.locator("[data-etat]").first.inner_text() == "Clôturé"
    assert "protocole de transfert est rédigé" in page.locator(".retour-declarant").first.inner_text()


