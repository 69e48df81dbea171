"""OpenID Connect login and logout in the system Chromium: the application on a live server, the real provider
(tests/fournisseur_oidc.py) on another port, every redirect followed by the browser."""

import pytest

from conftest import construire_monde
from qualite.identite.models import Source
from qualite.identite.reglages import origine, reglages_oidc
from qualite.identite.tests.oidc_fixture import CLIENT_ID, CLIENT_SECRET, MOT_DE_PASSE
from qualite.identite.tests.serveurs import appliquer_reglages, creer_correspondance
from qualite.organisation.models import Utilisateur
from qualite.organisation.roles import Role

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_connexion_puis_deconnexion_oidc_dans_le_navigateur(live_server, page, settings, fournisseur_oidc):
    monde = construire_monde()
    creer_correspondance("qualite-gdr", [Role.GESTIONNAIRE_RISQUES], [monde.etab_a], source=Source.OIDC)
    appliquer_reglages(settings, reglages_oidc({
        "OIDC_DISCOVERY_URL": fournisseur_oidc.decouverte, "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_SCOPES": "openid profile email groups",
        "OIDC_LIBELLE": "Fournisseur de test",
    }))
    # As config/settings/base.py does when OIDC_DISCOVERY_URL is set at start.
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
        **directives, "form-action": [*directives["form-action"], origine(fournisseur_oidc.decouverte)]}}
    # The provider accepts any port on the loopback address, not "localhost".
    base = live_server.url.replace("localhost", "127.0.0.1")

    page.goto(f"{base}/connexion/")
    page.get_by_role("link", name="Se connecter avec Fournisseur de test").click()
    page.wait_for_url(f"{fournisseur_oidc.url}/connexion/**")
    page.locator("input[name=username]").fill("oalice")
    page.locator("input[name=password]").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_text("Gestionnaire des risques").first.is_visible()
    assert Utilisateur.objects.get(username="oalice").roles == [Role.GESTIONNAIRE_RISQUES]

    # Logout: the application's session, then the provider's, then back to the login page.
    page.locator("form[action='/deconnexion/'] button").dispatch_event("click")
    page.wait_for_url(f"{base}/connexion/**")
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/connexion/**")
    page.get_by_role("link", name="Se connecter avec Fournisseur de test").click()
    page.wait_for_url(f"{fournisseur_oidc.url}/connexion/**")  # the provider asks for the password again
