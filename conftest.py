"""Shared fixtures: a GHT with two établissements and one user per role, and
the system Chromium driven by Playwright for browser tests."""

import os
import shutil
from dataclasses import dataclass

import pytest

from qualite.organisation.roles import Role

MOT_DE_PASSE = "motdepasse-test"


@dataclass
class Monde:
    ght: object
    etab_a: object
    etab_b: object
    pole_a: object
    pole_a2: object
    service_a: object
    service_a2: object
    pole_b: object
    service_b: object
    users: dict
    user_b: object
    direction_ght: object


def construire_monde():
    from qualite.organisation.tests.factories import (
        EtablissementFactory,
        GHTFactory,
        PoleFactory,
        ServiceFactory,
        UtilisateurFactory,
    )

    ght = GHTFactory(nom="GHT de test")
    etab_a = EtablissementFactory(ght=ght, nom="CH A")
    etab_b = EtablissementFactory(ght=ght, nom="CH B")
    pole_a = PoleFactory(etablissement=etab_a, nom="Pôle médecine A")
    pole_a2 = PoleFactory(etablissement=etab_a, nom="Pôle chirurgie A")
    service_a = ServiceFactory(pole=pole_a, nom="Cardiologie A")
    service_a2 = ServiceFactory(pole=pole_a2, nom="Orthopédie A")
    pole_b = PoleFactory(etablissement=etab_b, nom="Pôle médecine B")
    service_b = ServiceFactory(pole=pole_b, nom="Cardiologie B")
    users = {}
    for role in Role:
        users[role.value] = UtilisateurFactory(
            username=role.value,
            roles=[role.value],
            etablissements=[etab_a],
            pole=pole_a if role in (Role.CADRE_POLE, Role.DECLARANT, Role.PSYCHIATRE) else None,
            service=service_a if role in (Role.DECLARANT, Role.PSYCHIATRE) else None,
            is_staff=role == Role.ADMINISTRATEUR,
            is_superuser=role == Role.ADMINISTRATEUR,
        )
    user_b = UtilisateurFactory(username="gestionnaire_b", roles=[Role.GESTIONNAIRE_RISQUES], etablissements=[etab_b])
    direction_ght = UtilisateurFactory(
        username="direction_ght", roles=[Role.DIRECTION], etablissements=[etab_a], perimetre_ght=True
    )
    return Monde(ght, etab_a, etab_b, pole_a, pole_a2, service_a, service_a2, pole_b, service_b, users, user_b, direction_ght)


@pytest.fixture
def monde(db):
    return construire_monde()


@pytest.fixture
def client_de(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session")
def navigateur():
    """Headless system Chromium. Skipped when absent, unless EXIGER_NAVIGATEUR=1 (CI)."""
    chemin = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chemin:
        if os.environ.get("EXIGER_NAVIGATEUR"):
            pytest.fail("Chromium est requis (EXIGER_NAVIGATEUR=1) mais introuvable.")
        pytest.skip("Chromium absent : tests navigateur ignorés")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chemin,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(navigateur):
    context = navigateur.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


def texte(response) -> str:
    """A response's HTML with entities decoded, for assertions on visible text."""
    import html

    return html.unescape(response.content.decode())


def recharger_referentiels():
    """Transactional (browser) tests flush every table: put the reference data back (rules, types, letters)."""
    from qualite.echeances.referentiels import tout_synchroniser

    tout_synchroniser()


def connecter(page, base: str, username: str) -> None:
    """Log a browser page in through the real login form (cookies of a previous user dropped)."""
    page.context.clear_cookies()
    page.goto(f"{base}/connexion/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
