"""CSV / XLSX responses for every register: same columns in both formats."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

FORMATS = ("csv", "xlsx")


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


class _Echo:
    def write(self, value):
        return value


def reponse_export(fmt: str, nom: str, colonnes: Sequence[str], lignes: Iterable[Sequence]) -> HttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(nom[:31])
        ws.append(list(colonnes))
        for ligne in lignes:
            ws.append([_cellule(v) for v in ligne])
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{nom}.xlsx"'
        return response
    writer = csv.writer(_Echo(), delimiter=";")

    def flux():
        yield "\ufeff" + writer.writerow(colonnes)  # BOM: Excel opens UTF-8 correctly
        for ligne in lignes:
            yield writer.writerow([_cellule(v) for v in ligne])

    response = StreamingHttpResponse(flux(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{nom}.csv"'
    return response
