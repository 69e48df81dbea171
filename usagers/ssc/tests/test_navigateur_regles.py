"""Browser journey: the administrator changes the 24 h certificate's delay on the « Règles d'échéance » page; once the
background recomputation has run, the measure's calendar shows the new due time, flagged against the law's value."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import connecter, construire_monde, recharger_referentiels
from qualite.taches.services import taches_traiter
from usagers.ssc import services

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_l_administrateur_modifie_un_delai_et_le_calendrier_suit(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    base = live_server.url
    t0 = (timezone.localtime() - timedelta(hours=3)).replace(second=0, microsecond=0)
    mesure = services.mesure_admettre(
        par=monde.users["bureau_admissions"], service=monde.service_a,
        patient={"ipp": "778899", "nom": "Roux", "prenom": "Alix", "date_naissance": timezone.localdate().replace(year=1980)},
        mesure={"mode": "sdt", "t0": t0, "tiers_nom": "Paul Roux", "tiers_lien": "frère"})

    connecter(page, base, monde.users["administrateur"].username)
    page.goto(f"{base}/echeances/regles/")
    page.get_by_role("link", name="Modifier le délai de « Certificat de 24 heures »").click()
    page.get_by_label("Délai (heures écoulées)").fill("30")
    page.get_by_role("button", name="Enregistrer le délai").click()
    # The reason is required: the page says so next to the field and in the summary, nothing is saved.
    assert page.locator("#resume-erreurs").is_visible()
    assert "obligatoire" in page.locator("#resume-erreurs").inner_text()
    page.get_by_label("Motif de la modification").fill("Décision de la direction")
    page.get_by_role("button", name="Enregistrer le délai").click()
    page.wait_for_url("**/echeances/regles/")
    ligne = page.locator("tr", has_text="Certificat de 24 heures")
    assert "30 h" in ligne.inner_text() and "modifié" in ligne.inner_text()

    assert taches_traiter() >= 1  # the worker's part, run here
    page.goto(f"{base}/usagers/soins-sans-consentement/mesures/{mesure.pk}/")
    cellule = page.locator("tr[data-regle=ssc-certificat-24h]")
    assert "délai modifié : 30 h (loi : 24 h)" in cellule.inner_text()
    attendu = timezone.localtime(t0 + timedelta(hours=30)).strftime("%d/%m/%Y %H:%M")
    assert attendu in cellule.inner_text()
