"""Where a meeting's agenda comes from. Each domain registers its source in its AppConfig.ready()
(`enregistrer(Source(code, libelle, fonction))`): the core never imports the domains.

A source's function is called as `fonction(user=..., espace=..., du=..., au=...)` and returns `Point`s: the
records of the space's services between the previous meeting (`du`, included) and this one (`au`, included),
read through the register's own access rule for `user`, and already anonymised (no patient, no declarant,
no complainant: summaries staff marked as anonymous only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Point:
    reference: str  # stable within the source: the same record is never listed twice on one agenda
    titre: str
    resume: str = ""


@dataclass(frozen=True)
class Source:
    code: str
    libelle: str
    fonction: Callable[..., list[Point]]
    ordre: int = 100


@dataclass(frozen=True)
class Indicateurs:
    """The year's indicators of a space for its annual review: `fonction(user=..., espace=..., annee=...)`
    returns dicts (libelle, unite, cible, moyenne, mesures, atteinte)."""

    code: str
    fonction: Callable[..., list[dict]]


SOURCES: dict[str, Source] = {}
INDICATEURS: dict[str, Indicateurs] = {}
LIBRE = "libre"  # a point the binôme adds by hand


def enregistrer(source: Source) -> None:
    SOURCES[source.code] = source


def enregistrer_indicateurs(indicateurs: Indicateurs) -> None:
    INDICATEURS[indicateurs.code] = indicateurs


def libelle(code: str) -> str:
    if code == LIBRE:
        return "Point ajouté par le binôme"
    source = SOURCES.get(code)
    return source.libelle if source else "—"


def dans_l_ordre() -> list[Source]:
    return sorted(SOURCES.values(), key=lambda s: (s.ordre, s.code))
