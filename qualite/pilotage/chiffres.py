"""The annual key figures (docs/pilotage.md).

The core never imports the domain apps: each app registers its figures in
AppConfig.ready(). A figure is a queryset factory plus the paths to its
établissement and to the date that places a record in a year; the selector
turns the figures of one register into ONE SQL query (a grouped part per figure,
on a date range the indexes serve) covering the year and the previous one for
every établissement at once."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import CharField, Count, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone


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
    singulier: str = ""  # the label after 0 or 1 ("1 analyse approfondie des causes"); empty: the label


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


def _champ(modele, chemin: str) -> models.Field:
    *liens, nom = chemin.split("__")
    for lien in liens:
        modele = modele._meta.get_field(lien).related_model
    return modele._meta.get_field(nom)


def _bornes_annees(modele, chemin: str, premiere: int, derniere: int) -> Q:
    """The years as one range on the field itself (an index serves it, where `year IN (...)` is not);
    a datetime's years are Paris years, as ExtractYear counts them."""
    if isinstance(_champ(modele, chemin), models.DateTimeField):
        tz = timezone.get_current_timezone()
        debut, fin = datetime(premiere, 1, 1, tzinfo=tz), datetime(derniere + 1, 1, 1, tzinfo=tz)
    else:
        debut, fin = date(premiere, 1, 1), date(derniere + 1, 1, 1)
    return Q(**{f"{chemin}__gte": debut, f"{chemin}__lt": fin})


def _joint_plusieurs(qs: QuerySet) -> bool:
    """Whether a join of this query can give a row more than once: any join but along a foreign key or a
    one-to-one field from the counted side."""
    from django.db.models.sql.datastructures import Join

    return any(isinstance(j, Join) and not (getattr(j.join_field, "many_to_one", False)
                                            or getattr(j.join_field, "one_to_one", False)
                                            and not getattr(j.join_field, "auto_created", False))
               for j in qs.query.alias_map.values())


def _parties(chiffre: Chiffre, annees: list[int], etablissements: list[int], pole_id: int | None) -> list[QuerySet]:
    """The figure's counts as rows (code, établissement, year, n): the same counts as `calculer`."""
    qs = chiffre.requete().filter(**{f"{chiffre.champ_etablissement}__in": etablissements})
    if pole_id is not None:
        qs = qs.filter(**{chiffre.champ_pole: pole_id})
    code = Value(chiffre.code, output_field=CharField())

    def ligne(q: QuerySet, annee) -> QuerySet:
        q = q.annotate(_code=code, _etab=F(chiffre.champ_etablissement), _annee=annee)
        # COUNT(DISTINCT) only where a join can repeat a row: it sorts every row (17 of 23 ms on 25 000 events).
        return q.values("_code", "_etab", "_annee").annotate(n=Count("pk", distinct=_joint_plusieurs(q))).order_by()

    if chiffre.au_31_decembre is not None:
        return [ligne(qs.filter(chiffre.au_31_decembre(a)), Value(a, output_field=IntegerField())) for a in annees]
    if chiffre.actif_pendant is not None:
        debut, fin = chiffre.actif_pendant
        return [ligne(qs.filter(Q(**{f"{debut}__lte": date(a, 12, 31)})
                                & (Q(**{f"{fin}__isnull": True}) | Q(**{f"{fin}__gte": date(a, 1, 1)}))),
                      Value(a, output_field=IntegerField())) for a in annees]
    if chiffre.champ_date is None:  # a stock: the same count for every year, spread by the caller
        return [ligne(qs, Value(0, output_field=IntegerField()))]
    dates = qs.filter(_bornes_annees(qs.model, chiffre.champ_date, min(annees), max(annees)))
    if sorted(annees) != list(range(min(annees), max(annees) + 1)):
        dates = dates.filter(**{f"{chiffre.champ_date}__year__in": annees})
    return [ligne(dates, ExtractYear(chiffre.champ_date))]


def calculer_par_registre(chiffres: list[Chiffre], *, annees: list[int], etablissements: list[int],
                          pole_id: int | None = None) -> dict[str, dict]:
    """{code: {(etablissement_id, annee): n}} for every figure, in ONE query per register (the
    figures counting the same model are the parts of one UNION ALL); a missing key counts 0."""
    if pole_id is not None:
        chiffres = [c for c in chiffres if c.champ_pole is not None]
    par_modele: dict[type, list[QuerySet]] = {}
    for c in chiffres:
        for partie in _parties(c, annees, etablissements, pole_id):
            par_modele.setdefault(partie.model, []).append(partie)
    resultat: dict[str, dict] = {c.code: {} for c in chiffres}
    stocks = {c.code for c in chiffres if c.champ_date is None and c.au_31_decembre is None and c.actif_pendant is None}
    for premiere, *autres in par_modele.values():
        requete = premiere.union(*autres, all=True) if autres else premiere
        for r in requete:
            annees_ligne = annees if r["_code"] in stocks else [r["_annee"]]
            for a in annees_ligne:
                resultat[r["_code"]][(r["_etab"], a)] = r["n"]
    return resultat


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


def _alphabetique(texte: str) -> str:
    """Dictionary order: « Évasion » between « Escarre » and « Fugue », not after « Z »."""
    return unicodedata.normalize("NFD", texte.casefold()).encode("ascii", "ignore").decode()


def calculer_repartition(r: Repartition, *, annee: int, poles: list[int]) -> dict:
    """{pole_id: [(libellé, n), ...]} in one grouped query, in the natural order: a coded category
    (gravity 1→5, nature…) in the order of its choices, every choice listed (0 included) once the pôle
    has a record; free categories (types) alphabetically; « non renseigné » last."""
    lignes = (
        r.requete().filter(**{f"{r.champ_pole}__in": poles, f"{r.champ_date}__year": annee})
        .values(r.champ_pole, r.champ_categorie).annotate(n=Count("pk", distinct=True)).order_by()
    )
    comptes: dict[int, dict] = {}
    for row in lignes:
        comptes.setdefault(row[r.champ_pole], {})[row[r.champ_categorie]] = row["n"]
    resultat: dict[int, list] = {}
    for pole, par_cat in comptes.items():
        if r.libelles:
            codes = list(r.libelles) + sorted((c for c in par_cat if c not in r.libelles and c is not None), key=str)
        else:
            codes = sorted((c for c in par_cat if c is not None), key=lambda c: _alphabetique(str(c)))
        if None in par_cat:
            codes.append(None)
        resultat[pole] = [(str((r.libelles or {}).get(c, c)) if c is not None else "non renseigné", par_cat.get(c, 0))
                          for c in codes]
    return resultat
