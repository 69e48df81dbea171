"""The text of a PDF or DOCX file, for the full-text search. PDF through poppler's `pdftotext`
(Debian package poppler-utils) or, without it, pypdf; DOCX read from word/document.xml with the
standard library. A file whose text cannot be read is kept, unsearchable by its content."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# PostgreSQL's tsvector is limited to 1 MB: a procedure's text is far below this.
TEXTE_MAX = 400_000
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _pdf(contenu: bytes) -> str:
    if shutil.which("pdftotext"):
        try:
            sortie = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", "-", "-"], input=contenu,
                                    capture_output=True, timeout=60, check=False)
            return sortie.stdout.decode("utf-8", "replace")
        except (OSError, subprocess.SubprocessError) as exc:
            logger.warning("pdftotext a échoué (%s) : lecture par pypdf.", exc)
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(contenu)).pages)


def _docx(contenu: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        info = archive.getinfo("word/document.xml")
        if info.file_size > 50 * 1024 * 1024:  # a zip bomb is not a procedure
            return ""
        racine = ElementTree.fromstring(archive.read(info))
    paragraphes = []
    for p in racine.iter(f"{_W}p"):
        paragraphes.append("".join(t.text or "" for t in p.iter(f"{_W}t")))
    return "\n".join(paragraphes)


def extraire_texte(contenu: bytes, type_mime: str) -> str:
    try:
        if type_mime == "application/pdf":
            texte = _pdf(contenu)
        elif type_mime == DOCX:
            texte = _docx(contenu)
        elif type_mime == "text/plain":
            texte = contenu.decode("utf-8", "replace")
        else:
            return ""
    except Exception as exc:  # a damaged file: kept, its text unknown
        logger.warning("Texte illisible dans un document (%s) : %s", type_mime, exc)
        return ""
    return texte.replace("\x00", " ")[:TEXTE_MAX]
