"""Figures as of 31 December: processes, pilot pairs and EPP states are counted as the registers stood
at the end of each year, not as they stand on the day of the report."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from certification import services
from certification.models import EPP, PilotageProcessus, StatutEPP
from qualite.pilotage.selectors import chiffres_cles

pytestmark = pytest.mark.django_db


def chiffres(monde, annee):
    return {c["code"]: (c["total"], c["precedent"]) for c in chiffres_cles(annee=annee, etablissements=[monde.etab_a])}


def processus(monde, nom, le, **pilotes):
    return services.processus_enregistrer(par=monde.users["administrateur"], le=le,
                                          donnees={"nom": nom, "etablissement": monde.etab_a, **pilotes})


def test_un_processus_cree_en_n_plus_1_ne_compte_pas_en_n(monde):
    processus(monde, "Circuit du médicament", date(2024, 3, 1))
    processus(monde, "Urgences", date(2025, 2, 1))
    assert chiffres(monde, 2025)["processus"] == (2, 1)
    assert chiffres(monde, 2024)["processus"] == (1, 0)


def test_un_processus_retire_compte_jusqu_a_son_retrait(monde):
    p = processus(monde, "Ancien", date(2023, 1, 1))
    services.processus_enregistrer(par=monde.users["administrateur"], processus=p, donnees={"actif": False},
                                   le=date(2025, 6, 1))
    assert chiffres(monde, 2025)["processus"] == (0, 1)
    p.refresh_from_db()
    assert p.actif is False and p.periodes.get().au == date(2025, 6, 1)


def test_un_binome_change_en_n_plus_1_compte_le_binome_de_n(monde):
    medecin, cadre, autre = monde.users["psychiatre"], monde.users["cadre_pole"], monde.users["direction"]
    p = processus(monde, "Parcours patient", date(2024, 1, 10), pilote_medical=medecin)  # no pair in 2024
    services.processus_enregistrer(par=medecin, processus=p, donnees={"pilote_soignant": cadre}, le=date(2025, 1, 5))
    services.processus_enregistrer(par=medecin, processus=p, donnees={"pilote_medical": autre}, le=date(2026, 2, 1))
    assert chiffres(monde, 2025)["binomes"] == (1, 0)
    periode_2025 = p.periodes.get(du__lte=date(2025, 12, 31), au__gt=date(2025, 12, 31))
    assert (periode_2025.pilote_medical, periode_2025.pilote_soignant) == (medecin, cadre)
    assert p.periodes.get(au=None).pilote_medical == autre
    assert [x.du for x in p.periodes.order_by("du")] == [date(2024, 1, 10), date(2025, 1, 5), date(2026, 2, 1)]
    # Removing a pilot in 2026: the 2025 pair still counts for 2025, not for 2026.
    services.processus_enregistrer(par=medecin, processus=p, donnees={"pilote_soignant": None}, le=date(2026, 3, 1))
    assert chiffres(monde, 2026)["binomes"] == (0, 1)


def test_une_epp_active_en_n_et_abandonnee_en_n_plus_1_compte_en_n(monde):
    u = monde.users["administrateur"]
    epp = services.epp_enregistrer(par=u, le=date(2025, 1, 15), donnees={
        "theme": "Douleur", "pilotes": "Dr X", "etat": EPP.Etat.EN_COURS, "etablissement": monde.etab_a,
        "date_debut": date(2025, 1, 15)})
    services.epp_enregistrer(par=u, epp=epp, donnees={"etat": EPP.Etat.ABANDONNEE}, le=date(2026, 4, 1))
    assert chiffres(monde, 2026)["epp"] == (0, 1)
    assert [(s.etat, s.du, s.au) for s in epp.statuts.order_by("du")] == [
        ("en_cours", date(2025, 1, 15), date(2026, 4, 1)), ("abandonnee", date(2026, 4, 1), None)]


def test_une_epp_en_projet_au_31_decembre_ne_compte_pas(monde):
    u = monde.users["administrateur"]
    epp = services.epp_enregistrer(par=u, le=date(2025, 3, 1), donnees={
        "theme": "Contention", "pilotes": "Dr Y", "etat": EPP.Etat.EN_PROJET, "etablissement": monde.etab_a,
        "date_debut": date(2025, 3, 1)})
    services.epp_enregistrer(par=u, epp=epp, donnees={"etat": EPP.Etat.EN_COURS}, le=date(2026, 1, 10))
    assert chiffres(monde, 2026)["epp"] == (1, 0)


def test_une_epp_saisie_en_retard_est_dans_son_etat_depuis_son_debut(monde):
    services.epp_enregistrer(par=monde.users["administrateur"], le=date(2026, 5, 1), donnees={
        "theme": "Chutes", "pilotes": "IDE", "etat": EPP.Etat.EN_COURS, "etablissement": monde.etab_a,
        "date_debut": date(2024, 9, 1)})
    assert chiffres(monde, 2025)["epp"] == (1, 1)
    assert StatutEPP.objects.get().du == date(2024, 9, 1)


def test_l_historique_ne_se_reecrit_pas(monde):
    p = processus(monde, "Blocs", date(2025, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.processus_enregistrer(par=monde.users["administrateur"], processus=p,
                                       donnees={"pilote_medical": monde.users["psychiatre"]}, le=date(2025, 4, 1))
    assert "ne peut précéder le 01/05/2025" in str(exc.value)
    # The same day corrects the period instead of adding an empty one.
    services.processus_enregistrer(par=monde.users["administrateur"], processus=p,
                                   donnees={"pilote_medical": monde.users["psychiatre"]}, le=date(2025, 5, 1))
    assert PilotageProcessus.objects.get(processus=p).pilote_medical == monde.users["psychiatre"]


def test_une_requete_par_registre_avec_historique(monde, django_assert_num_queries):
    processus(monde, "A", date(2024, 1, 1), pilote_medical=monde.users["psychiatre"],
              pilote_soignant=monde.users["cadre_pole"])
    from qualite.pilotage.chiffres import catalogue

    registres = {c.requete().model for c in catalogue()}
    assert len(registres) < len(catalogue())  # some register holds several figures: they share its query
    with django_assert_num_queries(len(registres)):
        chiffres_cles(annee=2025, etablissements=[monde.etab_a, monde.etab_b], tendance=3)


def test_l_administration_passe_par_le_service_et_garde_l_historique(monde, client_de):
    from django.urls import reverse

    from certification.models import Processus

    client = client_de(monde.users["administrateur"])
    reponse = client.post(reverse("admin:certification_processus_add"), {
        "nom": "Admin", "etablissement": monde.etab_a.pk, "pilote_medical": monde.users["psychiatre"].pk,
        "actif": "on"})
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    p = Processus.objects.get()
    assert p.periodes.get().au is None
    reponse = client.post(reverse("admin:certification_processus_change", args=[p.pk]), {
        "nom": "Admin", "etablissement": monde.etab_a.pk, "pilote_medical": monde.users["psychiatre"].pk})
    assert reponse.status_code == 302
    p.refresh_from_db()
    # Retired the day it was created: its period never covered a 31 December, none is kept.
    assert not p.actif and p.periodes.count() == 0
