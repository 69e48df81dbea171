"""Rows of an uploaded CSV / XLSX, read as a stream with every limit checked while reading.

A hostile file must be refused early and cheaply: an XLSX declaring the dimension A1:XFD1048576,
a zip bomb, three million rows, a thousand columns. So the sheet XML is walked here row by row
(openpyxl's read-only sheet trusts the declared dimension and pads every row up to it), the zip
members' sizes are checked before anything is decompressed, and rows, columns and seconds are
counted as the file is read. `FichierRefuse` carries the message shown to the user."""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

# A CSV cell written by our exports with a leading quote so that a spreadsheet does not run it.
_NEUTRALISEE = re.compile(r"'+[=+\-@\t\r]")
CELLULES_PAR_LIGNE_MAX = 16_384  # the width of an Excel sheet


class FichierRefuse(Exception):
    """A file refused as a whole (limits, damaged file); the message is shown next to the file field."""


class FichierIllisible(FichierRefuse):
    def __init__(self, message: str, ligne: int = 1):
        super().__init__(message)
        self.ligne = ligne


@dataclass(frozen=True)
class Limites:
    lignes: int
    colonnes: int
    secondes: float
    decompresse: int

    @classmethod
    def page(cls) -> Limites:
        return cls(settings.IMPORT_LIGNES_MAX, settings.IMPORT_COLONNES_MAX, settings.IMPORT_DUREE_LECTURE_MAX,
                   settings.IMPORT_DECOMPRESSE_MAX)

    @classmethod
    def commande(cls) -> Limites:
        return cls(settings.IMPORT_LIGNES_MAX, settings.IMPORT_COLONNES_MAX,
                   settings.IMPORT_DUREE_LECTURE_MAX_COMMANDE, settings.IMPORT_DECOMPRESSE_MAX)


class _Compteur:
    """Non-empty data rows, columns and elapsed time, checked on every row."""

    def __init__(self, limites: Limites):
        self.limites, self.lignes, self.lues = limites, 0, 0
        self.fin = time.monotonic() + limites.secondes

    def verifier(self, numero: int, valeurs: list) -> list:
        while valeurs and (valeurs[-1] is None or valeurs[-1] == ""):
            valeurs.pop()
        if len(valeurs) > self.limites.colonnes:
            raise FichierRefuse(f"trop de colonnes : {self.limites.colonnes} au plus (ligne {numero}, "
                                f"{len(valeurs)} colonnes remplies).")
        if valeurs and numero > 1:
            self.lignes += 1
            if self.lignes > self.limites.lignes:
                raise FichierRefuse(f"fichier trop long : {self.limites.lignes} lignes au plus par import.")
        self.lues += 1
        if self.lues % 256 == 0 and time.monotonic() > self.fin:
            raise FichierRefuse(f"lecture du fichier trop longue (plus de {self.limites.secondes:g} secondes) : "
                                "découpez-le en plusieurs fichiers ou utilisez la commande « importer ».")
        return valeurs


def lignes(source: bytes | BinaryIO, nom_fichier: str = "", limites: Limites | None = None) -> Iterator[tuple[int, list]]:
    """(line number as the user sees it, cell values) for each row, header first; empty rows skipped."""
    if isinstance(source, (bytes, bytearray)):
        source = io.BytesIO(source)
    limites = limites or Limites.page()
    debut = source.read(4)
    source.seek(0)
    if debut == b"PK\x03\x04" or nom_fichier.lower().endswith(".xlsx"):
        yield from _lignes_xlsx(source, limites)
    else:
        yield from _lignes_csv(source, limites)


# ---- CSV -------------------------------------------------------------------------------------------

def _encodage(source: BinaryIO) -> str:
    """UTF-8 (BOM or not) or Windows-1252, decided on the whole file read in blocks."""
    for encodage in ("utf-8-sig", "cp1252"):
        decodeur, lus, source_ok = codecs.getincrementaldecoder(encodage)(), 0, True
        source.seek(0)
        while bloc := source.read(1 << 20):
            try:
                decodeur.decode(bloc)
            except UnicodeDecodeError as exc:
                source_ok, position = False, lus + exc.start
                break
            lus += len(bloc)
        if source_ok:
            source.seek(0)
            return encodage
    source.seek(0)
    ligne = source.read(position).count(b"\n") + 1
    raise FichierIllisible("encodage illisible : enregistrez le fichier en « CSV UTF-8 » (ou Windows-1252).", ligne)


def _lignes_csv(source: BinaryIO, limites: Limites) -> Iterator[tuple[int, list]]:
    encodage = _encodage(source)
    flux = io.TextIOWrapper(source, encoding=encodage, newline="")
    premiere = flux.readline(1 << 20)
    flux.seek(0)
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    compteur = _Compteur(limites)
    try:
        for numero, brute in enumerate(csv.reader(flux, delimiter=separateur), start=1):
            valeurs = compteur.verifier(numero, [_sans_apostrophe(v) for v in brute])
            if valeurs:
                yield numero, valeurs
    except csv.Error as exc:
        raise FichierIllisible(f"CSV mal formé : {exc}.") from None
    finally:
        flux.detach()


def _sans_apostrophe(valeur: str) -> str:
    return valeur[1:] if _NEUTRALISEE.match(valeur) else valeur


# ---- XLSX ------------------------------------------------------------------------------------------

def _verifier_archive(source: BinaryIO, limites: Limites) -> None:
    """Declared sizes before any decompression; zipfile never inflates a member past its declared size."""
    try:
        with zipfile.ZipFile(source) as archive:
            membres = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FichierIllisible("classeur Excel illisible (format .xlsx attendu).") from None
    finally:
        source.seek(0)
    total = sum(m.file_size for m in membres)
    taux_max = settings.IMPORT_TAUX_COMPRESSION_MAX
    suspect = any(m.file_size > (1 << 20) and m.file_size > taux_max * max(m.compress_size, 1) for m in membres)
    if total > limites.decompresse or suspect:
        raise FichierRefuse(f"classeur Excel refusé : son contenu décompressé dépasse "
                            f"{limites.decompresse // (1 << 20)} Mo ou il est anormalement compressé.")


def _lignes_xlsx(source: BinaryIO, limites: Limites) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    _verifier_archive(source, limites)
    try:
        classeur = load_workbook(source, read_only=True, data_only=True)
        feuille = classeur.worksheets[0]
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise FichierIllisible("classeur Excel illisible (format .xlsx attendu).") from None
    compteur = _Compteur(limites)
    try:
        with feuille._get_source() as xml:
            # openpyxl's own cell parser (shared strings, dates, booleans), on our own walk of the rows.
            analyseur = WorkSheetParser(xml, classeur.shared_strings, data_only=True, epoch=classeur.epoch,
                                        date_formats=classeur._date_formats,
                                        timedelta_formats=classeur._timedelta_formats)
            for numero, cellules in _rangees(xml, analyseur):
                valeurs = compteur.verifier(numero, _valeurs(cellules, limites.colonnes, numero))
                if valeurs:
                    yield numero, valeurs
    except FichierRefuse:
        raise
    except Exception:
        raise FichierIllisible("classeur Excel illisible (format .xlsx attendu).") from None
    finally:
        classeur.close()


def _rangees(xml, analyseur) -> Iterator[tuple[int, list[dict]]]:
    """(row number, parsed cells) of each <row>; each row is dropped once read, so memory stays flat."""
    from openpyxl.worksheet._reader import CELL_TAG, ROW_TAG
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    sheetdata = f"{{{SHEET_MAIN_NS}}}sheetData"
    conteneur, cellules_lues = None, 0
    for evenement, element in iterparse(xml, events=("start", "end")):
        if evenement == "start":
            conteneur = element if element.tag == sheetdata else conteneur
        elif element.tag == CELL_TAG:
            # A row is parsed whole: bound it before it is built (a sheet has 16 384 columns).
            cellules_lues += 1
            if cellules_lues > CELLULES_PAR_LIGNE_MAX:
                raise FichierRefuse(f"trop de colonnes : plus de {CELLULES_PAR_LIGNE_MAX} cellules sur une ligne.")
        elif element.tag == ROW_TAG:
            cellules_lues = 0
            ligne = analyseur.parse_row(element)
            conteneur.clear()  # ElementTree keeps every parsed row under <sheetData> otherwise
            analyseur.row_dimensions.clear()
            yield ligne


def _valeurs(cellules: list[dict], colonnes_max: int, numero: int) -> list:
    """Cell values by column; a filled cell past the limit refuses the file, empty ones cost nothing."""
    remplies = {c["column"]: c["value"] for c in cellules if c["value"] is not None and c["value"] != ""}
    if not remplies:
        return []
    derniere = max(remplies)
    if derniere > colonnes_max:
        raise FichierRefuse(f"trop de colonnes : {colonnes_max} au plus (ligne {numero}, une valeur en colonne "
                            f"{derniere}).")
    return [remplies.get(i, "") for i in range(1, derniere + 1)]
