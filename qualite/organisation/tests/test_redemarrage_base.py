"""Une connexion gardée (CONN_MAX_AGE) survit au redémarrage de PostgreSQL.

Le test démarre sa propre grappe PostgreSQL (jamais le serveur partagé), sert deux requêtes par le
gestionnaire WSGI de Django dans un sous-processus (comme gunicorn : signaux de début et de fin de
requête, donc fermeture des connexions périmées), redémarre la grappe entre les deux, et regarde la
seconde réponse. Sans CONN_HEALTH_CHECKS, la même séquence répond 500 : le test sait échouer.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Deux requêtes par le gestionnaire WSGI ; entre les deux, le test redémarre la grappe.
SCRIPT = r"""
import sys
from io import BytesIO
from wsgiref.util import setup_testing_defaults

import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler

application = WSGIHandler()

def requete():
    environ = {"PATH_INFO": "/", "HTTP_COOKIE": "sessionid=" + "x" * 32, "wsgi.input": BytesIO()}
    setup_testing_defaults(environ)
    statut = []
    reponse = application(environ, lambda s, h, *a: statut.append(s))
    b"".join(reponse)
    reponse.close()  # request_finished : la connexion est gardée (CONN_MAX_AGE)
    return statut[0].split()[0]

print("avant", requete(), flush=True)
sys.stdin.readline()
print("apres", requete(), flush=True)
"""


def _binaires():
    for nom in ("initdb", "pg_ctl"):
        if not shutil.which(nom) and not glob.glob(f"/usr/lib/postgresql/*/bin/{nom}"):
            return None
    dossiers = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    return Path(dossiers[-1]) if dossiers else Path(shutil.which("initdb")).parent


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Grappe:
    """Une grappe PostgreSQL jetable : initdb, démarrage, redémarrage, arrêt et suppression."""

    def __init__(self, binaires: Path):
        self.bin = binaires
        self.dossier = Path(tempfile.mkdtemp(prefix="qualite-pg-"))
        self.donnees = self.dossier / "donnees"
        self.port = _port_libre()
        # initdb refuse root : la grappe appartient alors à l'utilisateur postgres.
        self.prefixe = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.prefixe:
            shutil.chown(self.dossier, "postgres")

    def _pg(self, *args, timeout=60):
        return subprocess.run([*self.prefixe, *args], check=True, capture_output=True, text=True, timeout=timeout)

    def demarrer(self):
        self._pg(str(self.bin / "initdb"), "-D", str(self.donnees), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--no-sync")
        self._pg(str(self.bin / "pg_ctl"), "-D", str(self.donnees), "-l", str(self.dossier / "journal"), "-w",
                 "-o", f"-p {self.port} -k {self.dossier} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def redemarrer(self):
        # -l à nouveau : sinon le serveur relancé écrit dans la sortie de pg_ctl, que l'on attendrait sans fin.
        self._pg(str(self.bin / "pg_ctl"), "-D", str(self.donnees), "-l", str(self.dossier / "journal"), "-m", "fast",
                 "-w", "restart")

    def supprimer(self):
        if (self.donnees / "postmaster.pid").exists():
            subprocess.run([*self.prefixe, str(self.bin / "pg_ctl"), "-D", str(self.donnees), "-m", "immediate", "-w",
                            "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.dossier, ignore_errors=True)

    def url(self, base: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{base}"


@pytest.fixture(scope="module")
def grappe():
    binaires = _binaires()
    if binaires is None:
        pytest.skip("binaires PostgreSQL (initdb, pg_ctl) absents : test du redémarrage ignoré")
    g = Grappe(binaires)
    try:
        g.demarrer()
        subprocess.run([str(binaires / "createdb"), "-h", "127.0.0.1", "-p", str(g.port), "-U", "postgres", "qualite"],
                       check=True, capture_output=True, timeout=60)
        # La requête ne lit que la session (avant de renvoyer vers la connexion) : sa table suffit, en 1 s
        # au lieu des 15 à 45 s d'un migrate complet.
        sql = _manage(g, "sqlmigrate", "sessions", "0001")
        subprocess.run([str(binaires / "psql"), "-h", "127.0.0.1", "-p", str(g.port), "-U", "postgres", "-d", "qualite",
                        "-v", "ON_ERROR_STOP=1", "-q"], input=sql, check=True, capture_output=True, text=True,
                       timeout=60)
        yield g
    finally:
        g.supprimer()


def _env(grappe, **extra):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS"}}
    env.update(DATABASE_URL=grappe.url("qualite"), DJANGO_SETTINGS_MODULE="config.settings.test", CONN_MAX_AGE="600",
               **extra)
    return env


def _manage(grappe, *args):
    fait = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=_env(grappe), capture_output=True,
                          text=True, timeout=180)
    assert fait.returncode == 0, fait.stdout + fait.stderr
    return fait.stdout


def _deux_requetes_autour_d_un_redemarrage(grappe, health_checks: str) -> tuple[str, str]:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], cwd=ROOT, env=_env(grappe, CONN_HEALTH_CHECKS=health_checks),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        avant = proc.stdout.readline().split()
        assert avant[:1] == ["avant"], proc.stderr.read() if proc.poll() is not None else avant
        debut = time.monotonic()
        grappe.redemarrer()
        print(f"redémarrage de la grappe : {time.monotonic() - debut:.2f} s")
        proc.stdin.write("suite\n")
        proc.stdin.flush()
        apres = proc.stdout.readline().split()
        proc.wait(timeout=60)
        assert apres[:1] == ["apres"], proc.stderr.read()
        return avant[1], apres[1]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_la_premiere_requete_apres_un_redemarrage_de_postgresql_repond(grappe):
    """Réglage par défaut (CONN_HEALTH_CHECKS vrai) : la connexion morte est remplacée, pas de 500."""
    # 302 : la page d'accueil a lu la session en base, puis renvoie vers la connexion.
    assert _deux_requetes_autour_d_un_redemarrage(grappe, "True") == ("302", "302")


def test_sans_verification_la_premiere_requete_apres_un_redemarrage_repondait_500(grappe):
    """Témoin : sans la vérification, la connexion gardée est morte et la requête tombe en 500."""
    assert _deux_requetes_autour_d_un_redemarrage(grappe, "False") == ("302", "500")
