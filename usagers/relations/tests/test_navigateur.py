"""Browser journey: complaint → mediation → CDU session → answer, deadlines shown at each step."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]




def _statut(page, regle):
    return page.locator(f"tr[data-regle={regle}] .badge").first.inner_text()


def test_reclamation_mediation_cdu_reponse(live_server, page):
    monde = construire_monde()
    recharger_referentiels()
    base = live_server.url
    jour = timezone.localdate()
    recue = jour - timedelta(days=20)

    connecter(page, base, monde.users["relations_usagers"].username)
    page.goto(f"{base}/usagers/reclamations/nouvelle/")
    page.get_by_label("Nature").select_option("plainte")
    page.get_by_label("Canal").select_option("courrier")
    page.get_by_label("Prise en charge médicale et soignante").check()
    page.get_by_label("Nom et prénom de l'auteur").fill("Odile Marchand")
    page.get_by_label("Lien avec le patient").fill("épouse")
    page.get_by_label("Objet de la réclamation").fill("Sortie sans ordonnance de mon mari.")
    page.get_by_label("Reçue le").fill(recue.isoformat())
    page.get_by_label("Accusé de réception le").fill((recue + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/usagers/reclamations/*/")
    url = page.url
    assert _statut(page, "rec-accuse") == "Satisfait"
    assert page.locator("tr[data-regle=rec-rencontre-mediateur]").count() == 0

    # Mediation, by the step buttons only: the 8-day meeting deadline appears as soon as the mediator is seized.
    assert "Réception accusée" in page.locator("[data-statut]").inner_text()
    page.locator("#id_geste-saisine-mediation").select_option("medicale")
    page.get_by_label("Médiateur saisi le").fill((jour - timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Saisir le médiateur").click()
    page.wait_for_url(url)
    assert _statut(page, "rec-rencontre-mediateur") == "À venir"
    assert page.locator("[data-etape=en_mediation]").get_attribute("aria-current") == "step"
    page.get_by_label("Rencontre avec le médiateur le").fill((jour - timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Rencontre avec le médiateur faite").click()
    assert _statut(page, "rec-rencontre-mediateur") == "Satisfait"
    assert _statut(page, "rec-rapport-mediateur") == "À venir"
    page.get_by_label("Rapport du médiateur le").fill(jour.isoformat())
    page.get_by_role("button", name="Compte rendu du médiateur reçu").click()
    assert _statut(page, "rec-rapport-mediateur") == "Satisfait"

    # CDU session, then the answer within 8 days.
    page.goto(f"{base}/usagers/cdu/seances/nouvelle/")
    page.get_by_label("Date").fill(jour.isoformat())
    page.get_by_label("Statut").select_option("tenue")
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.wait_for_url("**/cdu/seances/*/")
    page.goto(url)
    page.get_by_label("Séance de la CDU").select_option(index=1)
    page.get_by_label("Avis ou recommandation de la CDU").fill("Rappeler la procédure de sortie au service.")
    page.get_by_role("button", name="Avis de la CDU rendu").click()
    assert _statut(page, "rec-reponse-finale") == "À venir"
    assert "Avis de la CDU rendu" in page.locator("[data-statut]").inner_text()
    page.get_by_label("Réponse finale le").fill(jour.isoformat())
    page.get_by_role("button", name="Réponse finale du directeur : clôturer").click()
    assert _statut(page, "rec-reponse-finale") == "Satisfait"
    assert page.locator("[data-statut]").inner_text() == "Close (réponse finale envoyée)"
    assert page.locator("[data-chronologie] li").count() == 5  # the five gestures made by the buttons
