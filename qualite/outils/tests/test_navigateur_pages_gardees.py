"""Browser journey on a kept page (qualite/outils/cache_pages.py): the register is served again from the
cache, a new event shows at the next visit, and the forms of a served page still pass the CSRF check
(logging out from it works)."""

import pytest

from conftest import connecter, construire_monde, recharger_referentiels
from evenements.tests.factories import EvenementFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def _ouvrir(page, url) -> tuple[bool, str]:
    reponse = page.goto(url)
    assert reponse.status == 200
    return reponse.headers.get("x-page-en-cache") == "1", page.locator("main").inner_text()


def test_page_gardee_dans_le_navigateur(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    ev = EvenementFactory(service=monde.service_a)
    base = live_server.url
    url = f"{base}/evenements/"

    connecter(page, base, monde.users["gestionnaire_risques"].username)
    visites = [_ouvrir(page, url) for _ in range(3)]
    assert not visites[0][0] and visites[2][0] and ev.reference in visites[2][1]

    nouveau = EvenementFactory(service=monde.service_a)
    servie, texte = _ouvrir(page, url)
    assert not servie and nouveau.reference in texte

    assert [_ouvrir(page, url)[0] for _ in range(2)][-1]  # served again: its logout form carries a valid token
    page.locator(".menu-compte").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(f"{base}/connexion/**")
    assert "CSRF" not in page.content()
    page.goto(url)
    assert page.url.startswith(f"{base}/connexion/")  # logged out: no kept page for an anonymous visitor
