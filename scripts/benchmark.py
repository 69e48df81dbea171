"""The performance bench of issue 15, in one run: each figure is a ratio against a reference measured
in the same run on the same machine, so the ratios compare across machines and days.

    DATABASE_URL=postgres://…/base_dediee REDIS_URL=redis://…/n \\
        .venv/bin/python scripts/benchmark.py [--evenements 100000] [--clients 20] [--requetes 5]

On a dedicated database (never production): migrates, loads the demo, generates adverse events up
to --evenements (manage.py generer_evenements) and, if asked, SSC measures (--mesures-ssc), then
starts gunicorn (2 workers, config of the README) on --port and measures:

- pages: p95 of --clients concurrent clients sending --requetes requests each, against a bare
  authenticated page served by the same gunicorn (scripts/banc_wsgi.py), with the page's SQL
  query count (one request in process);
- key figures of one year: the per-register queries and the former figure-by-figure ones, against
  one hand-written SQL query per figure.

SECTIONS is the list of measures: a section is a function taking the Banc and returning rows
(what, measured ms, reference ms, note); add one to measure something else.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
sys.path.insert(0, str(RACINE / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)  # the in-process logins' lines would hide the table

from banc_wsgi import CHEMIN_PAGE_NUE  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


@dataclass
class Banc:
    args: argparse.Namespace
    hote: str = "127.0.0.1"
    cookies: dict = field(default_factory=dict)  # username -> Cookie header (session and CSRF, as a browser keeps them)
    reference_ms: float | None = None

    def cookie(self, username: str) -> str:
        if username not in self.cookies:
            from qualite.organisation.models import Utilisateur

            client = Client(SERVER_NAME=self.hote)
            client.force_login(Utilisateur.objects.get(username=username))
            client.get("/")  # the home page's forms give the browser its CSRF cookie
            self.cookies[username] = "; ".join(f"{nom}={client.cookies[nom].value}" for nom in (
                settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME) if nom in client.cookies)
        return self.cookies[username]

    def requete(self, chemin: str, username: str) -> tuple[float, int]:
        debut = time.perf_counter()
        conn = http.client.HTTPConnection(self.hote, self.args.port, timeout=120)
        conn.request("GET", chemin, headers={"Cookie": self.cookie(username),
                                            "Host": self.hote})
        reponse = conn.getresponse()
        reponse.read()
        conn.close()
        return (time.perf_counter() - debut) * 1000, reponse.status

    def p95(self, chemin: str, username: str) -> float:
        """p95 in ms of --clients clients sending --requetes requests each, after two warm-up requests."""
        for _ in range(2):
            _ms, statut = self.requete(chemin, username)
            if statut != 200:
                raise SystemExit(f"{chemin} : HTTP {statut}")
        self.cookie(username)
        durees: list[float] = []
        verrou = threading.Lock()

        def client():
            for _ in range(self.args.requetes):
                ms, statut = self.requete(chemin, username)
                if statut != 200:
                    raise SystemExit(f"{chemin} : HTTP {statut}")
                with verrou:
                    durees.append(ms)

        fils = [threading.Thread(target=client) for _ in range(self.args.clients)]
        for f in fils:
            f.start()
        for f in fils:
            f.join()
        return statistics.quantiles(durees, n=20)[-1]

    def requetes_sql(self, chemin: str, username: str) -> int:
        from qualite.organisation.models import Utilisateur

        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(Utilisateur.objects.get(username=username))
        client.get(chemin)
        with CaptureQueriesContext(connection) as capture:
            client.get(chemin)
        return len(capture.captured_queries)

    def page(self, libelle: str, chemin: str, username: str) -> tuple:
        if self.reference_ms is None:
            self.reference_ms = self.p95(CHEMIN_PAGE_NUE, username)
        return libelle, self.p95(chemin, username), self.reference_ms, f"{self.requetes_sql(chemin, username)} requêtes SQL"


def pages(banc: Banc) -> list[tuple]:
    return [
        banc.page("Registre des EI, page 50, tri par criticité", "/evenements/?tri=-criticite&page=50", "qualiticien"),
        banc.page("Registre des EI, première page", "/evenements/", "qualiticien"),
        banc.page("Statistiques des évènements", "/evenements/statistiques/", "qualiticien"),
        banc.page("Vue quotidienne SSC", "/usagers/soins-sans-consentement/", "admissions"),
        banc.page("Mes échéances", "/echeances/", "qualiticien"),
    ]


def _meilleur_p95(fonction, fois: int) -> float:
    durees = []
    for _ in range(fois):
        debut = time.perf_counter()
        fonction()
        durees.append((time.perf_counter() - debut) * 1000)
    return statistics.quantiles(durees, n=20)[-1] if len(durees) > 1 else durees[0]


SQL_MAIN = {  # one hand-written query per figure of the events register (the large one)
    "ei": """SELECT etablissement_id, EXTRACT(YEAR FROM survenu_le AT TIME ZONE 'Europe/Paris'), COUNT(*)
             FROM evenements_evenementindesirable WHERE etablissement_id = ANY(%(e)s)
             AND survenu_le >= %(debut)s AND survenu_le < %(fin)s GROUP BY 1, 2""",
    "eig_ars": """SELECT ev.etablissement_id, EXTRACT(YEAR FROM d.partie1_envoyee_le AT TIME ZONE 'Europe/Paris'), COUNT(*)
                  FROM evenements_declarationars d JOIN evenements_evenementindesirable ev ON ev.id = d.evenement_id
                  WHERE ev.etablissement_id = ANY(%(e)s) AND d.partie1_envoyee_le >= %(debut)s
                  AND d.partie1_envoyee_le < %(fin)s GROUP BY 1, 2""",
    "analyses": """SELECT ev.etablissement_id, EXTRACT(YEAR FROM a.date), COUNT(*)
                   FROM evenements_analyseapprofondie a JOIN evenements_evenementindesirable ev ON ev.id = a.evenement_id
                   WHERE ev.etablissement_id = ANY(%(e)s) AND a.date >= %(debut)s::date AND a.date < %(fin)s::date
                   GROUP BY 1, 2""",
}


def chiffres_cles(banc: Banc) -> list[tuple]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from evenements.models import EvenementIndesirable
    from qualite.organisation.models import Etablissement
    from qualite.pilotage.chiffres import calculer, catalogue

    try:
        from qualite.pilotage.chiffres import calculer_par_registre
    except ImportError:  # code older than the per-register queries: the former computation only
        calculer_par_registre = None

    annee = EvenementIndesirable.objects.order_by("-survenu_le").values_list("survenu_le__year", flat=True).first()
    annee = min(annee, datetime.now().year - 1) if annee else datetime.now().year - 1
    ids = list(Etablissement.objects.values_list("pk", flat=True))
    paris = ZoneInfo("Europe/Paris")
    params = {"e": ids, "debut": datetime(annee - 1, 1, 1, tzinfo=paris), "fin": datetime(annee + 1, 1, 1, tzinfo=paris)}
    figures = [c for c in catalogue() if c.code in SQL_MAIN]
    annees = [annee - 1, annee]

    def main():
        with connection.cursor() as cur:
            for sql in SQL_MAIN.values():
                cur.execute(sql, params)
                cur.fetchall()

    fois = banc.args.fois
    reference = _meilleur_p95(main, fois)
    avant = _meilleur_p95(lambda: [calculer(c, annees=annees, etablissements=ids) for c in figures], fois)
    lignes = [(f"Chiffres clés {annee} des EI (chiffre par chiffre, ancien calcul)", avant, reference,
               f"{len(figures)} requêtes")]
    if calculer_par_registre is not None:
        apres = _meilleur_p95(lambda: calculer_par_registre(figures, annees=annees, etablissements=ids), fois)
        tous = _meilleur_p95(lambda: calculer_par_registre(catalogue(), annees=annees, etablissements=ids), fois)
        lignes += [(f"Chiffres clés {annee} des EI (par registre)", apres, reference, f"{len(figures)} chiffres, 1 requête"),
                   (f"Chiffres clés {annee}, tout le catalogue (par registre)", tous, reference,
                    f"{len(catalogue())} chiffres ; référence : SQL des seuls EI")]
    return lignes


SECTIONS = [pages, chiffres_cles]


def preparer(args) -> str:
    from evenements.models import EvenementIndesirable
    from qualite.organisation.models import Utilisateur
    from usagers.ssc.models import MesureSoinsSansConsentement

    call_command("migrate", verbosity=0)
    if not Utilisateur.objects.filter(username="qualiticien").exists():
        call_command("demo", historique="aucun", verbosity=0)  # the benchmark generates its own volumes
    manque = args.evenements - EvenementIndesirable.objects.count()
    if manque > 0:
        call_command("generer_evenements", nombre=manque, annees=10)
    manque_ssc = args.mesures_ssc - MesureSoinsSansConsentement.objects.filter(levee_le__isnull=True).count()
    if manque_ssc > 0:
        call_command("generer_mesures_ssc", nombre=manque_ssc)
    with connection.cursor() as cur:  # fresh rows: plans on the real volumes, as autovacuum would give them
        cur.execute("ANALYZE")
    return (f"{EvenementIndesirable.objects.count()} évènements, "
            f"{MesureSoinsSansConsentement.objects.filter(levee_le__isnull=True).count()} mesures SSC actives")


def demarrer_gunicorn(args) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "--pythonpath", str(RACINE / "scripts"), "banc_wsgi:application",
           "--workers", "2", "--bind", f"127.0.0.1:{args.port}", "--timeout", "120", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=RACINE, start_new_session=True)
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=1)
            conn.request("GET", "/connexion/")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn ne répond pas")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evenements", type=int, default=100_000, help="évènements dans la base (100 000)")
    parser.add_argument("--mesures-ssc", type=int, default=0, help="mesures SSC actives à atteindre (0 : celles présentes)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requetes", type=int, default=5, help="requêtes par client et par page")
    parser.add_argument("--fois", type=int, default=20, help="exécutions des mesures en processus (chiffres clés)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    volume = preparer(args)
    gunicorn = demarrer_gunicorn(args)
    banc = Banc(args)
    try:
        print(f"{volume} ; gunicorn 2 workers, {args.clients} clients × {args.requetes} requêtes, p95.\n")
        print(f"{'Mesure':<62} {'ms':>8} {'réf. ms':>8} {'rapport':>8}  note")
        for section in SECTIONS:
            for libelle, ms, reference, note in section(banc):
                print(f"{libelle:<62} {ms:>8.1f} {reference:>8.1f} {ms / reference:>7.1f}×  {note}", flush=True)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)


if __name__ == "__main__":
    main()
