"""Starts the test OpenID Connect provider (fournisseur_oidc.py, django-oauth-toolkit) in a subprocess on a free
port, for the whole session, and stops it at the end. Without django-oauth-toolkit the OIDC tests are skipped;
with EXIGER_OIDC=1 (set by .ci/run) they fail instead."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from qualite.identite.tests.serveurs import arreter, port_libre

CLIENT_ID = "qualite-test"
CLIENT_SECRET = "secret-du-client-qualite"
AUDIENCE = "api-qualite"
MOT_DE_PASSE = "mdp-fournisseur-1"
RETOUR = "http://testserver/connexion/oidc/retour/"
APRES_DECONNEXION = "http://testserver/connexion/"
# The browser test's live server: a loopback address, whatever its port (RFC 8252, as the provider allows).
RETOUR_NAVIGATEUR = "http://127.0.0.1/connexion/oidc/retour/"
APRES_DECONNEXION_NAVIGATEUR = "http://127.0.0.1/connexion/"

PERSONNES = {
    "oalice": {"prenom": "Alice", "nom": "Oidc", "email": "oalice@chu-test.fr",
               "groupes": ["qualite-gdr", "Direction"]},
    "obruno": {"prenom": "Bruno", "nom": "Oidc", "email": "obruno@chu-test.fr", "groupes": ["cadres-medecine"]},
    "odenis": {"prenom": "Denis", "nom": "Oidc", "email": "odenis@chu-test.fr", "groupes": ["qualite-gdr"]},
    # Same name as a local account of the test world (conftest.py): never taken over.
    "gestionnaire_risques": {"prenom": "Homonyme", "nom": "Local", "email": "h@chu-test.fr", "groupes": []},
}


@dataclass
class Fournisseur:
    url: str

    @property
    def emetteur(self) -> str:
        return f"{self.url}/o"

    @property
    def decouverte(self) -> str:
        return f"{self.emetteur}/.well-known/openid-configuration"


def _cle_rsa() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    cle = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return cle.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _attendre(fournisseur: Fournisseur, processus) -> None:
    import requests

    fin = time.monotonic() + 60
    while True:
        if processus.poll() is not None:
            raise RuntimeError("le fournisseur OIDC de test s'est arrêté : "
                               + processus.stdout.read().decode(errors="replace")[-3000:])
        try:
            if requests.get(fournisseur.decouverte, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > fin:
            raise RuntimeError("le fournisseur OIDC de test ne répond pas")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def fournisseur_oidc():
    try:
        import oauth2_provider  # noqa: F401
    except ImportError:
        message = "django-oauth-toolkit absent : tests OIDC ignorés (pip install -r requirements-dev.txt)"
        if os.environ.get("EXIGER_OIDC") == "1":
            pytest.fail(message + " ; EXIGER_OIDC=1 exige qu'ils tournent.")
        pytest.skip(message)
    with tempfile.TemporaryDirectory(prefix="fournisseur-oidc-") as dossier:
        (Path(dossier) / "cle.pem").write_text(_cle_rsa())
        port = port_libre()
        config = {"client": {"id": CLIENT_ID, "secret": CLIENT_SECRET,
                             "redirections": [RETOUR, RETOUR_NAVIGATEUR],
                             "deconnexions": [APRES_DECONNEXION, APRES_DECONNEXION_NAVIGATEUR]},
                  "audience": AUDIENCE, "mot_de_passe": MOT_DE_PASSE, "personnes": PERSONNES}
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env["FOURNISSEUR_OIDC"] = json.dumps(config)
        processus = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("fournisseur_oidc.py")), dossier, str(port)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=dossier)
        fournisseur = Fournisseur(f"http://127.0.0.1:{port}")
        try:
            try:
                _attendre(fournisseur, processus)
            except RuntimeError as exc:
                if os.environ.get("EXIGER_OIDC") == "1":
                    pytest.fail(f"Fournisseur OIDC de test indisponible : {exc}")
                pytest.skip(f"Fournisseur OIDC de test indisponible, tests OIDC ignorés : {exc}")
            yield fournisseur
        finally:
            arreter(processus)
