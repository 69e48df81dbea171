"""Browser journey: a risk manager opens the inbox, qualifies an event from its button, sees it leave the inbox and
move on a step."""

import pytest

from conftest import connecter, construire_monde, recharger_referentiels
from evenements.tests.factories import EvenementFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_qualifier_depuis_la_boite(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    ev = EvenementFactory(service=monde.service_a, gravite_estimee=3)
    EvenementFactory(service=monde.service_b)  # the other établissement's: never in this inbox
    base = live_server.url

    connecter(page, base, monde.users["gestionnaire_risques"].username)
    ligne = page.locator(f"tr[data-reference='{ev.reference}']")
    assert ligne.count() == 1
    assert page.locator("tr[data-source='ei-qualifier']").count() == 1
    assert page.locator("[data-compteur=menu-a-traiter]").inner_text() == "1"
    ligne.get_by_role("link", name="Qualifier").click()
    page.wait_for_url(f"**/evenements/{ev.pk}/#t-qualif")
    assert page.locator("[aria-current=step]").inner_text().endswith("Déclaré")
    page.locator("#id_gravite").select_option("3")
    page.locator("#id_vraisemblance").select_option("2")
    page.get_by_role("button", name="Enregistrer la qualification").click()
    assert page.locator("[aria-current=step]").inner_text().endswith("Pris en charge")
    assert page.locator("h1 [data-etat]").inner_text() == "Pris en charge"
    assert "Qualification — passe à « Pris en charge »" in page.locator("[aria-label=Chronologie]").inner_text()

    page.goto(f"{base}/")
    assert page.locator(f"tr[data-reference='{ev.reference}'][data-source='ei-qualifier']").count() == 0
    # Gravity 3: its in-depth analysis is now what awaits.
    assert page.locator(f"tr[data-reference='{ev.reference}'][data-source='ei-analyses']").count() == 1
