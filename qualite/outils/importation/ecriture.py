"""Writing an analysed file: one transaction, rolled back if a domain rule refuses a single row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pghistory
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from qualite.organisation import audit
from qualite.outils.importation.analyse import Analyse
from qualite.outils.importation.colonnes import Erreur
from qualite.outils.importation.registres import Registre, numeroter


class _Annuler(Exception):
    pass


def _erreurs_validation(exc: ValidationError, registre: Registre, ligne: int) -> list[Erreur]:
    noms = {c.champ: c.nom for c in registre.colonnes if c.champ}
    if hasattr(exc, "error_dict"):
        return [Erreur(ligne, noms.get(champ, ""), " ".join(ValidationError(msgs).messages))
                for champ, msgs in exc.error_dict.items()]
    return [Erreur(ligne, "", " ".join(exc.messages))]


@dataclass
class Bilan:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    erreurs: list[Erreur] = field(default_factory=list)


LOT = 2000  # rows per bulk statement: large enough to amortise, small enough to keep memory flat


def ecrire(analyse: Analyse, *, utilisateur, request=None, essai: bool = False, en_lot: bool = True,
           avancer: Callable[[int, int], None] | None = None) -> Bilan:
    """Write every row in one transaction through the domain rules; all or nothing.
    `essai`: run the domain rules too, then roll back (dry run, preview).
    `en_lot`: new rows go through the register's `creer_en_lot` (same rules, by batches of LOT) when it has
    one; False writes row by row (the reference a test compares the bulk path with).
    `avancer(faites, total)`: called after each batch, for a progress display."""
    if not analyse.valide:
        return Bilan(erreurs=list(analyse.erreurs))
    registre, bilan = analyse.registre, Bilan()
    details = {"import": analyse.nom_fichier or "(sans nom)"}
    en_lot = en_lot and registre.creer_en_lot is not None
    total = sum(1 for op in analyse.operations if op.nature != "inchangée")
    faites = 0
    try:
        with transaction.atomic(), pghistory.context(importation=details["import"],
                                                     utilisateur=getattr(utilisateur, "pk", None)):
            # Deferred foreign-key checks would queue one event per row until the commit; checked at once,
            # each statement leaves nothing behind (and a bad key is reported by its batch).
            with connection.cursor() as curseur:
                curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if registre.prefixe:
                numeroter(registre, analyse.operations)
            creations = []
            for op in analyse.operations:
                if op.nature == "inchangée":
                    bilan.inchanges += 1
                    continue
                if en_lot and op.existant is None:
                    creations.append(op)
                    continue
                _ecrire_ligne(registre, op, bilan, utilisateur, request, details)
                faites += 1
                if avancer and faites % 500 == 0:
                    avancer(faites, total)
            for debut in range(0, len(creations), LOT):
                _ecrire_lot(registre, creations[debut:debut + LOT], bilan, utilisateur, request, details)
                faites += len(creations[debut:debut + LOT])
                if avancer:
                    avancer(faites, total)
            if bilan.erreurs or essai:
                raise _Annuler
    except _Annuler:
        pass
    return bilan


def _ecrire_ligne(registre: Registre, op, bilan: Bilan, utilisateur, request, details: dict) -> None:
    # The domain services are atomic: each row is its own savepoint, so a refused row leaves the
    # transaction usable and the next rows are still checked (every error is reported).
    try:
        if op.existant is None:
            objet = registre.creer(op=op, par=utilisateur)
            action = audit.Action.CREATION
            bilan.crees += 1
        else:
            objet = registre.modifier(op=op, par=utilisateur)
            action = audit.Action.MODIFICATION
            bilan.modifies += 1
        audit.tracer(request, action, objet, utilisateur=utilisateur, details=details)
    except ValidationError as exc:
        bilan.erreurs.extend(_erreurs_validation(exc, registre, op.ligne))
    except DatabaseError as exc:
        bilan.erreurs.append(Erreur(op.ligne, "", f"refusé par la base de données ({exc.__class__.__name__})."))


def _ecrire_lot(registre: Registre, operations: list, bilan: Bilan, utilisateur, request, details: dict) -> None:
    """One batch of new rows; a batch the database refuses is replayed row by row to name the line."""
    try:
        with transaction.atomic():
            resultats = registre.creer_en_lot(operations, par=utilisateur)
    except DatabaseError:
        for op in operations:
            _ecrire_ligne(registre, op, bilan, utilisateur, request, details)
        return
    objets = []
    for op, resultat in zip(operations, resultats, strict=True):
        if isinstance(resultat, ValidationError):
            bilan.erreurs.extend(_erreurs_validation(resultat, registre, op.ligne))
        else:
            objets.append(resultat)
    bilan.crees += len(objets)
    if not bilan.erreurs:  # an error rolls everything back: no need to write the trail of this batch
        audit.tracer_en_lot(request, audit.Action.CREATION, objets, utilisateur=utilisateur, details=details)
