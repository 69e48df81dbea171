"""The optional antivirus against a real clamd (Debian's clamav-daemon), started here on its own port with a
signature database this test writes (the EICAR test string's hash): no download of the official base.
Skipped where clamd is not installed, unless EXIGER_CLAMAV=1 (CI), where its absence fails."""

import hashlib
import os
import shutil
import socket
import subprocess
import time

import pytest
from django.urls import reverse

from conftest import texte
from qualite.pieces import antivirus
from qualite.pieces.models import PieceJointe
from qualite.pieces.tests.conftest import fichiers_stockes
from qualite.pieces.tests.outils import EICAR, PDF, mesure_ssc, televersement


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _clamd_binaire() -> str:
    chemin = shutil.which("clamd") or ("/usr/sbin/clamd" if os.path.exists("/usr/sbin/clamd") else None)
    if not chemin:
        if os.environ.get("EXIGER_CLAMAV"):
            pytest.fail("clamd est requis (EXIGER_CLAMAV=1) mais introuvable : apt-get install clamav-daemon.")
        pytest.skip("clamd absent (apt-get install clamav-daemon) : test de l'antivirus ignoré")
    return chemin


@pytest.fixture(scope="module")
def clamd(tmp_path_factory):
    """A clamd of this test's own, on a free TCP port, knowing one signature: EICAR's."""
    binaire = _clamd_binaire()
    dossier = tmp_path_factory.mktemp("clamd")
    base = dossier / "base"
    base.mkdir()
    (base / "eicar.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Eicar-Test-Signature\n")
    port = _port_libre()
    conf = dossier / "clamd.conf"
    conf.write_text(f"Foreground yes\nDatabaseDirectory {base}\nTCPSocket {port}\nTCPAddr 127.0.0.1\n"
                    f"LocalSocket {dossier / 'clamd.sock'}\n"
                    f"LogFile {dossier / 'clamd.log'}\nPidFile {dossier / 'clamd.pid'}\nStreamMaxLength 30M\n")
    processus = subprocess.Popen([binaire, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    adresse = f"127.0.0.1:{port}"
    try:
        limite = time.monotonic() + 60  # readiness wait, not a timing assertion
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                    s.sendall(b"zPING\0")
                    if s.recv(16).startswith(b"PONG"):
                        break
            except OSError:
                pass
            if processus.poll() is not None or time.monotonic() > limite:
                journal = (dossier / "clamd.log").read_text() if (dossier / "clamd.log").exists() else ""
                pytest.fail(f"clamd n'a pas démarré :\n{journal[-2000:]}")
            time.sleep(0.1)
        yield {"tcp": adresse, "unix": str(dossier / "clamd.sock")}
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=10)
        except subprocess.TimeoutExpired:
            processus.kill()


@pytest.mark.parametrize("acces", ["tcp", "unix"])
def test_le_protocole_instream_rend_le_verdict(clamd, acces):
    adresse = clamd[acces]
    # clamd names a signature of a local database « .UNOFFICIAL ».
    assert antivirus.analyser([EICAR], adresse=adresse, delai=10).startswith("Eicar-Test-Signature")
    assert antivirus.analyser([PDF], adresse=adresse, delai=10) is None
    # A file sent in several chunks is one stream.
    assert antivirus.analyser([EICAR[:20], EICAR[20:]], adresse=adresse, delai=10).startswith("Eicar-Test-Signature")


@pytest.mark.django_db
def test_eicar_refuse_et_fichier_sain_accepte_par_le_vrai_clamd(clamd, monde, client_de, settings, stockage_pieces):
    settings.CLAMAV_ADRESSE = clamd["tcp"]
    mesure = mesure_ssc(monde)
    client = client_de(monde.users["bureau_admissions"])
    url = reverse("pieces:ajouter", args=["ssc-mesure", mesure.pk])
    r = client.post(url, {"fichier": televersement("certificat.txt", EICAR, "text/plain")})
    assert r.status_code == 200
    page = texte(r)
    assert "L'antivirus a détecté un virus dans ce fichier (Eicar-Test-Signature" in page
    assert ") : il n'a pas été enregistré." in page
    assert not PieceJointe.objects.exists() and not fichiers_stockes(stockage_pieces)

    r = client.post(url, {"fichier": televersement("certificat.pdf")})
    assert r.status_code == 302
    assert PieceJointe.objects.get().nom == "certificat.pdf" and len(fichiers_stockes(stockage_pieces)) == 1


@pytest.mark.django_db
def test_clamd_configure_mais_injoignable_refuse_le_depot(monde, client_de, settings, stockage_pieces):
    """Fail closed: an antivirus that does not answer keeps nothing."""
    settings.CLAMAV_ADRESSE = f"127.0.0.1:{_port_libre()}"
    settings.CLAMAV_DELAI = 5
    mesure = mesure_ssc(monde)
    r = client_de(monde.users["bureau_admissions"]).post(
        reverse("pieces:ajouter", args=["ssc-mesure", mesure.pk]), {"fichier": televersement()})
    assert r.status_code == 200
    assert "L'antivirus ne répond pas : le fichier n'a pas pu être analysé et n'a pas été enregistré." in texte(r)
    assert not PieceJointe.objects.exists() and not fichiers_stockes(stockage_pieces)
