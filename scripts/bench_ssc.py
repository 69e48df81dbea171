"""Time the involuntary-care pages on a database that already holds a large volume.

    DJANGO_SETTINGS_MODULE=config.settings.local DATABASE_URL=... REDIS_URL=... \\
        .venv/bin/python scripts/bench_ssc.py [--runs 5] [--explain]

Fill the database first: python manage.py demo, then python manage.py generer_mesures_ssc.
Logged in as the demo admissions office "admissions", each page is requested once to warm up,
then --runs times: the table gives the median wall time and the SQL query count.
--explain prints EXPLAIN ANALYZE of the slowest query of the daily view.
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

JOURNAL = "/usagers/soins-sans-consentement/"


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
            taille = consommer(response)  # streaming exports run their queries here
            durees.append((time.perf_counter() - debut) * 1000)
        requetes = capture.captured_queries
        if response.status_code != 200:
            raise SystemExit(f"{url} : HTTP {response.status_code}")
    lente = max(requetes, key=lambda q: float(q["time"]), default=None)
    return statistics.median(durees), len(requetes), taille, lente


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--utilisateur", default="admissions")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query of the daily view")
    args = parser.parse_args()

    from django.contrib.contenttypes.models import ContentType

    from qualite.echeances.models import Echeance
    from qualite.organisation.models import Utilisateur
    from usagers.ssc.access import mesures_scope
    from usagers.ssc.models import MesureSoinsSansConsentement

    user = Utilisateur.objects.get(username=args.utilisateur)
    mesures = mesures_scope(MesureSoinsSansConsentement.objects.all(), user)
    actives = mesures.filter(levee_le__isnull=True).count()
    ouvertes = Echeance.objects.ouvertes().filter(
        content_type=ContentType.objects.get_for_model(MesureSoinsSansConsentement), object_id__in=mesures.values("pk"),
    ).count()
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)

    pages = [
        ("Journal quotidien", JOURNAL),
        ("Liste des mesures", "/usagers/soins-sans-consentement/mesures/"),
        ("Export CSV des mesures", "/usagers/soins-sans-consentement/mesures/?export=csv"),
        ("Registre isolement / contention", "/usagers/soins-sans-consentement/isolement/registre/"),
    ]
    print(f"{actives} mesures actives ({mesures.count()} au total) et {ouvertes} échéances ouvertes visibles par "
          f"« {user.username} » ; {args.runs} mesures après 1 préchauffage.\n")
    print(f"{'Page':<34} {'médiane ms':>11} {'requêtes':>9} {'octets':>11}  requête la plus lente")
    lente_journal = None
    for libelle, url in pages:
        mediane, requetes, taille, lente = mesurer(client, url, args.runs)
        ms_lente = float(lente["time"]) * 1000 if lente else 0
        print(f"{libelle:<34} {mediane:>11.0f} {requetes:>9} {taille:>11}  {ms_lente:.0f} ms")
        if url == JOURNAL:
            lente_journal = lente
    if args.explain and lente_journal:
        print(f"\n=== Journal quotidien : requête la plus lente ===\n{lente_journal['sql']}\n")
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + lente_journal["sql"])
            print("\n".join(r[0] for r in cur.fetchall()))


if __name__ == "__main__":
    main()
