"""Browser journey: two roles log in and see what their home page offers."""

import pytest

from conftest import connecter, construire_monde

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]




def test_l_admin_et_le_declarant_voient_leur_propre_accueil(live_server, page):
    monde = construire_monde()
    connecter(page, live_server.url, monde.users["administrateur"].username)
    assert page.get_by_role("heading", name="Journal d'audit").count() == 0
    assert page.get_by_role("link", name="Journal d'audit").first.is_visible()
    page.get_by_role("link", name="Journal d'audit").first.click()
    page.wait_for_url(f"{live_server.url}/audit/")
    assert page.get_by_role("cell", name="Connexion").first.is_visible()

    page.context.clear_cookies()
    connecter(page, live_server.url, monde.users["declarant"].username)
    assert page.get_by_text("Vos rôles : Déclarant").is_visible()
    assert page.get_by_role("link", name="Mes échéances").first.is_visible()
    assert page.get_by_role("link", name="Journal d'audit").count() == 0
    page.goto(f"{live_server.url}/audit/")
    assert page.get_by_role("heading", name="Accès refusé").is_visible()
