"""RGAA AA in a real browser: axe-core (from the npm registry, package.json) runs on every main page, as the
demo's accounts see them, and the suite fails on any serious or critical violation."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

# (demo account, pages): each main page once, as a user whose work it is.
PAGES = {
    "qualiticien": ["/", "/echeances/", "/evenements/", "/evenements/declarer/", "/evenements/statistiques/",
                    "/evenements/revues/", "/plan-actions/", "/risques/", "/risques/carte/", "/risques/nouveau/",
                    "/documents/", "/documents/nouveau/", "/certification/referentiel/", "/certification/evaluations/",
                    "/certification/indicateurs/", "/certification/preparation/", "/certification/visites/nouvelle/",
                    "/pilotage/rapports/", "/echeances/regles/"],
    "relations": ["/usagers/reclamations/", "/usagers/reclamations/nouvelle/", "/usagers/dossiers-medicaux/",
                  "/usagers/dossiers-medicaux/nouvelle/", "/usagers/cdu/", "/usagers/dialogue-securite/"],
    "admissions": ["/usagers/soins-sans-consentement/", "/usagers/soins-sans-consentement/mesures/",
                   "/usagers/soins-sans-consentement/mesures/nouvelle/",
                   "/usagers/soins-sans-consentement/isolement/registre/"],
    "cdu": ["/pilotage/tableaux/cdu/"],
    "direction": ["/pilotage/tableaux/direction/"],
    "declarant": ["/", "/evenements/mes-declarations/"],
    "admin": ["/audit/", "/import/", "/administration/groupes-annuaire/"],
}
NORMES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def axe_source():
    if not AXE.exists():
        if os.environ.get("EXIGER_NAVIGATEUR"):
            pytest.fail(f"axe-core est requis (EXIGER_NAVIGATEUR=1) : {AXE} absent (npm ci).")
        pytest.skip("axe-core absent (npm ci) : contrôle d'accessibilité navigateur ignoré")
    return AXE.read_text()


def _violations(page, axe_source) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)  # evaluated by the browser's devtools protocol: not subject to the page's CSP
    resultat = page.evaluate("(normes) => axe.run(document, {runOnly: {type: 'tag', values: normes}})", NORMES)
    return [{"regle": v["id"], "impact": v["impact"], "aide": v["help"],
             "cibles": [n["target"] for n in v["nodes"][:5]]}
            for v in resultat["violations"] if v["impact"] in ("serious", "critical")]


def _connecter(page, base, login):
    from qualite.organisation.demo import MOT_DE_PASSE_DEMO

    page.context.clear_cookies()
    page.goto(f"{base}/connexion/")
    page.locator("#id_username").fill(login)
    page.locator("#id_password").fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")


def test_aucune_violation_grave_sur_les_pages_principales(live_server, page, axe_source):
    call_command("demo")
    trouvees = {}
    for login, urls in PAGES.items():
        _connecter(page, live_server.url, login)
        for url in urls:
            reponse = page.goto(f"{live_server.url}{url}")
            assert reponse.status == 200, (login, url, reponse.status)
            violations = _violations(page, axe_source)
            if violations:
                trouvees[f"{login} {url}"] = violations
    if trouvees and os.environ.get("AXE_RAPPORT"):
        Path(os.environ["AXE_RAPPORT"]).write_text(json.dumps(trouvees, ensure_ascii=False, indent=1))
    assert not trouvees, json.dumps(trouvees, ensure_ascii=False, indent=1)


def test_une_erreur_de_saisie_donne_un_resume_qui_prend_le_focus(live_server, page, axe_source):
    call_command("demo")
    _connecter(page, live_server.url, "relations")
    page.goto(f"{live_server.url}/usagers/dossiers-medicaux/nouvelle/")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    resume = page.locator("#resume-erreurs")
    assert resume.is_visible()
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == "resume-erreurs"
    lien = resume.locator("a").first
    cible = lien.get_attribute("href")
    lien.click()
    assert page.evaluate("() => '#' + document.activeElement.id") == cible
    assert not _violations(page, axe_source)


def test_aucune_liste_ne_s_ouvre_sur_des_tirets(db, client):
    """Django's and django-filter's « --------- » empty choice is read aloud as dashes: « Sélectionner… » in a
    form, « Tous » in a filter bar."""
    from qualite.organisation.tests.factories import UtilisateurFactory

    client.force_login(UtilisateurFactory(username="gdr", roles=["gestionnaire_risques"]))
    for url in ("/evenements/", "/evenements/declarer/", "/plan-actions/"):
        page = client.get(url).content.decode()
        assert "---------" not in page, url
    assert ">Tous</option>" in client.get("/evenements/").content.decode()
