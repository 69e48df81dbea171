"""Browser journey of the binôme: plan the year, open the next meeting's agenda and find the service's real
events and late actions in it (and nothing from another service), write the minutes, turn a decision into an
action, download the annual review."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import connecter, construire_monde, recharger_referentiels

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_le_binome_planifie_prepare_et_rend_compte(live_server, page):
    from pypdf import PdfReader

    from evenements.tests.factories import EvenementFactory
    from qualite.espaces.models import DecisionReunion, ReunionEspace
    from qualite.espaces.tests.factories import EspaceFactory
    from qualite.paqss.models import ActionAmelioration

    monde = construire_monde()
    recharger_referentiels()
    cadre, psy = monde.users["cadre_pole"], monde.users["psychiatre"]
    espace = EspaceFactory(nom="Espace qualité Cardiologie A", service=monde.service_a, services=[monde.service_a],
                           binome_medecin=psy, binome_cadre=cadre)
    EvenementFactory(service=monde.service_a, reference="EI-2026-00777", resume_anonymise="Erreur d'étiquetage évitée")
    EvenementFactory(service=monde.service_a2, reference="EI-2026-00999", resume_anonymise="AUTRE SERVICE")
    for service, titre in ((monde.service_a, "Réviser le protocole douleur"), (monde.service_a2, "ACTION AUTRE SERVICE")):
        ActionAmelioration.objects.create(titre=titre, origine="axe", etablissement=monde.etab_a, pole=service.pole,
                                          service=service, statut="en_cours",
                                          echeance=timezone.localdate() - timedelta(days=10))
    base = live_server.url
    connecter(page, base, cadre.username)

    # Plan the year: today and in two months.
    page.goto(f"{base}/espaces/")
    page.get_by_role("link", name="Espace qualité Cardiologie A").click()
    page.get_by_role("link", name="Planifier les réunions de l'année").click()
    aujourd_hui = timezone.localdate()
    page.get_by_label("Réunion 1", exact=True).fill(aujourd_hui.isoformat())
    page.get_by_label("Réunion 2", exact=True).fill((aujourd_hui + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Planifier les réunions").click()
    page.get_by_text("2 réunion(s) planifiée(s).").wait_for()
    assert espace.reunions.count() == 2

    # The next meeting's agenda, drawn from the registers.
    page.get_by_role("link", name=f"Prochaine réunion : {aujourd_hui:%d/%m/%Y}").click()
    page.get_by_role("button", name="Construire l'ordre du jour depuis les registres").click()
    page.get_by_text("Ordre du jour actualisé").wait_for()
    odj = page.locator("[data-ordre-du-jour]").inner_text()
    assert "EI-2026-00777" in odj and "Erreur d'étiquetage évitée" in odj
    assert "En retard : Réviser le protocole douleur" in odj
    assert "EI-2026-00999" not in odj and "AUTRE SERVICE" not in odj

    # A decision becomes an action of the service's plan, once.
    page.get_by_label("Décision").fill("Afficher la check-list anticoagulants en salle de soins")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée.").wait_for()
    page.get_by_role("button", name="Transformer en action du plan").click()
    page.get_by_text("ouverte dans le plan d'actions du service").wait_for()
    action = ActionAmelioration.objects.get(titre="Afficher la check-list anticoagulants en salle de soins")
    assert action.service_id == monde.service_a.pk and DecisionReunion.objects.get().action_id == action.pk

    # The minutes, validated.
    page.get_by_role("link", name="Rédiger le compte rendu").click()
    page.locator(f"#id_membre_{psy.pk}").select_option("present")
    page.locator(f"#id_membre_{cadre.pk}").select_option("present")
    page.get_by_label("Compte rendu", exact=True).fill("Revue des évènements et du plan d'actions du service.")
    page.get_by_label("Patients partenaires présents").fill("Mme Patiente partenaire")
    page.get_by_label("Valider le compte rendu").check()
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    page.get_by_text("Compte rendu validé : la réunion est tenue.").wait_for()
    assert ReunionEspace.objects.filter(espace=espace, statut="tenue").count() == 1

    # The annual review, downloaded.
    page.get_by_role("link", name=espace.nom).first.click()
    page.get_by_role("link", name=f"Bilan annuel {aujourd_hui.year}").click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le bilan en PDF").click()
    contenu = open(telechargement.value.path(), "rb").read()
    texte = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(contenu)).pages).split())
    assert f"Bilan annuel {aujourd_hui.year}" in texte
    assert "Réunions tenues : 1 sur" in texte
    assert "actions levées dans le plan d'actions : 1" in texte
