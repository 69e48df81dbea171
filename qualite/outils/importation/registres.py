"""Registers: an ordered list of columns plus how a row is found and written; filled by the domain apps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from qualite.organisation import access
from qualite.outils.importation.colonnes import Colonne, reference


@dataclass
class Operation:
    ligne: int
    valeurs: dict  # champ -> value, for the columns present in the file
    reference: str
    existant: Any = None
    modifies: list[str] = field(default_factory=list)  # model fields
    colonnes_modifiees: list[str] = field(default_factory=list)  # their column names, for the preview
    reference_attribuee: str = ""  # number taken for a new record without one, at writing time

    @property
    def reference_finale(self) -> str:
        return self.reference or self.reference_attribuee

    @property
    def nature(self) -> str:
        if self.existant is None:
            return "création"
        return "modification" if self.modifies else "inchangée"


@dataclass
class Registre:
    """`existants(user)`: the user's records of this register (scoped queryset); `tous()`: every record,
    to refuse a reference used out of scope. `creer` / `modifier` call the domain services, which must be
    atomic (@transaction.atomic): a row they refuse is rolled back alone and the next rows are still checked."""

    code: str
    libelle: str
    permission: str
    colonnes: list[Colonne]
    existants: Callable[[Any], Any]
    tous: Callable[[], Any]
    creer: Callable[..., Any]
    modifier: Callable[..., Any]
    cle: str = "reference"  # model field the Référence column matches
    de_cle: Callable[[str], Any] = staticmethod(lambda r: r)
    charger: Callable[[Any], Any] = staticmethod(lambda qs: qs)  # select_related / prefetch for export and diff
    # PREFIXE-AAAA-NNNNN references numbered by Compteur, taken in bulk for the file; a new record may keep
    # the file's reference if it has that form. "" : the register has no reference of its own.
    prefixe: str = ""
    annee: Callable[[dict], int] | None = None  # the numbering year of a new row
    doc: str = ""
    # Bulk creation through the same rules: (operations, par=) -> for each operation, in order, the record
    # created or the ValidationError that refused it. None: the import calls `creer` row by row.
    creer_en_lot: Callable[..., list] | None = None
    # Export straight from a values() query: (queryset) -> rows of cells, in the order of `colonnes`.
    lignes_sql: Callable[[Any], Iterable[Iterable]] | None = None

    @property
    def noms(self) -> list[str]:
        return [c.nom for c in self.colonnes]

    def peut_importer(self, user) -> bool:
        return access.has_perm(user, "import.registres") and access.has_perm(user, self.permission)

    def lignes_export(self, qs) -> Iterable[list]:
        if self.lignes_sql is not None:
            yield from self.lignes_sql(qs)
            return
        for objet in self.charger(qs).iterator(chunk_size=2000):
            yield [c.cellule(objet) for c in self.colonnes]


REGISTRES: dict[str, Registre] = {}


def enregistrer(registre: Registre) -> None:
    REGISTRES[registre.code] = registre


def registres_pour(user) -> list[Registre]:
    return [r for r in REGISTRES.values() if r.peut_importer(user)]


def numeroter(registre: Registre, operations: list[Operation]) -> None:
    """References of the new rows, by year: kept ones move the counter past them, missing ones are taken
    as one block. Per-row counter updates in one long transaction slow down quadratically in PostgreSQL."""
    from qualite.organisation.models import Compteur

    par_annee: dict[int, list[Operation]] = {}
    gardees: dict[int, int] = {}
    for op in operations:
        if op.existant is not None:
            continue
        if op.reference:
            _, annee, numero = op.reference.rsplit("-", 2)
            gardees[int(annee)] = max(gardees.get(int(annee), 0), int(numero))
        else:
            par_annee.setdefault(registre.annee(op.valeurs), []).append(op)
    for annee in sorted(set(par_annee) | set(gardees)):
        nouvelles = par_annee.get(annee, [])
        premier = Compteur.reserver(registre.prefixe, annee, nombre=len(nouvelles), au_moins=gardees.get(annee, 0))
        for i, op in enumerate(nouvelles):
            op.reference_attribuee = f"{registre.prefixe}-{annee}-{premier + i:05d}"


def champs_modifies(op: Operation) -> dict:
    """The imported values that differ from the record (all of them on create)."""
    if op.existant is None:
        return dict(op.valeurs)
    return {k: op.valeurs[k] for k in op.modifies}


def cle_numerotee(prefixe: str) -> Callable[[str], int]:
    """« PREFIXE<n°> » → n°, for registers whose records have no reference field (ACT-12, CDU-3, ISO-40…);
    anything else raises ValueError, which the framework reports as an unknown reference."""

    def lire(reference: str) -> int:
        numero = reference.strip().upper().removeprefix(prefixe)
        if not reference.strip().upper().startswith(prefixe) or not numero.isdigit():
            raise ValueError(reference)
        return int(numero)

    return lire


def reference_numerotee(prefixe: str) -> Colonne:
    return reference(obtenir=lambda objet: f"{prefixe}{objet.pk}")
