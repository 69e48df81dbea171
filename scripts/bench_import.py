"""Time the import of a large adverse-event file: reading + validation, then writing.

    DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL=... REDIS_URL=... \\
        .venv/bin/python scripts/bench_import.py [--lignes 50000] [--utilisateur qualiticien] [--garder]

Generates a CSV of new events (no Référence) in the services of the user's établissements (run
`python manage.py demo` first), then times `importation.analyser` and `importation.ecrire` apart.
Without --garder, the writing runs as a dry run (same work, rolled back) so the database is unchanged.
"""

import argparse
import csv
import io
import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402

from evenements.models import TypeEvenement  # noqa: E402
from qualite.organisation import access  # noqa: E402
from qualite.organisation.models import Service, Utilisateur  # noqa: E402
from qualite.outils import importation  # noqa: E402


def generer(n: int, user) -> bytes:
    services = list(Service.objects.filter(pole__etablissement_id__in=access.etablissements_visibles(user))
                    .select_related("pole__etablissement"))
    if not services:
        raise SystemExit("Aucun service dans le périmètre de l'utilisateur : lancez d'abord `manage.py demo`.")
    types = list(TypeEvenement.objects.filter(actif=True).values_list("libelle", flat=True))
    alea = random.Random(42)
    debut = datetime(2024, 1, 1)
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";")
    ecrivain.writerow(["Référence", "Survenu le", "Établissement", "Service", "Type", "Personnes concernées",
                       "Description", "Lieu", "Gravité estimée", "Confidentiel"])
    for i in range(n):
        s = alea.choice(services)
        survenu = debut + timedelta(minutes=alea.randrange(0, 60 * 24 * 600))
        ecrivain.writerow(["", f"{survenu:%d/%m/%Y %H:%M}", s.pole.etablissement.nom, s.nom, alea.choice(types),
                           "Patient / résident", f"Évènement importé n° {i} ; chute, erreur ou retard.",
                           f"Chambre {alea.randrange(1, 40)}", alea.randrange(1, 6), alea.choice(["oui", "non"])])
    return sortie.getvalue().encode("utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lignes", type=int, default=50_000)
    parser.add_argument("--utilisateur", default="qualiticien")
    parser.add_argument("--garder", action="store_true", help="commit the imported rows (default: roll back)")
    args = parser.parse_args()
    user = Utilisateur.objects.get(username=args.utilisateur)
    registre = importation.REGISTRES["evenements"]
    if not registre.peut_importer(user):
        raise SystemExit(f"{user.username} ne peut pas importer les évènements.")

    t0 = time.perf_counter()
    contenu = generer(args.lignes, user)
    t1 = time.perf_counter()
    analyse = importation.analyser(registre, contenu, utilisateur=user, nom_fichier="bench.csv")
    t2 = time.perf_counter()
    if analyse.erreurs:
        raise SystemExit("\n".join(str(e) for e in analyse.erreurs[:20]))
    reset_queries()
    bilan = importation.ecrire(analyse, utilisateur=user, essai=not args.garder)
    t3 = time.perf_counter()
    if bilan.erreurs:
        raise SystemExit("\n".join(str(e) for e in bilan.erreurs[:20]))
    mo = len(contenu) / 1024 / 1024
    print(f"{args.lignes} lignes, {mo:.1f} Mo ({'écrites' if args.garder else 'essai, annulé'})")
    print(f"génération du fichier : {t1 - t0:7.1f} s")
    print(f"lecture + validation  : {t2 - t1:7.1f} s  ({args.lignes / (t2 - t1):,.0f} lignes/s)")
    print(f"écriture (1 transaction, services + audit) : {t3 - t2:7.1f} s  ({bilan.crees / (t3 - t2):,.0f} lignes/s)")
    print(f"créations : {bilan.crees}, base : {connection.vendor}")


if __name__ == "__main__":
    main()
