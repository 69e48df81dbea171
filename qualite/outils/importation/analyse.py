"""Reading a whole file against a register: every error collected (line as the user sees it, column, message)
and every row matched to its record, before anything is written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from qualite.organisation import access
from qualite.outils.importation import lecture
from qualite.outils.importation.colonnes import Colonne, Contexte, Erreur, ErreurValeur, cle_entete, est_vide
from qualite.outils.importation.registres import Operation, Registre


@dataclass
class Analyse:
    registre: Registre
    nom_fichier: str
    erreurs: list[Erreur] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    colonnes_presentes: list[Colonne] = field(default_factory=list)

    @property
    def valide(self) -> bool:
        return not self.erreurs

    def compte(self, nature: str) -> int:
        return sum(1 for o in self.operations if o.nature == nature)


def analyser(registre: Registre, contenu, *, utilisateur, nom_fichier: str = "",
             limites: lecture.Limites | None = None) -> Analyse:
    """Read and check every row; touches nothing. Every error, not the first one.
    `contenu`: bytes or a binary file. Raises lecture.FichierRefuse for a file refused as a whole
    (too long, too wide, zip bomb, too slow to read): no row of it is worth reporting."""
    analyse, ctx = Analyse(registre, nom_fichier), Contexte(utilisateur)
    flux = lecture.lignes(contenu, nom_fichier, limites)
    try:
        _, entete = next(flux, (1, []))
        positions = _positions(analyse, entete)
        if analyse.erreurs:
            return analyse
        _lire_lignes(analyse, ctx, flux, entete, positions)
    except lecture.FichierIllisible as exc:
        analyse.erreurs.append(Erreur(exc.ligne, "", str(exc)))
        analyse.operations.clear()
        return analyse
    finally:
        flux.close()
    _rapprocher(analyse, ctx)
    return analyse


def _positions(analyse: Analyse, entete: list) -> dict[str, int]:
    """Column name -> index in the file; errors for an empty, unknown, duplicated or missing column."""
    erreurs, registre = analyse.erreurs, analyse.registre
    if not any(est_vide(v) is False for v in entete):
        erreurs.append(Erreur(1, "", "le fichier est vide : la première ligne doit porter les noms de colonnes."))
        return {}
    par_nom = {cle_entete(c.nom): c for c in registre.colonnes}
    positions: dict[str, int] = {}
    for i, nom in enumerate(cle_entete(v) for v in entete):
        if not nom:
            continue
        colonne = par_nom.get(nom)
        if colonne is None:
            erreurs.append(Erreur(1, str(entete[i]).strip(), "colonne inconnue (voir la documentation du registre)."))
        elif colonne.nom in positions:
            erreurs.append(Erreur(1, colonne.nom, "colonne en double."))
        else:
            positions[colonne.nom] = i
    for c in registre.colonnes:
        if c.nom not in positions and (c.obligatoire or c.nom == "Référence"):
            erreurs.append(Erreur(1, c.nom, "colonne manquante."))
    return positions


def _lire_lignes(analyse: Analyse, ctx: Contexte, flux: Iterator[tuple[int, list]], entete: list,
                 positions: dict[str, int]) -> None:
    erreurs = analyse.erreurs
    presentes = [c for c in analyse.registre.colonnes if c.nom in positions and c.lire is not None]
    analyse.colonnes_presentes = presentes
    vues: dict[str, int] = {}
    for n, brute in flux:
        if all(est_vide(v) for v in brute):
            continue
        if len(brute) > len(entete) and any(not est_vide(v) for v in brute[len(entete):]):
            erreurs.append(Erreur(n, "", "plus de valeurs que de colonnes (vérifiez le séparateur et les guillemets)."))
            continue
        valeurs: dict = {}
        for c in presentes:
            i = positions[c.nom]
            v = brute[i] if i < len(brute) else ""
            if est_vide(v):
                if c.obligatoire:
                    erreurs.append(Erreur(n, c.nom, "valeur obligatoire."))
                valeurs[c.champ] = c.vide
                continue
            try:
                valeurs[c.champ] = c.lire(v, ctx, valeurs)
            except ErreurValeur as exc:
                erreurs.append(Erreur(n, c.nom, str(exc)))
                valeurs[c.champ] = None
        ref = valeurs.pop("reference", None) or ""
        if ref:
            if ref in vues:
                erreurs.append(Erreur(n, "Référence", f"référence en double dans le fichier (déjà ligne {vues[ref]})."))
                continue
            vues[ref] = n
        analyse.operations.append(Operation(n, valeurs, ref))


def _rapprocher(analyse: Analyse, ctx: Contexte) -> None:
    """Match each row's Référence to a record of the user's scope: update it, or create a new record."""
    registre = analyse.registre
    cles = {}
    for op in analyse.operations:
        if op.reference:
            try:
                cles[op.reference] = registre.de_cle(op.reference)
            except ValueError:
                cles[op.reference] = None
    valides = [k for k in cles.values() if k is not None]
    existants = {}
    for lot in range(0, len(valides), 5000):
        qs = registre.charger(registre.existants(ctx.utilisateur).filter(**{f"{registre.cle}__in": valides[lot:lot + 5000]}))
        existants.update({getattr(o, registre.cle): o for o in qs})
    hors_perimetre = set()
    manquantes = [k for k in valides if k not in existants]
    for lot in range(0, len(manquantes), 5000):
        hors_perimetre |= set(registre.tous().filter(**{f"{registre.cle}__in": manquantes[lot:lot + 5000]})
                              .values_list(registre.cle, flat=True))
    etabs = access.etablissements_visibles(ctx.utilisateur)
    for op in analyse.operations:
        cle = cles.get(op.reference)
        if op.reference:
            if cle in existants:
                op.existant = existants[cle]
            elif cle in hors_perimetre:
                analyse.erreurs.append(Erreur(op.ligne, "Référence", "référence déjà utilisée par un enregistrement "
                                                                     "hors de votre périmètre."))
                continue
            elif not registre.prefixe or not re.fullmatch(rf"{registre.prefixe}-\d{{4}}-\d{{5}}", op.reference):
                attendu = (f"format attendu {registre.prefixe}-AAAA-NNNNN" if registre.prefixe
                           else "laissez la cellule vide pour créer un enregistrement")
                analyse.erreurs.append(Erreur(op.ligne, "Référence", f"référence inconnue « {op.reference} » ({attendu})."))
                continue
        # Shared definitions (indicators) belong to no établissement: `existants` alone scopes them.
        if op.existant is not None and hasattr(op.existant, "etablissement_id") and op.existant.etablissement_id not in etabs:
            analyse.erreurs.append(Erreur(op.ligne, "Référence", "enregistrement hors de votre périmètre."))
            continue
        if op.existant is not None:
            changees = [c for c in analyse.colonnes_presentes if c.champ != "reference"
                        and c.champ in op.valeurs and c.ecrire(op.valeurs[c.champ]) != c.cellule(op.existant)]
            op.modifies = [c.champ for c in changees]
            op.colonnes_modifiees = [c.nom for c in changees]
