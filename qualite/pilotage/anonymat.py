"""The one small-count masking rule (docs/pilotage.md, « Anonymat des petits effectifs »).

Everything shown to the CDU and the user representatives — the anonymised annual report, the CDU
dashboard, the CDU annual report, the anonymised event statistics — goes through these functions:
tables, chart bars and labels, totals alike.

- A count of 1 or 2 is shown « < 3 » (0 stays 0: nobody to recognise).
- In a block whose total is published (categories of one pôle, établissements of one figure, months…),
  as soon as a cell is masked the masked cells must include one of at least 3, otherwise
  total − visible cells would give them back (one cell: its exact value; 1 + 1: both): the smallest
  visible non-zero cell is masked too (secondary suppression), shown « masqué ». When there is none
  (every non-zero cell is below 3), the total itself is masked (« < 3 » or « masqué »)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SEUIL = 3
MASQUE = f"< {SEUIL}"  # a masked count of 1 or 2
SECRET = "masqué"  # a count of 3 or more masked so that a « < 3 » cannot be recomputed


def petit(n: int | None) -> bool:
    """A count that would let a person be recognised: 1 or 2."""
    return n is not None and 0 < n < SEUIL


def est_masque(v) -> bool:
    return isinstance(v, str) and v in (MASQUE, SECRET)


def masquer(n: int, anonyme: bool = True):
    """A lone count, part of no published total."""
    return MASQUE if anonyme and petit(n) else n


@dataclass(frozen=True)
class Bloc:
    valeurs: list  # int, MASQUE or SECRET
    total: int | str  # likewise

    @property
    def masque(self) -> bool:
        return any(est_masque(v) for v in self.valeurs) or est_masque(self.total)


def masquer_bloc(valeurs: Sequence[int], *, anonyme: bool = True, total: int | None = None) -> Bloc:
    """Displayed values and total of a block of counts (total: their sum unless given)."""
    valeurs = list(valeurs)
    total = sum(valeurs) if total is None else total
    if not anonyme:
        return Bloc(valeurs, total)
    caches = {i for i, n in enumerate(valeurs) if petit(n)}
    total_cache = petit(total)
    if caches and all(petit(valeurs[i]) for i in caches):
        visibles = sorted((n, i) for i, n in enumerate(valeurs) if i not in caches and n > 0)
        if visibles:
            caches.add(visibles[0][1])
        else:
            total_cache = True
    def affiche(n: int, cache: bool):
        return (MASQUE if petit(n) else SECRET) if cache else n

    return Bloc([affiche(n, i in caches) for i, n in enumerate(valeurs)], affiche(total, total_cache))


def masquer_chiffres(chiffres: list[dict]) -> list[dict]:
    """Key figures (qualite/pilotage/selectors.chiffres_cles) as the CDU sees them, in place:
    per-établissement counts and their total as one block, last year's likewise, no evolution
    computed from a masked count, and the yearly series masked point by point."""
    for c in chiffres:
        annee = masquer_bloc([v["n"] for v in c["par_etablissement"]], total=c["total"])
        prec = masquer_bloc([v["precedent"] for v in c["par_etablissement"]], total=c["precedent"])
        for v, n, p in zip(c["par_etablissement"], annee.valeurs, prec.valeurs, strict=True):
            v["n"], v["precedent"] = n, p
        c["total"], c["precedent"] = annee.total, prec.total
        if est_masque(annee.total) or est_masque(prec.total):
            c["evolution"] = None
        serie = [(a, masquer(n)) for a, n in c.get("serie", [])]
        if serie:  # the last two points are this year's and last year's totals
            serie[-1] = (serie[-1][0], annee.total)
            if len(serie) > 1:
                serie[-2] = (serie[-2][0], prec.total)
        c["serie"] = serie
    return chiffres
