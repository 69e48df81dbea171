"""Browser journey: admission → certificates → judge's decision, the daily view changing at each step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]




def _compte(page, base, bloc):
    page.goto(f"{base}/usagers/soins-sans-consentement/")
    return int(page.locator(f"[data-bloc={bloc}] [data-nombre]").inner_text())


def _fmt(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_admission_certificats_juge(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    base = live_server.url
    t0 = timezone.now() - timedelta(days=9, hours=2)
    connecter(page, base, monde.users["bureau_admissions"].username)
    assert _compte(page, base, "en_retard") == 0

    # Admission nine days ago: 24 h, 72 h certificates and the judge's saisine are already overdue.
    page.goto(f"{base}/")
    page.get_by_role("link", name="Mesures").first.click()
    page.get_by_role("link", name="Nouvelle admission").click()
    page.get_by_label("IPP").fill("123456")
    page.get_by_label("Nom", exact=False).first.fill("Lefèvre")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Date de naissance").fill("1988-04-12")
    page.get_by_label("Unité").select_option(label=str(monde.service_a))
    page.get_by_label("Mode d'admission").select_option("sdt")
    page.locator("#id_t0").fill(_fmt(t0))
    page.get_by_label("Tiers demandeur").fill("Jean Lefèvre")
    page.get_by_label("Lien avec le patient").fill("frère")
    page.get_by_role("button", name="Enregistrer l'admission").click()
    page.wait_for_url("**/soins-sans-consentement/mesures/*/")
    url_mesure = page.url
    assert page.locator("tr[data-regle=ssc-certificat-24h] .badge.statut-en_retard").count() == 1
    en_retard = _compte(page, base, "en_retard")
    assert en_retard == 3  # 24 h, 72 h, saisine (day 8 passed)

    def acte(type_, quand, auteur, conclusion="", forme=""):
        page.goto(url_mesure)
        page.locator(f"a[data-geste={type_}]").click()  # only the next legal moves are buttons
        page.locator("#id_acte-date_heure").fill(_fmt(quand))
        page.locator("#id_acte-auteur").fill(auteur)
        if type_.startswith("certificat"):
            page.locator("#id_acte-psychiatre_etablissement").check()
        if conclusion:
            page.locator("#id_acte-conclusion").select_option(conclusion)
        if forme:
            page.locator("#id_acte-forme").select_option(forme)
        page.get_by_role("button", name="Enregistrer l'acte").click()
        page.wait_for_url(url_mesure)

    acte("certificat_24h", t0 + timedelta(hours=22), "Dr Martin", "maintien")
    acte("certificat_72h", t0 + timedelta(hours=70), "Dr Martin", "maintien", "hc")
    assert _compte(page, base, "en_retard") == 1

    # A contradictory record is refused next to its field, and the view does not move.
    page.goto(url_mesure)
    page.locator("a[data-geste=levee]").click()
    page.locator("#id_acte-date_heure").fill(_fmt(t0 - timedelta(days=1)))
    page.locator("#id_acte-auteur").fill("Directeur")
    page.get_by_role("button", name="Enregistrer l'acte").click()
    assert page.get_by_text("Date antérieure à l'admission").first.is_visible()

    acte("saisine_juge", t0 + timedelta(days=7), "Direction")
    assert _compte(page, base, "en_retard") == 0
    assert _compte(page, base, "a_venir") >= 1  # the judge's decision before day 12
    acte("decision_juge", t0 + timedelta(days=9), "Magistrat du siège", "maintien")
    page.goto(url_mesure)
    assert page.locator("tr[data-regle=ssc-decision-juge] .badge.statut-satisfait").count() == 1
    assert page.locator("tr[data-regle=ssc-decision-juge-6-mois]").count() == 1
