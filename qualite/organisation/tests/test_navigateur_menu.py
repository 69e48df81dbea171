"""Browser check: at 1440 px, the main menu of the busiest accounts (administrator, risk manager, and a person
holding every role) fits on one line, and its drop-down menus open from the keyboard."""

import pytest

from conftest import connecter, construire_monde
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

MESURE = """() => {
  const barre = document.querySelector('nav.navbar');
  const items = [...barre.querySelectorAll('.navbar-brand, #menu > .navbar-nav > .nav-item')];
  return {hauteur: barre.getBoundingClientRect().height,
          hauts: [...new Set(items.map(e => Math.round(e.getBoundingClientRect().top)))],
          largeur: document.documentElement.scrollWidth, items: items.length};
}"""


def test_le_menu_tient_sur_une_ligne_a_1440_px(live_server, page):
    monde = construire_monde()
    tous = UtilisateurFactory(username="cumul.des.roles", roles=[r.value for r in Role], etablissements=[monde.etab_a],
                              pole=monde.pole_a, service=monde.service_a)
    page.set_viewport_size({"width": 1440, "height": 900})
    for user in (monde.users["administrateur"], monde.users["gestionnaire_risques"], tous):
        connecter(page, live_server.url, user.username)
        mesure = page.evaluate(MESURE)
        assert mesure["items"] >= 8, mesure  # « À traiter », the sections and the account menu are all there
        assert len(mesure["hauts"]) == 1 and mesure["hauteur"] < 64, (user.username, mesure)
        assert mesure["largeur"] <= 1440, mesure  # nothing pushed beyond the window


def test_les_sections_s_ouvrent_au_clavier(live_server, page):
    monde = construire_monde()
    page.set_viewport_size({"width": 1440, "height": 900})
    connecter(page, live_server.url, monde.users["administrateur"].username)
    section = page.locator("#menu .dropdown-toggle").first
    section.focus()
    page.keyboard.press("Enter")
    menu = page.locator("#menu .dropdown-menu.show")
    menu.wait_for()
    assert section.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('dropdown-item')")
    page.keyboard.press("Escape")
    assert section.get_attribute("aria-expanded") == "false"
