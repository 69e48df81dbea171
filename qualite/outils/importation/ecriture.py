"""Writing an analysed file: one transaction, rolled back if a domain rule refuses a single row."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

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


def ecrire(analyse: Analyse, *, utilisateur, request=None, essai: bool = False) -> Bilan:
    """Write every row in one transaction through the domain services; all or nothing.
    `essai`: run the domain rules too, then roll back (dry run, preview)."""
    if not analyse.valide:
        return Bilan(erreurs=list(analyse.erreurs))
    registre, bilan = analyse.registre, Bilan()
    details = {"import": analyse.nom_fichier or "(sans nom)"}
    try:
        with transaction.atomic():
            if registre.prefixe:
                numeroter(registre, analyse.operations)
            for op in analyse.operations:
                if op.nature == "inchangée":
                    bilan.inchanges += 1
                    continue
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
            if bilan.erreurs or essai:
                raise _Annuler
    except _Annuler:
        pass
    return bilan
