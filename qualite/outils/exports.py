"""CSV / XLSX responses for every register: same columns in both formats."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMATS = ("csv", "xlsx")
LIGNES_PAR_BLOC = 500
# A text a spreadsheet would run as a formula (CSV / formula injection); "'" too, so that the import,
# which removes one leading quote, gives back exactly what was written.
_FORMULE = re.compile(r"'*[=+\-@\t\r]")


def _cellule(valeur):
    if valeur is None:
        return ""
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    return valeur


_DEBUTS_FORMULE = frozenset("'=+-@\t\r")


def _csv(valeur):
    if type(valeur) is not str:  # noqa: E721 (exact type: the fast path of a 100 000-row export)
        valeur = _cellule(valeur)
        if not isinstance(valeur, str):
            return valeur
    return f"'{valeur}" if valeur[:1] in _DEBUTS_FORMULE and _FORMULE.match(valeur) else valeur


def _xlsx(feuille, valeur):
    """Text stays text (never a formula) and loses the control characters the format cannot hold."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    valeur = _cellule(valeur)
    if not isinstance(valeur, str):
        return valeur
    cellule = WriteOnlyCell(feuille, ILLEGAL_CHARACTERS_RE.sub("", valeur))
    cellule.data_type = "s"
    return cellule


def date_heure_sql(champ: str):
    """« jj/mm/aaaa hh:mm » at Paris time, formatted by PostgreSQL (as ecrire_date_heure does in Python)."""
    from django.conf import settings
    from django.db.models import CharField, F, Func

    return Func(F(champ), template=f"to_char(%(expressions)s AT TIME ZONE '{settings.TIME_ZONE}', 'DD/MM/YYYY HH24:MI')",
                output_field=CharField())


def reponse_export(fmt: str, nom: str, colonnes: Sequence[str], lignes: Iterable[Sequence]) -> HttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(nom[:31])
        ws.append([_xlsx(ws, v) for v in colonnes])
        for ligne in lignes:
            ws.append([_xlsx(ws, v) for v in ligne])
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{nom}.xlsx"'
        return response
    def flux():
        # Rows are sent by blocks of LIGNES_PAR_BLOC: one piece per row cost more than formatting it.
        tampon = io.StringIO()
        writer = csv.writer(tampon, delimiter=";")
        tampon.write("\ufeff")  # BOM: Excel opens UTF-8 correctly
        writer.writerow([_csv(v) for v in colonnes])
        for i, ligne in enumerate(lignes, 1):
            writer.writerow(list(map(_csv, ligne)))
            if i % LIGNES_PAR_BLOC == 0:
                yield tampon.getvalue()
                tampon.seek(0)
                tampon.truncate()
        yield tampon.getvalue()

    response = StreamingHttpResponse(flux(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{nom}.csv"'
    return response
