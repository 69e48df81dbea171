"""« À traiter »: the items that await an action of one user, whatever the domain.

Each domain registers its sources in its AppConfig.ready() (the core never imports a domain). A source is a
scoped queryset (built with the access module: perimetre(), has_perm()) ordered by urgency, and the way one row
becomes an item. The page reads a few rows per source; the counts cost one SQL statement for all sources."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField, Subquery

from qualite.organisation.access import has_perm

# Rows read per source on the page: the most urgent ones; the count says how many there are in all.
LIMITE_PAR_SOURCE = 20
# The counts' cache: a write through the ORM counts again at once; the clock and bulk writes within this delay.
DUREE_COMPTES = 60


@dataclass(frozen=True)
class Element:
    titre: str  # the gesture awaited: « Qualifier l'évènement »
    reference: str  # non nominative
    url: str
    bouton: str  # the button's label
    echeance: datetime | date | None = None
    detail: str = ""


@dataclass(frozen=True)
class Source:
    code: str
    libelle: str
    permissions: tuple[str, ...]  # any of them opens the source
    requete: Callable  # (user) -> QuerySet, scoped and ordered most urgent first
    element: Callable  # (row) -> Element
    ordre: int = 100

    def ouverte_a(self, user) -> bool:
        return any(has_perm(user, p) for p in self.permissions)


_SOURCES: dict[str, Source] = {}


def enregistrer(source: Source) -> None:
    _SOURCES[source.code] = source


def sources_pour(user) -> list[Source]:
    if not user.is_authenticated:
        return []
    return [s for s in sorted(_SOURCES.values(), key=lambda s: (s.ordre, s.code)) if s.ouverte_a(user)]


class _Compte(Subquery):
    template = "(SELECT count(*) FROM (%(subquery)s) _compte)"
    output_field = IntegerField()


# The registers the counts read (tables named in their SQL), grown as sources are counted in this process.
_LUS: set = set()


def compteurs(user, sources: list[Source] | None = None) -> dict[str, int]:
    """Items per source, in one SQL statement (a COUNT sub-query per source), cached under the versions of
    every register that statement reads: a gesture changes its register's version, so the next page counts
    again. Building the statement costs more than reading the cache, so the key is made without it: the user,
    the sources, the minute (sources that compare with now) and the registers read so far in this process;
    a count is only stored under a key naming every register its statement read."""
    sources = sources_pour(user) if sources is None else sources
    if not sources:
        return {}
    from django.core.cache import cache
    from django.utils import timezone

    from qualite.outils import registres

    parties = (user.pk, tuple(s.code for s in sources), timezone.now().replace(second=0, microsecond=0))
    try:
        valeurs = cache.get(registres.cle_versions("a-traiter", _LUS, *parties)) if _LUS else None
    except registres.INDISPONIBLE:
        return _compter(user, sources)
    if valeurs is None:
        qs = _requete_comptes(user, sources)
        try:
            _LUS.update(m for m in registres.modeles_lus(str(qs.query)) if registres.suivi(m))
        except EmptyResultSet:
            pass
        try:
            cle = registres.cle_versions("a-traiter", _LUS, *parties)  # versions read before counting
        except registres.INDISPONIBLE:
            cle = None
        valeurs = qs.first() or {}
        try:
            if cle:
                cache.set(cle, valeurs, timeout=DUREE_COMPTES)
        except registres.INDISPONIBLE:
            pass
    return _par_source(valeurs, sources)


def _requete_comptes(user, sources: list[Source]):
    from qualite.organisation.models import Utilisateur

    sous_requetes = {_alias(s): _Compte(s.requete(user).order_by().values("pk")) for s in sources}
    return Utilisateur.objects.filter(pk=user.pk).values(**sous_requetes)


def _compter(user, sources: list[Source]) -> dict[str, int]:
    return _par_source(_requete_comptes(user, sources).first() or {}, sources)


def _par_source(valeurs: dict, sources: list[Source]) -> dict[str, int]:
    return {s.code: valeurs.get(_alias(s)) or 0 for s in sources}


def _alias(source: Source) -> str:
    return f"n_{source.code.replace('-', '_')}"


def _instant(echeance) -> datetime | None:
    """A calendar-day deadline ends with its Paris day; an instant stays as it is."""
    if echeance is None or isinstance(echeance, datetime):
        return echeance
    from qualite.echeances.moteur import fin_de_jour

    return fin_de_jour(echeance)


@dataclass(frozen=True)
class Ligne:
    source: Source
    element: Element
    echeance: datetime | None
    statut: str | None  # en_retard / du_aujourdhui / a_venir, by the deadline engine's rule

    @property
    def statut_libelle(self) -> str:
        from qualite.echeances.models import Echeance

        return Echeance.Statut(self.statut).label if self.statut else "Sans délai fixé"


def boite(user, maintenant: datetime | None = None) -> tuple[list[Ligne], list[dict]]:
    """The user's items, most urgent first (overdue, then by deadline; items without a deadline last), and
    each source with its count. One query per source for its rows, one for all counts."""
    from qualite.echeances.moteur import bornes_du_jour

    maintenant, _debut, demain = bornes_du_jour(maintenant)
    sources = sources_pour(user)
    comptes = compteurs(user, sources)
    lignes = []
    for source in sources:
        if not comptes.get(source.code):
            continue
        for row in source.requete(user)[:LIMITE_PAR_SOURCE]:
            element = source.element(row)
            instant = _instant(element.echeance)
            if instant is None:
                statut = None
            elif instant < maintenant:
                statut = "en_retard"
            elif instant < demain:
                statut = "du_aujourdhui"
            else:
                statut = "a_venir"
            lignes.append(Ligne(source, element, instant, statut))
    lignes.sort(key=lambda li: (li.echeance is None, li.echeance or maintenant, li.source.ordre))
    resume = [{"code": s.code, "libelle": s.libelle, "nombre": comptes.get(s.code, 0),
               "affiches": min(comptes.get(s.code, 0), LIMITE_PAR_SOURCE)} for s in sources]
    return lignes, resume


def total(user) -> int:
    return sum(compteurs(user).values())
