"""Text extraction for the search: pdftotext, pypdf when pdftotext is absent, DOCX by the standard library;
a damaged file gives no text, never an error."""

import shutil

import pytest

from qualite.documents import extraction
from qualite.documents.tests.outils import DOCX_MIME, docx, pdf


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) absent")
def test_pdf_par_pdftotext():
    assert "sécurité transfusionnelle" in extraction.extraire_texte(pdf("La sécurité transfusionnelle."),
                                                                   "application/pdf")


def test_pdf_par_pypdf_sans_pdftotext(monkeypatch):
    pytest.importorskip("pypdf")
    monkeypatch.setattr(extraction.shutil, "which", lambda nom: None)
    assert "sécurité" in extraction.extraire_texte(pdf("La sécurité transfusionnelle."), "application/pdf")


def test_docx_par_la_bibliotheque_standard():
    texte = extraction.extraire_texte(docx("Premier paragraphe.", "Deuxième : la sécurité."), DOCX_MIME)
    assert texte == "Premier paragraphe.\nDeuxième : la sécurité."


@pytest.mark.parametrize("contenu, type_mime", [
    (b"%PDF-1.4 tronque", "application/pdf"), (b"PK\x03\x04pas un zip", DOCX_MIME), (b"\x00\x01", "image/png")])
def test_un_fichier_abime_ne_donne_aucun_texte(contenu, type_mime):
    assert extraction.extraire_texte(contenu, type_mime).strip() == ""
