"""Sauvegarde et restauration (docs/exploitation.md) : la base et MEDIA_ROOT, puis la vérification."""

import io
import os
import shutil
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from qualite.pilotage.models import RapportAnnuel

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _rapport_pret(monde):
    r = RapportAnnuel(annee=2025, ght=monde.ght, etablissement=monde.etab_a, demande_par=monde.users["direction"],
                      statut=RapportAnnuel.Statut.PRET)
    r.fichier.save("rapport-2025.pdf", ContentFile(b"%PDF-1.4 complet"), save=False)
    r.fichier_anonyme.save("rapport-2025-anonyme.pdf", ContentFile(b"%PDF-1.4 anonyme"), save=False)
    r.save()
    return r


@pytest.mark.django_db
def test_verifier_fichiers_signale_un_fichier_supprime_et_sort_en_erreur(monde, media):
    r = _rapport_pret(monde)
    sortie = io.StringIO()
    call_command("verifier_fichiers", stdout=sortie)
    assert "2 fichier(s) référencé(s) en base, tous présents." in sortie.getvalue()

    (media / r.fichier.name).unlink()
    sortie, erreurs = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as fin:
        call_command("verifier_fichiers", stdout=sortie, stderr=erreurs)
    assert fin.value.code == 1
    assert sortie.getvalue().strip() == f"absent : pilotage.RapportAnnuel n° {r.pk}, champ « fichier » : {r.fichier.name}"
    assert "1 fichier(s) absent(s) sur 2 référencé(s) en base." in erreurs.getvalue()


def _outil(nom):
    chemin = shutil.which(nom) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{nom}"))), None)
    if chemin is None:
        pytest.skip(f"{nom} absent : test de sauvegarde et restauration ignoré")
    return str(chemin)


def _postgres(outil, *args, base=None):
    reglages = connection.settings_dict
    cible = ["-d", base] if base else []
    fait = subprocess.run([_outil(outil), "-h", reglages["HOST"] or "127.0.0.1", "-p", str(reglages["PORT"] or 5432),
                           "-U", reglages["USER"] or "postgres", *cible, *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PGPASSWORD": reglages["PASSWORD"] or ""})
    assert fait.returncode == 0, fait.stdout + fait.stderr
    return fait.stdout


@pytest.mark.django_db(transaction=True)
def test_sauvegarde_puis_restauration_dans_une_base_neuve_l_application_sert(monde, media, tmp_path):
    from conftest import recharger_referentiels

    recharger_referentiels()
    r = _rapport_pret(monde)
    # La sauvegarde : la base (format custom) et MEDIA_ROOT, dans la même fenêtre.
    debut = time.monotonic()
    dump = tmp_path / "qualite.dump"
    _postgres("pg_dump", "-Fc", "-f", str(dump), base=connection.settings_dict["NAME"])
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(media, arcname="media")

    restauree = f"qualite_restauration_{uuid.uuid4().hex[:12]}"
    media_restaure = tmp_path / "restauration"
    try:
        _postgres("createdb", restauree)
        _postgres("pg_restore", "--no-owner", "--exit-on-error", str(dump), base=restauree)
        with tarfile.open(tmp_path / "media.tar.gz") as archive:
            archive.extractall(media_restaure, filter="data")
        print(f"sauvegarde et restauration : {time.monotonic() - debut:.1f} s")

        reglages = connection.settings_dict
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "MEDIA_ROOT": str(media_restaure / "media"),
               "DATABASE_URL": f"postgres://{reglages['USER'] or 'postgres'}@{reglages['HOST'] or '127.0.0.1'}:"
                               f"{reglages['PORT'] or 5432}/{restauree}"}

        def manage(*args):
            return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=300)

        # La vérification après restauration : schéma à jour, fichiers présents, une page servie.
        assert manage("migrate", "--check").returncode == 0
        verif = manage("verifier_fichiers")
        assert verif.returncode == 0, verif.stdout + verif.stderr
        assert "2 fichier(s) référencé(s) en base, tous présents." in verif.stdout
        page = manage("shell", "--no-imports", "-c", (
            "from django.test import Client; from django.urls import reverse\n"
            "from qualite.organisation.models import Utilisateur\n"
            "c = Client(); c.force_login(Utilisateur.objects.get(username='direction'))\n"
            f"r = c.get(reverse('pilotage:rapport_telecharger', args=[{r.pk}]))\n"
            "print(r.status_code, b''.join(r.streaming_content).decode())\n"
            "print(c.get(reverse('pilotage:rapports')).status_code)"))
        assert page.returncode == 0, page.stdout + page.stderr
        assert page.stdout.split() == ["200", "%PDF-1.4", "complet", "200"]
    finally:
        _postgres("dropdb", "--if-exists", "--force", restauree)
