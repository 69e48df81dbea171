"""Guided steps: the state follows the work, only the next legal moves are offered, every move is in the timeline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from evenements import services
from evenements.models import DeclarationARS, Geste, Statut, TransitionEvenement
from evenements.tests.factories import EvenementFactory

pytestmark = pytest.mark.django_db


def _declare(monde):
    return services.evenement_declarer(declarant=monde.users["declarant"], service=monde.service_a, donnees={
        "survenu_le": timezone.now() - timedelta(days=10), "type": EvenementFactory.type.function(),
        "description": "Arrêt cardiaque pendant une sédation.", "personnes": ["patient"], "gravite_estimee": 5})


def test_gestes_offerts_selon_l_etat(monde):
    ev = EvenementFactory(service=monde.service_a)
    assert ev.prochains_gestes() == [Geste.QUALIFICATION, Statut.CLASSE_SANS_SUITE]
    ev.statut = Statut.PRIS_EN_CHARGE
    assert ev.prochains_gestes() == [Geste.ANALYSE, Geste.ACTION, Geste.RETOUR, Statut.CLOTURE, Statut.CLASSE_SANS_SUITE]
    ev.statut = Statut.ACTIONS_EN_COURS
    assert ev.prochains_gestes() == [Geste.ACTION, Geste.RETOUR, Statut.CLOTURE]
    ev.statut, ev.retour_le = Statut.CLOTURE, None
    assert ev.prochains_gestes() == [Geste.RETOUR]
    ev.retour_le = timezone.now()
    assert ev.prochains_gestes() == []


def test_barre_d_etapes(monde):
    ev = EvenementFactory(service=monde.service_a, statut=Statut.EN_ANALYSE)
    assert [e["etat"] for e in ev.etapes()] == ["fait", "fait", "courant", "a_venir", "a_venir"]
    ev.statut = Statut.CLASSE_SANS_SUITE
    assert [e["statut"] for e in ev.etapes()] == [Statut.DECLARE, Statut.CLASSE_SANS_SUITE]


def test_du_declare_a_la_cloture_par_le_travail_et_chronologie_complete(monde, client_de):
    gestionnaire = monde.users["gestionnaire_risques"]
    ev = _declare(monde)
    ev = services.evenement_qualifier(evenement=ev, par=gestionnaire, donnees={
        "gravite": 5, "vraisemblance": 2, "inattendu": True, "deces": True, "est_eigs": True})
    assert ev.statut == Statut.PRIS_EN_CHARGE
    ev.refresh_from_db()
    assert ev.prochains_gestes()[0] == Geste.ARS_PARTIE1
    declaration = DeclarationARS.objects.get(evenement=ev)
    services.declaration_ars_enregistrer(declaration=declaration, par=gestionnaire,
                                         donnees={"partie1_envoyee_le": timezone.now() - timedelta(days=9)})
    services.analyse_enregistrer(evenement=ev, par=gestionnaire, facteurs=[], donnees={
        "date": timezone.localdate(), "participants": "IDE", "terminee": False})
    ev.refresh_from_db()
    assert ev.statut == Statut.EN_ANALYSE
    analyse = ev.analyses.get()
    services.analyse_enregistrer(evenement=ev, par=gestionnaire, facteurs=[], analyse=analyse,
                                 donnees={"terminee": True})
    services.evenement_ajouter_action(evenement=ev, par=gestionnaire, titre="Protocole de sédation",
                                      echeance=timezone.localdate() + timedelta(days=30))
    ev.refresh_from_db()
    assert ev.statut == Statut.ACTIONS_EN_COURS
    services.declaration_ars_enregistrer(declaration=DeclarationARS.objects.get(pk=declaration.pk), par=gestionnaire,
                                         donnees={"partie2_envoyee_le": timezone.now()})
    services.evenement_faire_retour(evenement=ev, par=gestionnaire, texte="Un protocole est écrit.")
    services.evenement_changer_statut(evenement=ev, par=gestionnaire, vers=Statut.CLOTURE)
    gestes = list(TransitionEvenement.objects.filter(evenement=ev).values_list("geste", "vers", "par"))
    assert [g for g, _v, _p in gestes] == ["", Geste.QUALIFICATION, Geste.EIGS, Geste.ARS_PARTIE1, Geste.ANALYSE,
                                           Geste.ANALYSE_TERMINEE, Geste.ACTION, Geste.ARS_PARTIE2, Geste.RETOUR, ""]
    assert [v for _g, v, _p in gestes][-1] == Statut.CLOTURE
    assert all(p == gestionnaire.pk for _g, _v, p in gestes[1:])
    page = texte(client_de(gestionnaire).get(reverse("evenements:detail", args=[ev.pk])))
    for libelle in ("Qualification — passe à « Pris en charge »", "Déclaré EIGS", "Partie 1 envoyée à l'ARS",
                    "Analyse approfondie ouverte — passe à « En analyse »", "Analyse approfondie terminée",
                    "Action corrective ajoutée — passe à « Actions en cours »", "Partie 2 envoyée à l'ARS",
                    "Retour au déclarant", "Clôturé"):
        assert libelle in page, libelle
    assert 'aria-current="step"' in page and 'data-etape="cloture" aria-current="step"' in page


def test_la_fiche_n_offre_que_les_gestes_legaux(monde, client_de):
    ev = EvenementFactory(service=monde.service_a)
    page = texte(client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:detail", args=[ev.pk])))
    assert 'data-geste="qualification"' in page and 'data-geste="classe_sans_suite"' in page
    assert 'data-geste="cloture"' not in page and 'data-geste="action"' not in page
    assert 'data-etape="declare" aria-current="step"' in page
    # The declarant follows the steps, without the buttons.
    ev.created_by = monde.users["declarant"]
    ev.save()
    page = texte(client_de(monde.users["declarant"]).get(reverse("evenements:detail", args=[ev.pk])))
    assert 'aria-current="step"' in page and "data-geste=" not in page


def test_un_bouton_d_etat_enregistre_qui_et_quand(monde, client_de):
    ev = EvenementFactory(service=monde.service_a, statut=Statut.PRIS_EN_CHARGE)
    client = client_de(monde.users["gestionnaire_risques"])
    reponse = client.post(reverse("evenements:changer_statut", args=[ev.pk]), {"vers": Statut.CLOTURE})
    assert reponse.status_code == 302
    t = TransitionEvenement.objects.get(evenement=ev)
    assert (t.de, t.vers, t.par) == (Statut.PRIS_EN_CHARGE, Statut.CLOTURE, monde.users["gestionnaire_risques"])
    # A move the state does not allow is refused, nothing recorded.
    reponse = client.post(reverse("evenements:changer_statut", args=[ev.pk]), {"vers": Statut.EN_ANALYSE})
    assert reponse.status_code == 200 and TransitionEvenement.objects.filter(evenement=ev).count() == 1
