"""What the identity tests share: starting and stopping a real server (slapd, the OpenID Connect provider),
the settings of an identity source, a group mapping."""

from __future__ import annotations

import socket
import subprocess


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def arreter(processus: subprocess.Popen) -> None:
    processus.terminate()
    try:
        processus.wait(timeout=10)
    except subprocess.TimeoutExpired:
        processus.kill()
        processus.wait()


def appliquer_reglages(settings, reglages: dict) -> None:
    """Puts settings built by reglages_ldap / reglages_oidc on pytest-django's `settings` fixture."""
    for nom, valeur in reglages.items():
        setattr(settings, nom, valeur)


def creer_correspondance(groupe, roles, etablissements=(), pole=None, **champs):
    from qualite.identite.models import CorrespondanceGroupe

    correspondance = CorrespondanceGroupe.objects.create(groupe=groupe, roles=roles, pole=pole, **champs)
    correspondance.etablissements.set(etablissements)
    return correspondance
