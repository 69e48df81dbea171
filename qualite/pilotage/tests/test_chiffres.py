"""A year of records with known counts: every key figure, per établissement, GHT and previous year."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from qualite.pilotage.selectors import chiffres_cles

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def construire_annee(monde):
    """2025: 5 EI in A (4 in pôle A, 1 in pôle A2) + 1 in B, 2 EI in 2024; 1 ARS declaration; 2 analyses;
    3 SSC measures; 2 CDU sessions held (+1 planned); 4 record requests; 3 complaints (+1 archived)."""
    from evenements.models import AnalyseApprofondie, DeclarationARS
    from evenements.tests.factories import EvenementFactory
    from usagers.relations.models import DemandeDossier, Reclamation, SeanceCDU
    from usagers.ssc.models import MesureSoinsSansConsentement, PatientSSC

    u = monde.users["administrateur"]
    evs = [EvenementFactory(service=monde.service_a, survenu_le=datetime(2025, m, 10, tzinfo=PARIS)) for m in (1, 3, 5, 12)]
    EvenementFactory(service=monde.service_a2, survenu_le=datetime(2025, 12, 31, 23, 30, tzinfo=PARIS))
    EvenementFactory(service=monde.service_b, survenu_le=datetime(2025, 6, 1, tzinfo=PARIS))
    EvenementFactory(service=monde.service_a, survenu_le=datetime(2024, 6, 1, tzinfo=PARIS))
    EvenementFactory(service=monde.service_a, survenu_le=datetime(2024, 12, 31, 23, 59, tzinfo=PARIS))
    EvenementFactory(service=monde.service_a, survenu_le=datetime(2026, 1, 1, 0, 1, tzinfo=PARIS))
    DeclarationARS.objects.create(evenement=evs[0], partie1_envoyee_le=datetime(2025, 2, 1, tzinfo=PARIS))
    DeclarationARS.objects.create(evenement=evs[1])  # never sent: not counted
    for d in (date(2025, 2, 1), date(2025, 9, 1)):
        AnalyseApprofondie.objects.create(evenement=evs[0], date=d, participants="IDE")
    patient = PatientSSC.objects.create(etablissement=monde.etab_a, ipp="1", nom="X", prenom="Y", date_naissance=date(1980, 1, 1))
    for i, jour in enumerate((date(2025, 1, 5), date(2025, 7, 5), date(2025, 11, 5))):
        MesureSoinsSansConsentement.objects.create(
            reference=f"SSC-T-{i}", patient=patient, etablissement=monde.etab_a, pole=monde.pole_a, service=monde.service_a,
            mode="sdt", t0=datetime.combine(jour, datetime.min.time(), tzinfo=PARIS))
    for d, statut in ((date(2025, 3, 1), "tenue"), (date(2025, 6, 1), "tenue"), (date(2025, 12, 1), "planifiee")):
        SeanceCDU.objects.create(etablissement=monde.etab_a, date=d, statut=statut)
    for i in range(4):
        DemandeDossier.objects.create(reference=f"DMD-T-{i}", etablissement=monde.etab_a, patient_nom="P",
                                      patient_naissance=date(1950, 1, 1), demandeur_type="patient", demandeur_nom="P",
                                      recue_le=datetime(2025, 4, 1 + i, tzinfo=PARIS), informations_du=date(2024, 1, 1))
    for i in range(4):
        r = Reclamation.objects.create(reference=f"REC-T-{i}", etablissement=monde.etab_a, nature="plainte", canal="courrier",
                                       categories=["soins"], auteur_nom="A", lien_patient="lui-même", objet="o",
                                       recue_le=date(2025, 5, 1 + i), archivee=(i == 3), created_by=u)
        r.services.set([monde.service_a])


ATTENDU_A = {"ei": (5, 2), "eig_ars": (1, 0), "analyses": (2, 0), "ssc": (3, 0), "cdu": (2, 0), "dossiers": (4, 0),
             "reclamations": (3, 0)}


def test_chaque_chiffre_pour_une_annee_connue(monde):
    construire_annee(monde)
    chiffres = {c["code"]: c for c in chiffres_cles(annee=2025, etablissements=[monde.etab_a, monde.etab_b])}
    assert {code: (c["par_etablissement"][0]["n"], c["par_etablissement"][0]["precedent"])
            for code, c in chiffres.items() if code in ATTENDU_A} == ATTENDU_A
    assert chiffres["ei"]["par_etablissement"][1]["n"] == 1
    assert (chiffres["ei"]["total"], chiffres["ei"]["precedent"], chiffres["ei"]["evolution"]) == (6, 2, 200)
    assert all(c["definition"] for c in chiffres.values())


def test_chiffres_du_pole(monde):
    construire_annee(monde)
    chiffres = {c["code"]: c["total"] for c in chiffres_cles(annee=2025, etablissements=[monde.etab_a], pole_id=monde.pole_a.pk)}
    assert chiffres["ei"] == 4 and chiffres["reclamations"] == 3 and chiffres["ssc"] == 3
    assert "cdu" not in chiffres  # not a pôle figure


def test_une_requete_par_chiffre(monde, django_assert_max_num_queries):
    construire_annee(monde)
    from qualite.pilotage.chiffres import catalogue

    with django_assert_max_num_queries(len(catalogue())):
        chiffres_cles(annee=2025, etablissements=[monde.etab_a, monde.etab_b], tendance=4)


def test_les_limites_de_l_annee_sont_a_l_heure_de_paris(monde):
    construire_annee(monde)
    # 31/12/2025 23:30 Paris is 22:30 UTC: still 2025; 01/01/2026 00:01 Paris is 2025 in UTC but counted in 2026.
    c2026 = {c["code"]: c["total"] for c in chiffres_cles(annee=2026, etablissements=[monde.etab_a])}
    assert c2026["ei"] == 1


def test_chiffres_de_certification(monde):
    from certification.models import Audit, EnqueteSatisfaction, Evaluation

    for d in (date(2025, 2, 1), date(2025, 11, 30), date(2024, 12, 31)):
        Evaluation.objects.create(methode="patient_traceur", date=d, etablissement=monde.etab_a, evaluateurs="x")
    Evaluation.objects.create(methode="audit_systeme", date=date(2025, 3, 1), etablissement=monde.etab_a, evaluateurs="x")
    # active in 2025: overlaps the year; not: ended in 2024, in project, starts 2026 (through the services,
    # which keep the dated history the figures are counted from)
    from certification.services import epp_enregistrer, processus_enregistrer

    u = monde.users["administrateur"]
    for theme, etat, debut, fin in (("a", "en_cours", date(2023, 1, 1), None),
                                    ("b", "terminee", date(2024, 6, 1), date(2025, 1, 15)),
                                    ("c", "terminee", date(2024, 1, 1), date(2024, 12, 31)),
                                    ("d", "en_projet", date(2025, 1, 1), None),
                                    ("e", "en_cours", date(2026, 1, 1), None)):
        epp_enregistrer(par=u, le=debut, donnees={"theme": theme, "pilotes": "p", "etat": etat,
                                                  "etablissement": monde.etab_a, "date_debut": debut, "date_fin": fin})
    for nom, pilotes, actif in (("Circuit du médicament", {"pilote_medical": monde.users["psychiatre"],
                                                            "pilote_soignant": monde.users["cadre_pole"]}, True),
                                ("Urgences", {"pilote_medical": monde.users["psychiatre"]}, True),
                                ("Ancien", {}, False)):
        processus_enregistrer(par=u, le=date(2023, 1, 1), donnees={"nom": nom, "etablissement": monde.etab_a,
                                                                  "actif": actif, **pilotes})
    Audit.objects.create(titre="Hygiène", date=date(2025, 4, 1), etablissement=monde.etab_a)
    EnqueteSatisfaction.objects.create(type="esatis", etablissement=monde.etab_a, periode_debut=date(2025, 1, 1),
                                       periode_fin=date(2025, 6, 30), reponses=40, score=75)
    c = {x["code"]: (x["total"], x["precedent"]) for x in chiffres_cles(annee=2025, etablissements=[monde.etab_a])}
    assert c["patients_traceurs"] == (2, 1)
    assert c["epp"] == (2, 3)
    assert c["processus"] == (2, 2) and c["binomes"] == (1, 1)
    assert c["audits"] == (1, 0) and c["enquetes"] == (1, 0)
