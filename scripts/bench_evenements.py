"""Time the adverse-event register pages on a database that already holds a large volume.

    DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL=... REDIS_URL=... \\
        .venv/bin/python scripts/bench_evenements.py [--runs 5] [--explain]

Logged in as the demo risk manager "qualiticien" (python manage.py demo), each page is requested
once to warm up, then --runs times: the table gives the median wall time and the SQL query count.
--explain prints EXPLAIN ANALYZE of the slowest query of every page slower than --seuil ms.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def consommer(response) -> int:
    if response.streaming:
        return sum(len(morceau) for morceau in response.streaming_content)
    return len(response.content)


def mesurer(client, url, runs):
    """(median ms, queries of the last run, bytes, slowest query of the last run)."""
    consommer(client.get(url))  # warm-up: caches, connection, template loading
    durees, requetes, taille = [], [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as capture:
            debut = time.perf_counter()
            response = client.get(url)
            taille = consommer(response)
            durees.append((time.perf_counter() - debut) * 1000)
        requetes = capture.captured_queries
        if response.status_code != 200:
            raise SystemExit(f"{url} : HTTP {response.status_code}")
    lente = max(requetes, key=lambda q: float(q["time"]), default=None)
    return statistics.median(durees), len(requetes), taille, lente


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--utilisateur", default="qualiticien")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of slow pages")
    parser.add_argument("--seuil", type=float, default=300, help="slow page threshold in ms (300)")
    args = parser.parse_args()

    from evenements.models import EvenementIndesirable
    from qualite.organisation import access
    from qualite.organisation.models import Pole, Utilisateur

    user = Utilisateur.objects.get(username=args.utilisateur)
    visibles = access.etablissements_visibles(user)
    pole = Pole.objects.filter(etablissement_id__in=visibles).order_by("nom").first()
    volume = EvenementIndesirable.objects.filter(etablissement_id__in=visibles).count()
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)

    pages = [
        ("Liste", "/evenements/"),
        ("Liste page 50", "/evenements/?page=50"),
        (f"Pôle « {pole.nom} » + inacceptable" if pole else "Zone inacceptable",
         f"/evenements/?pole={pole.pk}&zone=inacceptable" if pole else "/evenements/?zone=inacceptable"),
        ("Tri criticité", "/evenements/?tri=-criticite"),
        ("Statistiques", "/evenements/statistiques/"),
        ("Export CSV", "/evenements/?export=csv"),
    ]
    print(f"{volume} évènements visibles par « {user.username} » ; {args.runs} mesures après 1 préchauffage.\n")
    print(f"{'Page':<40} {'médiane ms':>11} {'requêtes':>9} {'octets':>11}  requête la plus lente")
    lentes = []
    for libelle, url in pages:
        mediane, requetes, taille, lente = mesurer(client, url, args.runs)
        ms_lente = float(lente["time"]) * 1000 if lente else 0
        print(f"{libelle:<40} {mediane:>11.0f} {requetes:>9} {taille:>11}  {ms_lente:.0f} ms")
        if mediane > args.seuil and lente:
            lentes.append((libelle, lente["sql"]))
    if args.explain:
        for libelle, sql in lentes:
            print(f"\n=== {libelle} ===\n{sql}\n")
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join(r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()
