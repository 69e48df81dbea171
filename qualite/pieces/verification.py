"""What a file must pass before it is kept: size, type read from its content, antivirus when configured.
Each refusal is a French sentence shown under the file field."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError

from qualite.pieces import antivirus

logger = logging.getLogger(__name__)

# Enough of the file for libmagic to tell an OOXML document from a plain zip.
TETE = 1024 * 1024

LIBELLES_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/tiff": "TIFF",
    "text/plain": "texte",
    "text/csv": "CSV",
    "application/msword": "Word (.doc)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.ms-excel": "Excel (.xls)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument texte (.odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument tableur (.ods)",
    "message/rfc822": "courriel (.eml)",
    "application/x-dosexec": "programme Windows",
    "application/zip": "archive ZIP",
    "text/html": "page HTML",
    "image/svg+xml": "image SVG",
}


@dataclass(frozen=True)
class Controle:
    taille: int
    type_mime: str
    sha256: str


def en_mo(octets: int) -> str:
    if octets < 1024 * 1024:
        return f"{-(-octets // 1024)} Ko"
    texte = f"{octets / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
    return f"{texte} Mo"


def libelle_type(type_mime: str) -> str:
    return LIBELLES_TYPES.get(type_mime, type_mime)


def types_acceptes() -> str:
    return ", ".join(libelle_type(t) for t in settings.PIECES_TYPES)


def controler(fichier) -> Controle:
    """Size, then type by content, then antivirus: raises ValidationError (French) at the first refusal."""
    taille = fichier.size
    if not taille:
        raise ValidationError("Le fichier est vide.", code="vide")
    if taille > settings.PIECES_TAILLE_MAX:
        raise ValidationError(
            f"Fichier trop volumineux ({en_mo(taille)}) : {en_mo(settings.PIECES_TAILLE_MAX)} au plus.", code="taille")
    empreinte, tete = hashlib.sha256(), b""
    fichier.seek(0)
    for morceau in fichier.chunks():
        empreinte.update(morceau)
        if len(tete) < TETE:
            tete += morceau[:TETE - len(tete)]
    type_mime = magic.from_buffer(tete, mime=True)
    if type_mime not in settings.PIECES_TYPES:
        raise ValidationError(
            f"Type de fichier refusé : d'après son contenu, ce fichier est de type « {libelle_type(type_mime)} », "
            f"quelle que soit son extension. Types acceptés : {types_acceptes()}.", code="type")
    if antivirus.configure():
        fichier.seek(0)
        try:
            virus = antivirus.analyser(fichier.chunks())
        except antivirus.AntivirusIndisponible as exc:
            logger.error("Antivirus injoignable (%s) : dépôt refusé.", exc)
            raise ValidationError("L'antivirus ne répond pas : le fichier n'a pas pu être analysé et n'a pas été "
                                  "enregistré. Réessayez plus tard ou prévenez le support.", code="antivirus") from None
        if virus:
            logger.warning("Dépôt refusé par l'antivirus : %s", virus)
            raise ValidationError(f"L'antivirus a détecté un virus dans ce fichier ({virus}) : il n'a pas été enregistré.",
                                  code="virus")
    fichier.seek(0)
    return Controle(taille=taille, type_mime=type_mime, sha256=empreinte.hexdigest())
