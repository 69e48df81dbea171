"""The annual key figures (docs/pilotage.md).

The core never imports the domain apps: each app registers its figures in
AppConfig.ready(). A figure is a queryset factory plus the paths to its
établissement and to the date that places a record in a year; the selector
turns each into ONE grouped SQL query covering the year and the previous one
for every établissement at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear


@dataclass(frozen=True)
class Chiffre:
    code: str
    libelle: str  # as printed: "{n} évènements indésirables signalés"
    definition: str  # how it is counted, from which register
    pole: str  # "qualite" or "usagers": the column of the yearly key-figures page
    ordre: int
    requete: Callable[[], QuerySet]
    champ_etablissement: str
    champ_date: str | None  # None: a stock counted at the end of the year (e.g. active processes)
    champ_pole: str | None = None
    anonyme: bool = True  # a count only; shown to the CDU
    actif_pendant: tuple[str, str] | None = None  # (start, end) fields: counted in every year it overlaps
    # The records counted for a year, as the registers stood on its 31 December (a dated history):
    # year -> filter. The previous year's column then differs when the registers did.
    au_31_decembre: Callable[[int], Q] | None = None


_REGISTRE: dict[str, Chiffre] = {}


def enregistrer(chiffre: Chiffre) -> None:
    _REGISTRE[chiffre.code] = chiffre


def catalogue() -> list[Chiffre]:
    return sorted(_REGISTRE.values(), key=lambda c: (c.pole != "qualite", c.ordre))


def calculer(chiffre: Chiffre, *, annees: list[int], etablissements: list[int], pole_id: int | None = None) -> dict:
    """{(etablissement_id, annee): n} for every year asked, in one grouped query."""
    qs = chiffre.requete().filter(**{f"{chiffre.champ_etablissement}__in": etablissements})
    if pole_id is not None:
        if chiffre.champ_pole is None:
            return {}
        qs = qs.filter(**{chiffre.champ_pole: pole_id})
    if chiffre.au_31_decembre is not None:
        compteurs = {f"a{a}": Count("pk", distinct=True, filter=chiffre.au_31_decembre(a)) for a in annees}
        lignes = qs.values(chiffre.champ_etablissement).annotate(**compteurs).order_by()
        return {(r[chiffre.champ_etablissement], a): r[f"a{a}"] for r in lignes for a in annees}
    if chiffre.actif_pendant is not None:
        debut, fin = chiffre.actif_pendant
        compteurs = {
            f"a{a}": Count("pk", distinct=True, filter=Q(**{f"{debut}__lte": date(a, 12, 31)})
                           & (Q(**{f"{fin}__isnull": True}) | Q(**{f"{fin}__gte": date(a, 1, 1)})))
            for a in annees
        }
        lignes = qs.filter(**{f"{debut}__isnull": False}).values(chiffre.champ_etablissement).annotate(**compteurs).order_by()
        return {(r[chiffre.champ_etablissement], a): r[f"a{a}"] for r in lignes for a in annees}
    if chiffre.champ_date is None:
        lignes = qs.values(chiffre.champ_etablissement).annotate(n=Count("pk", distinct=True)).order_by()
        return {(r[chiffre.champ_etablissement], a): r["n"] for r in lignes for a in annees}
    lignes = (
        qs.filter(**{f"{chiffre.champ_date}__year__in": annees})
        .annotate(_annee=ExtractYear(chiffre.champ_date))
        .values(chiffre.champ_etablissement, "_annee")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {(r[chiffre.champ_etablissement], r["_annee"]): r["n"] for r in lignes}


@dataclass(frozen=True)
class Repartition:
    """A breakdown shown on each pôle's page of the annual report (events by type, by gravity...)."""

    code: str
    titre: str
    ordre: int
    requete: Callable[[], QuerySet]
    champ_pole: str
    champ_date: str
    champ_categorie: str
    libelles: dict | None = None  # category value -> label, for choices


_REPARTITIONS: dict[str, Repartition] = {}


def enregistrer_repartition(r: Repartition) -> None:
    _REPARTITIONS[r.code] = r


def repartitions() -> list[Repartition]:
    return sorted(_REPARTITIONS.values(), key=lambda r: r.ordre)


def calculer_repartition(r: Repartition, *, annee: int, poles: list[int]) -> dict:
    """{pole_id: [(libellé, n), ...]} in one grouped query."""
    lignes = (
        r.requete().filter(**{f"{r.champ_pole}__in": poles, f"{r.champ_date}__year": annee})
        .values(r.champ_pole, r.champ_categorie).annotate(n=Count("pk", distinct=True)).order_by(r.champ_pole, "-n")
    )
    resultat: dict[int, list] = {}
    for row in lignes:
        cat = row[r.champ_categorie]
        libelle = (r.libelles or {}).get(cat, cat if cat is not None else "non renseigné")
        resultat.setdefault(row[r.champ_pole], []).append((str(libelle), row["n"]))
    return resultat
