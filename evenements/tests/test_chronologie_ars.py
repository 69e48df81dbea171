"""Order of the EIGS declaration's steps (ORDRE_ARS): part 1 not before the event occurred, part 2 not before part 1;
and an event's occurrence not moved after a part 1 already sent — on the screen (message under the field, nothing
written) and in the events' import (the whole file refused, line and column)."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from evenements import services
from evenements.models import DeclarationARS
from evenements.tests.factories import EvenementFactory
from qualite.outils import importation

PARIS = timezone.get_current_timezone()


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


def _eigs(monde, gestionnaire):
    ev = EvenementFactory(service=monde.service_a, survenu_le=datetime(2026, 10, 10, 14, 0, tzinfo=PARIS))
    services.evenement_qualifier(evenement=ev, par=gestionnaire, donnees={
        "gravite": 5, "vraisemblance": 1, "inattendu": True, "mise_en_jeu_pronostic_vital": True, "est_eigs": True})
    return ev


def test_partie1_avant_la_survenue_refusee_a_l_ecran(monde, client_de, gestionnaire):
    ev = _eigs(monde, gestionnaire)
    response = client_de(gestionnaire).post(reverse("evenements:ars", args=[ev.pk]), {
        "nature": "x", "partie1_envoyee_le": "2026-10-09T10:00"})
    assert response.status_code == 200
    assert "ne peut précéder la survenue" in " ".join(response.context["form"].errors["partie1_envoyee_le"])
    d = DeclarationARS.objects.get(evenement=ev)
    assert d.partie1_envoyee_le is None and d.nature != "x"


def test_partie1_le_jour_meme_apres_la_survenue_acceptee(monde, gestionnaire):
    ev = _eigs(monde, gestionnaire)
    d = services.declaration_ars_enregistrer(declaration=ev.declaration_ars, par=gestionnaire, donnees={
        "partie1_envoyee_le": datetime(2026, 10, 10, 18, 0, tzinfo=PARIS)})
    assert d.partie1_envoyee_le is not None
    with pytest.raises(ValidationError) as exc:
        services.declaration_ars_enregistrer(declaration=d, par=gestionnaire, donnees={
            "partie2_envoyee_le": datetime(2026, 10, 10, 17, 0, tzinfo=PARIS)})
    assert "partie2_envoyee_le" in exc.value.error_dict


def test_survenue_deplacee_apres_l_envoi_de_la_partie1_refusee_a_l_import(monde, client_de, gestionnaire):
    ev = _eigs(monde, gestionnaire)
    services.declaration_ars_enregistrer(declaration=ev.declaration_ars, par=gestionnaire, donnees={
        "partie1_envoyee_le": datetime(2026, 10, 11, 9, 0, tzinfo=PARIS)})
    EvenementFactory(service=monde.service_a)
    response = client_de(gestionnaire).get(reverse("evenements:liste"), {"export": "csv"})
    contenu = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "10/10/2026 14:00" in contenu
    contenu = contenu.replace("10/10/2026 14:00", "12/10/2026 14:00")
    analyse = importation.analyser(importation.REGISTRES["evenements"], contenu.encode(), utilisateur=gestionnaire,
                                   nom_fichier="f.csv")
    bilan = importation.ecrire(analyse, utilisateur=gestionnaire)
    lignes = contenu.splitlines()
    ligne = next(i for i, texte in enumerate(lignes, start=1) if ev.reference in texte)
    assert [(e.ligne, e.colonne) for e in bilan.erreurs] == [(ligne, "Survenu le")]
    assert "partie 1 à l'ARS" in bilan.erreurs[0].message
    ev.refresh_from_db()
    assert timezone.localtime(ev.survenu_le) == datetime(2026, 10, 10, 14, 0, tzinfo=PARIS)
