"""`make run`'s settings (config/settings/local.py): the users' French error pages rather than Django's English
debug pages, static files served without collectstatic, and mail links that follow HOST / PORT."""

import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[3]

SONDE = """
import django; django.setup()
from django.conf import settings
from django.test import Client
c = Client(HTTP_HOST="127.0.0.1")
r = c.get("/nexiste-pas/")
s = c.get("/static/css/app.css")
print(settings.DEBUG, settings.SITE_URL, r.status_code, "Page introuvable" in r.content.decode(), s.status_code)
"""


def _sonder(**env):
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", **env}
    environ.pop("DEBUG", None)
    sortie = subprocess.run([sys.executable, "-c", SONDE], cwd=RACINE, env=environ, capture_output=True, text=True,
                            check=True)
    return sortie.stdout.strip().splitlines()[-1].split()


def test_make_run_montre_la_page_404_francaise_et_sert_les_fichiers_statiques():
    debug, site, statut, francais, statique = _sonder(PORT="8123")
    assert debug == "False" and statut == "404" and francais == "True" and statique == "200"
    assert site == "http://127.0.0.1:8123"


def test_site_url_suit_host_et_port():
    assert _sonder(HOST="localhost", PORT="9001")[1] == "http://localhost:9001"
