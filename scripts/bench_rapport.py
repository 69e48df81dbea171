"""Benchmark of the annual report: one GHT-year at five times a real hospital's published volumes.

Run against a database of its own (it adds rows):
  DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL=... REDIS_URL=... \\
  .venv/bin/python scripts/bench_rapport.py [--annee 2025] [--facteur 5]
Prints the time of each figure's query and of the whole report (both PDFs).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

# one year at a real hospital's published volumes
SEED = {"ei": 1551, "eig_ars": 7, "analyses": 23, "patients_traceurs": 8, "epp": 11, "processus": 14, "audits": 12,
        "enquetes": 8, "ssc": 1182, "cdu": 4, "dossiers": 226, "reclamations": 68}
PARIS = ZoneInfo("Europe/Paris")


def remplir(annee: int, facteur: int, graine: int = 7):
    from django.core.management import call_command

    from certification.models import (
        EPP,
        Audit,
        EnqueteSatisfaction,
        Evaluation,
        PilotageProcessus,
        Processus,
        StatutEPP,
    )
    from evenements.models import AnalyseApprofondie, DeclarationARS, EvenementIndesirable, TypeEvenement
    from qualite.organisation.models import Etablissement, Service, Utilisateur
    from usagers.relations.models import DemandeDossier, Reclamation, SeanceCDU
    from usagers.ssc.models import MesureSoinsSansConsentement, PatientSSC

    call_command("demo", historique="aucun", verbosity=0)  # this script draws its own year
    rnd = random.Random(graine)
    etabs = list(Etablissement.objects.all())
    services = list(Service.objects.select_related("pole"))
    types = list(TypeEvenement.objects.all())
    user = Utilisateur.objects.get(username="admin")
    n = {k: v * facteur for k, v in SEED.items()}

    def instant():
        return datetime(annee, 1, 1, tzinfo=PARIS) + timedelta(minutes=rnd.randrange(365 * 24 * 60))

    def jour():
        return date(annee, 1, 1) + timedelta(days=rnd.randrange(365))

    pref = f"B{facteur}{annee % 100}"
    with transaction.atomic():
        evs = []
        for i in range(n["ei"]):
            s = rnd.choice(services)
            evs.append(EvenementIndesirable(
                reference=f"{pref}-EI-{i:06d}", etablissement_id=s.pole.etablissement_id, pole_id=s.pole_id, service=s,
                survenu_le=instant(), type=rnd.choice(types), description="Évènement de test", personnes=["patient"],
                gravite_estimee=rnd.randint(1, 3), gravite=rnd.choice([None, 1, 2, 3, 4, 5]), vraisemblance=rnd.randint(1, 5),
                statut="cloture"))
        evs = EvenementIndesirable.objects.bulk_create(evs, batch_size=2000)
        DeclarationARS.objects.bulk_create([DeclarationARS(evenement=e, partie1_envoyee_le=e.survenu_le + timedelta(days=1))
                                            for e in evs[: n["eig_ars"]]])
        AnalyseApprofondie.objects.bulk_create([AnalyseApprofondie(evenement=rnd.choice(evs), date=jour(), participants="IDE")
                                                for _ in range(n["analyses"])])
        Evaluation.objects.bulk_create([Evaluation(methode="patient_traceur", date=jour(), etablissement=rnd.choice(etabs),
                                                   evaluateurs="x") for _ in range(n["patients_traceurs"])])
        epps = EPP.objects.bulk_create([EPP(theme=f"EPP {i}", pilotes="p", etat="en_cours", etablissement=rnd.choice(etabs),
                                            date_debut=date(annee - 1, 6, 1)) for i in range(n["epp"])])
        StatutEPP.objects.bulk_create([StatutEPP(epp=e, etat=e.etat, du=e.date_debut) for e in epps])
        procs = Processus.objects.bulk_create([Processus(nom=f"{pref} processus {i}", etablissement=rnd.choice(etabs),
                                                         pilote_medical=user, pilote_soignant=user)
                                               for i in range(n["processus"])])
        PilotageProcessus.objects.bulk_create([PilotageProcessus(processus=p, du=date(annee - 1, 1, 1), pilote_medical=user,
                                                                 pilote_soignant=user) for p in procs])
        Audit.objects.bulk_create([Audit(titre=f"Audit {i}", date=jour(), etablissement=rnd.choice(etabs)) for i in range(n["audits"])])
        EnqueteSatisfaction.objects.bulk_create([EnqueteSatisfaction(type="interne", etablissement=rnd.choice(etabs),
                                                                     periode_debut=date(annee, 1, 1), periode_fin=jour(),
                                                                     reponses=40) for _ in range(n["enquetes"])])
        patients = PatientSSC.objects.bulk_create([PatientSSC(etablissement=rnd.choice(etabs), ipp=f"{pref}-{i}", nom="Bench",
                                                              prenom="P", date_naissance=date(1980, 1, 1)) for i in range(n["ssc"])])
        mesures = []
        for i, p in enumerate(patients):
            s = rnd.choice([x for x in services if x.pole.etablissement_id == p.etablissement_id])
            mesures.append(MesureSoinsSansConsentement(reference=f"{pref}-SSC-{i:06d}", patient=p, etablissement_id=p.etablissement_id,
                                                       pole_id=s.pole_id, service=s, mode="sdt", t0=instant()))
        MesureSoinsSansConsentement.objects.bulk_create(mesures, batch_size=2000)
        SeanceCDU.objects.bulk_create([SeanceCDU(etablissement=rnd.choice(etabs), date=jour(), statut="tenue") for _ in range(n["cdu"])])
        DemandeDossier.objects.bulk_create([DemandeDossier(reference=f"{pref}-DMD-{i:06d}", etablissement=rnd.choice(etabs), patient_nom="P",
                                                           patient_naissance=date(1950, 1, 1), demandeur_type="patient",
                                                           demandeur_nom="P", recue_le=instant(), informations_du=date(annee - 1, 1, 1))
                                            for i in range(n["dossiers"])])
        Reclamation.objects.bulk_create([Reclamation(reference=f"{pref}-REC-{i:06d}", etablissement=rnd.choice(etabs), nature="reclamation",
                                                     canal="courrier", categories=["soins"], auteur_nom="A", lien_patient="x",
                                                     objet="o", recue_le=jour(), created_by=user) for i in range(n["reclamations"])])
    with connection.cursor() as c:
        c.execute("ANALYZE")


def mesurer(fonction, repetitions=5):
    durees = []
    for _ in range(repetitions + 1):
        debut = time.perf_counter()
        fonction()
        durees.append((time.perf_counter() - debut) * 1000)
    return statistics.median(durees[1:])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--annee", type=int, default=2025)
    parser.add_argument("--facteur", type=int, default=5)
    parser.add_argument("--sans-remplissage", action="store_true")
    args = parser.parse_args()
    from qualite.organisation.models import Etablissement
    from qualite.outils.pdf import render_pdf
    from qualite.pilotage.chiffres import calculer, catalogue
    from qualite.pilotage.rapport import contexte_rapport

    if not args.sans_remplissage:
        debut = time.perf_counter()
        remplir(args.annee, args.facteur)
        print(f"Remplissage ({args.facteur} × volumes publiés) : {time.perf_counter() - debut:.1f} s")
    etabs = list(Etablissement.objects.order_by("nom"))
    ids = [e.pk for e in etabs]
    print(f"\n{'Chiffre':<22}{'valeur GHT':>12}{'médiane ms':>12}")
    for c in catalogue():
        valeurs = calculer(c, annees=[args.annee - 1, args.annee], etablissements=ids)
        total = sum(v for (e, a), v in valeurs.items() if a == args.annee)
        ms = mesurer(lambda c=c: calculer(c, annees=[args.annee - 1, args.annee], etablissements=ids))
        print(f"{c.code:<22}{total:>12}{ms:>12.1f}")
    ms_ctx = mesurer(lambda: contexte_rapport(annee=args.annee, etablissements=etabs, anonyme=False, titre="GHT"), 3)
    print(f"\nContexte du rapport (tous les chiffres, pages de pôle) : {ms_ctx:.0f} ms")
    debut = time.perf_counter()
    for anonyme in (False, True):
        render_pdf("qualite/pilotage/pdf/rapport_annuel.html",
                   contexte_rapport(annee=args.annee, etablissements=etabs, anonyme=anonyme, titre="GHT"))
    print(f"Rapport complet, deux PDF (complet + anonymisé) : {(time.perf_counter() - debut) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
