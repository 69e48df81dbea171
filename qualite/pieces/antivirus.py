"""The few lines of clamd's INSTREAM protocol (man clamd): the file in length-prefixed chunks, a zero
length to end, one line back. Configured by CLAMAV_ADRESSE: "host:port" or a Unix socket path."""

from __future__ import annotations

import socket
import struct

from django.conf import settings

TAILLE_MORCEAU = 64 * 1024


class AntivirusIndisponible(Exception):
    """clamd did not answer, or answered something other than a verdict: the upload is refused."""


def configure() -> bool:
    return bool(getattr(settings, "CLAMAV_ADRESSE", ""))


def _connexion(adresse: str, delai: float) -> socket.socket:
    if adresse.startswith("/") or adresse.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(delai)
        s.connect(adresse.removeprefix("unix:"))
        return s
    hote, _, port = adresse.rpartition(":")
    return socket.create_connection((hote.strip("[]") or "127.0.0.1", int(port)), timeout=delai)


def analyser(morceaux, *, adresse: str | None = None, delai: float | None = None) -> str | None:
    """The virus name clamd found in the stream, or None when it is clean. `morceaux`: an iterable of bytes."""
    adresse = adresse or settings.CLAMAV_ADRESSE
    delai = delai if delai is not None else settings.CLAMAV_DELAI
    try:
        with _connexion(adresse, delai) as s:
            s.sendall(b"zINSTREAM\0")
            for morceau in morceaux:
                for debut in range(0, len(morceau), TAILLE_MORCEAU):
                    bout = morceau[debut:debut + TAILLE_MORCEAU]
                    s.sendall(struct.pack("!L", len(bout)) + bout)
            s.sendall(struct.pack("!L", 0))
            reponse = b""
            while not reponse.endswith(b"\0"):
                recu = s.recv(4096)
                if not recu:
                    break
                reponse += recu
    except (OSError, ValueError) as exc:
        raise AntivirusIndisponible(str(exc)) from exc
    texte = reponse.rstrip(b"\0").decode("utf-8", "replace").strip()
    if texte.endswith(" OK"):
        return None
    if texte.endswith(" FOUND"):
        return texte.removeprefix("stream:").removesuffix(" FOUND").strip() or "virus"
    raise AntivirusIndisponible(texte or "réponse vide")
