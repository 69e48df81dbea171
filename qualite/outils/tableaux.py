"""The registers' tables: sortable column headers and the text search, written once for every list page.

A page declares its columns once (`Tableau([Colonne(...), ...])`): which ones sort, by which expressions
(the whitelist: any other `?tri=` value is ignored and the page keeps its default order), in which direction
a first click sorts. Ties are broken by the id, in the same direction, so a page never shows a row twice.
The headers are links that keep every filter of the address (the page number dropped) and say their state
with aria-sort. The search is PostgreSQL full text with the `fr_unaccent` configuration (French stemming,
accents ignored) over the fields the page allows the user to search; a page that anonymises passes only
non-nominative fields."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Case, Expression, F, IntegerField, QuerySet, Value, When

from qualite.outils import parametres

CONFIG_RECHERCHE = "fr_unaccent"
PARAMETRE_TRI = "tri"
PARAMETRE_RECHERCHE = "q"
LONGUEUR_RECHERCHE = 200


@dataclass(frozen=True)
class Colonne:
    libelle: str
    cle: str = ""  # empty: the column does not sort
    # Field names sort as PostgreSQL does (their indexes serve them); expressions (F("gravite")) sort their nulls
    # last whatever the direction. Default: the key itself, as a field name.
    expressions: tuple = field(default=())
    descendant_d_abord: bool = False  # dates: the first click shows the most recent first

    def ordre(self, descendant: bool) -> list:
        ordre = []
        for expression in self.expressions or (self.cle,):
            if isinstance(expression, str):
                ordre.append(F(expression).desc() if descendant else F(expression).asc())
            else:
                ordre.append(expression.desc(nulls_last=True) if descendant else expression.asc(nulls_last=True))
        return ordre


class Tableau:
    def __init__(self, colonnes: list[Colonne]):
        self.colonnes = colonnes
        self.triables = {c.cle: c for c in colonnes if c.cle}

    def tri_demande(self, params) -> tuple[Colonne, bool] | None:
        """The allowed sort asked by the address: (column, descending), or None (unknown or absent)."""
        valeur = (params.get(PARAMETRE_TRI) or "").strip()
        descendant = valeur.startswith("-")
        colonne = self.triables.get(valeur.removeprefix("-"))
        return (colonne, descendant) if colonne else None

    def trier(self, qs: QuerySet, params) -> QuerySet:
        """`qs` in the asked order with the id as tie-break, or unchanged (its default order) when none is asked."""
        demande = self.tri_demande(params)
        if demande is None:
            return qs
        colonne, descendant = demande
        pk = F("pk").desc() if descendant else F("pk").asc()
        return qs.order_by(*colonne.ordre(descendant), pk)

    def entetes(self, request) -> list[dict]:
        """What the header template shows: label, link (sortable columns) and aria-sort of each column."""
        demande = self.tri_demande(request.GET)
        entetes = []
        for colonne in self.colonnes:
            entete = {"libelle": colonne.libelle, "url": None, "aria_sort": None, "sens": None}
            if colonne.cle:
                actif = demande is not None and demande[0] is colonne
                descendant = (not demande[1]) if actif else colonne.descendant_d_abord
                if actif:
                    entete["aria_sort"] = "descending" if demande[1] else "ascending"
                    entete["sens"] = "décroissant" if demande[1] else "croissant"
                params = request.GET.copy()
                params.pop("page", None)
                params[PARAMETRE_TRI] = f"-{colonne.cle}" if descendant else colonne.cle
                entete["url"] = "?" + params.urlencode()
                entete["prochain"] = "décroissant" if descendant else "croissant"
            entetes.append(entete)
        return entetes


def ordre_des_choix(champ: str, choix) -> Case:
    """A coded field sorted in the order of its choices (the workflow's order), not alphabetically by code."""
    return Case(*[When(**{champ: code}, then=Value(i)) for i, (code, _libelle) in enumerate(choix)],
                default=Value(len(choix)), output_field=IntegerField())


def texte_recherche(params) -> str:
    """The searched text, trimmed and bounded; none when it holds a NUL byte (PostgreSQL refuses it)."""
    return parametres.texte(params, PARAMETRE_RECHERCHE, longueur_max=100 * LONGUEUR_RECHERCHE)[:LONGUEUR_RECHERCHE]


def vecteur_recherche(champs: tuple[str | Expression, ...]) -> SearchVector:
    """The searched document of a register: the one expression its query and its GIN index share."""
    return SearchVector(*champs, config=CONFIG_RECHERCHE)


def index_recherche(nom: str, champs: tuple[str | Expression, ...]) -> GinIndex:
    """The expression index that serves `rechercher(qs, texte, champs)`: PostgreSQL uses it only when the
    query's expression is the index's, word for word, hence both built by `vecteur_recherche`."""
    return GinIndex(vecteur_recherche(champs), name=nom)


def rechercher(qs: QuerySet, texte: str, champs: tuple[str | Expression, ...]) -> QuerySet:
    """The rows of `qs` whose `champs` match `texte` (words as typed in a search engine: "…", -mot, or),
    in French, accents ignored. An empty text keeps `qs`."""
    if not texte:
        return qs
    requete = SearchQuery(texte, config=CONFIG_RECHERCHE, search_type="websearch")
    # alias(), not annotate(): the vector stays out of the SELECT (and of a later GROUP BY).
    return qs.alias(_vecteur_recherche=vecteur_recherche(champs)).filter(
        _vecteur_recherche=requete)
