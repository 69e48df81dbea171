"""Browser journey: an audit finding → a PAQSS action → done → evidence on the criterion."""

import datetime

import pytest

from certification.models import Evaluation
from certification.tests.factories import CritereFactory
from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]




def test_du_constat_d_audit_a_l_action_puis_a_la_preuve(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    critere = CritereFactory(code="EX-2.1-01")
    audit_systeme = Evaluation.objects.create(
        methode=Evaluation.Methode.AUDIT_SYSTEME, date=datetime.date(2026, 10, 1), etablissement=monde.etab_a,
        service=monde.service_a, evaluateurs="Qualiticien", constats="Douleur non réévaluée après antalgique.")
    audit_systeme.criteres.add(critere)
    base = live_server.url

    connecter(page, base, monde.users["gestionnaire_risques"].username)
    # 1. From the finding, raise an action.
    page.get_by_role("link", name="Évaluations").first.click()
    page.get_by_role("link", name="Audit système du 01/10/2026").click()
    page.get_by_label("Action à mener").fill("Réévaluer la douleur une heure après chaque antalgique")
    page.get_by_label("Échéance").fill("2030-03-31")
    page.get_by_role("button", name="Ajouter au plan d'actions").click()
    assert page.get_by_text("Action ajoutée au programme d'actions").is_visible()

    # 2. Follow it to done in the PAQSS.
    page.locator(".actions-evaluation").get_by_role("link", name="Réévaluer la douleur").click()
    assert page.locator("[data-source] a").inner_text() == "Audit système du 01/10/2026"
    page.get_by_label("Nouveau statut").select_option(label="En cours")
    page.get_by_role("button", name="Valider le statut").click()
    page.get_by_label("Nouveau statut").select_option(label="Réalisée")
    page.get_by_role("button", name="Valider le statut").click()
    assert page.locator("h1 [data-statut]").inner_text() == "Réalisée"

    # 3. Show it as evidence on the criterion the audit tested.
    page.locator("[data-source] a").click()
    page.get_by_role("link", name="EX-2.1-01").click()
    page.get_by_label("Établissement").select_option(label="CH A")
    page.get_by_label("Niveau").select_option(label="Atteint")
    page.get_by_label("Réévaluer la douleur une heure après chaque antalgique").check()  # boxes to tick
    page.get_by_role("button", name="Enregistrer l'auto-évaluation").click()
    assert page.get_by_text("Auto-évaluation enregistrée.").is_visible()
    bloc = page.locator(".autoevaluation[data-etablissement='CH A']")
    assert bloc.locator("[data-niveau]").inner_text() == "Atteint"
    assert "Réévaluer la douleur une heure après chaque antalgique (Réalisée)" in bloc.locator(".preuves").inner_text()
