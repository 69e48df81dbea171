"""Browser: a measure's guided steps — press the next move's button, send its form (a double click records it
once), the step bar moves on; the page has no serious accessibility violation with a move's form open."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from conftest import connecter, construire_monde, recharger_referentiels
from qualite.organisation.tests.test_accessibilite import AXE, _violations

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def _fmt(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_le_bouton_du_prochain_geste_ouvre_son_formulaire_et_fait_avancer_la_barre(live_server, page):
    from usagers.ssc import services
    from usagers.ssc.models import ActeMesure, TransitionMesure

    monde = construire_monde()
    recharger_referentiels()
    t0 = (timezone.localtime() - timedelta(days=3)).replace(hour=14, minute=30, second=0, microsecond=0)
    m = services.mesure_admettre(
        par=monde.users["bureau_admissions"], service=monde.service_a,
        patient={"ipp": "NAV-1", "nom": "Durand", "prenom": "Léa", "date_naissance": datetime(1990, 3, 2).date()},
        mesure={"mode": "sdt", "t0": t0, "tiers_nom": "Marie Martin", "tiers_lien": "sœur"})
    url = f"{live_server.url}/usagers/soins-sans-consentement/mesures/{m.pk}/"
    connecter(page, live_server.url, monde.users["psychiatre"].username)
    page.goto(url)
    etape = page.locator(".etapes [aria-current=step]")
    assert etape.get_attribute("data-etape") == "certificat_24h"
    assert page.locator("#id_acte-date_heure").count() == 0  # no form before its button

    page.locator("a[data-geste=certificat_24h]").click()
    if AXE.exists():  # axe-core from npm (package.json); the journey runs without it
        assert _violations(page, AXE.read_text()) == []
    page.locator("#id_acte-date_heure").fill(_fmt(t0 + timedelta(hours=20)))
    page.locator("#id_acte-auteur").fill("Dr Martin")
    page.locator("#id_acte-conclusion").select_option("maintien")
    page.get_by_role("button", name="Enregistrer l'acte").dblclick()
    page.wait_for_url(url)
    assert page.locator(".etapes [aria-current=step]").get_attribute("data-etape") == "certificat_72h"
    assert page.locator("a[data-geste=certificat_24h]").count() == 0
    assert ActeMesure.objects.filter(mesure=m).count() == 1
    assert TransitionMesure.objects.filter(mesure=m, geste="certificat_24h").count() == 1
    assert "passe à « Certificat de 72 heures »" in page.get_by_label("Chronologie de la mesure").inner_text()
