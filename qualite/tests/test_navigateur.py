"""Browser journey: two roles log in and see what their home page offers."""

import pytest

from conftest import MOT_DE_PASSE, construire_monde

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def _connexion(page, base, username):
    page.goto(f"{base}/connexion/")
    page.get_by_label("Nom d’utilisateur").or_(page.get_by_label("Nom d'utilisateur")).fill(username)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")


def test_admin_and_declarant_see_their_own_home(live_server, page):
    monde = construire_monde()
    _connexion(page, live_server.url, monde.users["administrateur"].username)
    assert page.get_by_role("heading", name="Journal d'audit").count() == 0
    assert page.get_by_role("link", name="Journal d'audit").first.is_visible()
    page.get_by_role("link", name="Journal d'audit").first.click()
    page.wait_for_url(f"{live_server.url}/audit/")
    assert page.get_by_role("cell", name="Connexion").first.is_visible()

    page.context.clear_cookies()
    _connexion(page, live_server.url, monde.users["declarant"].username)
    assert page.get_by_text("Vos rôles : Déclarant").is_visible()
    assert page.get_by_role("link", name="Mes échéances").first.is_visible()
    assert page.get_by_role("link", name="Journal d'audit").count() == 0
    page.goto(f"{live_server.url}/audit/")
    assert page.get_by_role("heading", name="Accès refusé").is_visible()
