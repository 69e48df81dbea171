"""The delays of the deadline rules, read from the rule table (RegleEcheance), the single source.

Each module declares its rules with the law's values in its `referentiels.py` (LEGAUX below is filled from
there at import). A recomputation loads the delays it needs once (`charger`) and hands them to the pure
functions, which never read the database: a rule edited by the administrator takes effect at the next
recomputation, and tests hand the law's values (or others) directly."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta


class Decompte:
    """How a rule counts its delay: shown with the rule, checked when an administrator edits it."""

    HEURES = "heures"  # elapsed hours from an instant (UTC arithmetic)
    JOURS = "jours"  # calendar days at Paris, the starting day being day 0, due at midnight
    JOURS_FRANCS = "jours_francs"  # neither the starting day nor the last day counts
    MOIS = "mois"  # same day-number N months later, clamped to the month's end, due at midnight
    DATE = "date"  # a date set on the record itself (a PAQSS action's due date)

    CHOIX = [
        (HEURES, "heures écoulées"),
        (JOURS, "jours calendaires (jour 0 = départ, fin à minuit)"),
        (JOURS_FRANCS, "jours francs (ni le jour de départ ni le dernier jour)"),
        (MOIS, "mois (même quantième, fin de mois sinon)"),
        (DATE, "date fixée sur le dossier"),
    ]


@dataclass(frozen=True)
class Delai:
    duree: timedelta | None = None  # hours or days, by the rule's count
    mois: int | None = None  # months (negative: before the starting date)
    paliers: tuple[int, ...] = ()  # successive periods in months, the last one repeated

    @property
    def jours(self) -> int:
        return self.duree.days if self.duree is not None else 0

    def palier(self, rang: int) -> int:
        """The length in months of the `rang`-th period (1-based), the last one repeating."""
        return self.paliers[min(rang, len(self.paliers)) - 1]


# The law's values of every rule, by code: filled by each module's referentiels.py at import.
LEGAUX: dict[str, Delai] = {}


def declarer(code: str, delai: Delai) -> Delai:
    LEGAUX[code] = delai
    return delai


def texte(delai: Delai, decompte: str = "") -> str:
    """A delay as the rule pages and deadlines show it: « 24 h », « 168 h », « 8 jours », « 6 mois − 15 jours »,
    « 1, 3 puis 6 mois », « 3 mois avant ». Hour-based rules always read in hours."""
    parties = []
    if delai.paliers:
        tete, dernier = delai.paliers[:-1], delai.paliers[-1]
        parties.append(f"{', '.join(map(str, tete))} puis {dernier} mois" if tete else f"{dernier} mois")
    if delai.mois:
        parties.append(f"{delai.mois} mois" if delai.mois > 0 else f"{-delai.mois} mois avant")
    if delai.duree:
        secondes = int(delai.duree.total_seconds())
        signe, secondes = ("− " if secondes < 0 else ""), abs(secondes)
        if secondes % 86400 == 0 and decompte != Decompte.HEURES:
            n = secondes // 86400
            parties.append(f"{signe}{n} jour{'s' if n > 1 else ''}")
        else:
            h, m = divmod(secondes // 60, 60)
            parties.append(f"{signe}{h} h" + (f" {m:02d}" if m else ""))
    return " ".join(parties) or "—"


def de_regle(regle) -> Delai:
    """The delay a rule row sets, the law's value standing in for an empty field."""
    legal = LEGAUX.get(regle.code, Delai())
    return Delai(
        duree=regle.delai if regle.delai is not None else legal.duree,
        mois=regle.delai_mois if regle.delai_mois is not None else legal.mois,
        paliers=tuple(regle.paliers_mois) or legal.paliers,
    )


def charger(codes: Iterable[str]) -> dict[str, Delai]:
    """The delays of these rules as the table holds them now (one query); the law's value for a rule the
    table does not hold yet (before the first migrate)."""
    from qualite.echeances.models import RegleEcheance

    codes = list(codes)
    delais = {code: LEGAUX.get(code, Delai()) for code in codes}
    for regle in RegleEcheance.objects.filter(code__in=codes):
        delais[regle.code] = de_regle(regle)
    return delais
