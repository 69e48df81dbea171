"""Browser journey of the quality manager: a family, a risk scored twice, an event linked, an action raised,
the map at today's date and at a past date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_le_gestionnaire_cote_rattache_et_voit_la_carte(live_server, page):
    from evenements.models import TypeEvenement
    from evenements.tests.factories import EvenementFactory
    from qualite.paqss.models import ActionAmelioration

    monde = construire_monde()
    recharger_referentiels()
    EvenementFactory(service=monde.service_a, reference="EI-2026-00042", type=TypeEvenement.objects.get(libelle="Chute"))
    base = live_server.url
    connecter(page, base, monde.users["gestionnaire_risques"].username)

    page.goto(f"{base}/risques/familles/")
    page.get_by_label("Libellé").fill("Chutes")
    page.get_by_label("Chute", exact=True).check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Chutes").wait_for()

    page.goto(f"{base}/risques/nouveau/")
    page.get_by_label("Risque").fill("Chute d'un patient la nuit")
    page.get_by_label("Famille").select_option(label="Chutes")
    page.get_by_label("Barrières existantes").fill("Lits bas ; veilleuses")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="Chute d'un patient la nuit").wait_for()

    il_y_a_60_jours = (timezone.localdate() - timedelta(days=60)).isoformat()
    for jour, f, m in ((il_y_a_60_jours, "4", "1"), (timezone.localdate().isoformat(), "2", "3")):
        page.get_by_role("link", name="Nouvelle cotation").click()
        page.get_by_label("Date de la cotation").fill(jour)
        page.get_by_label("Fréquence").select_option(f)
        page.get_by_label("Gravité").select_option("3")
        page.get_by_label("Maîtrise").select_option(m)
        page.get_by_role("button", name="Enregistrer la cotation").click()
        page.get_by_text("enregistrée ; les précédentes restent").wait_for()
    assert page.locator("[data-historique] tbody tr").count() == 2

    page.get_by_label("Référence de l'évènement").fill("EI-2026-00042")
    page.get_by_role("button", name="Rattacher l'évènement").click()
    page.get_by_text("Évènement EI-2026-00042 rattaché au risque.").wait_for()

    page.get_by_label("Action d'amélioration").fill("Installer des barrières de lit")
    page.get_by_role("button", name="Ajouter l'action").click()
    page.locator("[data-actions]").get_by_text("Installer des barrières de lit").wait_for()
    assert ActionAmelioration.objects.get(titre="Installer des barrières de lit").origine == "risque"

    page.goto(f"{base}/risques/carte/")
    assert page.locator('[data-frequence="2"][data-gravite="3"]').get_attribute("data-compte") == "1"
    page.goto(f"{base}/risques/carte/?date={(timezone.localdate() - timedelta(days=30)).isoformat()}")
    assert page.locator('[data-frequence="4"][data-gravite="3"]').get_attribute("data-compte") == "1"
    assert page.locator('[data-frequence="2"][data-gravite="3"]').get_attribute("data-compte") == "0"
