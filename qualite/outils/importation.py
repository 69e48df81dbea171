"""Import of a register from CSV / XLSX, and the column definition its export shares.

A register is an ordered list of columns; each column knows how to read a cell
(`lire`) and how to write one (`ecrire`), so an export re-imports unchanged.
Every error of the file is collected as (line as the user sees it, column,
message) before anything is written; the writing itself runs in one transaction
and is rolled back if a domain rule refuses a single row.

The domain apps declare their registers in their AppConfig.ready() through
`enregistrer()`: this module never imports them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from qualite.organisation import access, audit
from qualite.outils import lecture


class ErreurValeur(Exception):
    """A cell that cannot be read; the message is shown to the user as is."""


@dataclass(frozen=True)
class Erreur:
    ligne: int
    colonne: str
    message: str

    def __str__(self):
        if self.colonne:
            return f"ligne {self.ligne}, colonne « {self.colonne} » : {self.message}"
        return f"ligne {self.ligne} : {self.message}"


@dataclass
class Contexte:
    """What the parsers need to know about the importing user; caches lookups for the whole file."""

    utilisateur: Any
    cache: dict = field(default_factory=dict)

    @property
    def etablissements(self) -> dict[str, Any]:
        if "etablissements" not in self.cache:
            from qualite.organisation.models import Etablissement

            ids = access.etablissements_visibles(self.utilisateur)
            self.cache["etablissements"] = {_cle(e.nom): e for e in Etablissement.objects.filter(pk__in=ids)}
        return self.cache["etablissements"]

    def services(self, etablissement_id: int) -> dict[str, list]:
        cle = ("services", etablissement_id)
        if cle not in self.cache:
            from qualite.organisation.models import Service

            index: dict[str, list] = {}
            for s in Service.objects.filter(pole__etablissement_id=etablissement_id).select_related("pole"):
                index.setdefault(_cle(s.nom), []).append(s)
                if s.code and _cle(s.code) != _cle(s.nom):
                    index.setdefault(_cle(s.code), []).append(s)
            self.cache[cle] = index
        return self.cache[cle]

    def poles(self, etablissement_id: int) -> dict[str, Any]:
        cle = ("poles", etablissement_id)
        if cle not in self.cache:
            from qualite.organisation.models import Pole

            self.cache[cle] = {_cle(p.nom): p for p in Pole.objects.filter(etablissement_id=etablissement_id)}
        return self.cache[cle]


def _cle(texte: str) -> str:
    return " ".join(str(texte).split()).casefold()


# ---- columns ---------------------------------------------------------------------------------------

Lecteur = Callable[[Any, Contexte, dict], Any]


@dataclass(frozen=True)
class Colonne:
    """One column of a register. `lire` None: exported for information, ignored at import."""

    nom: str
    champ: str
    lire: Lecteur | None
    ecrire: Callable[[Any], Any]
    obligatoire: bool = False
    obtenir: Callable[[Any], Any] | None = None  # value of the record; default getattr(objet, champ)
    vide: Any = None  # value of an empty cell

    def valeur(self, objet):
        return self.obtenir(objet) if self.obtenir else getattr(objet, self.champ)

    def cellule(self, objet):
        return self.ecrire(self.valeur(objet))


def _vide(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _texte_ecrire(v):
    return "" if v is None else str(v)


def texte(nom, champ, *, obligatoire=False, longueur: int | None = None, **kw) -> Colonne:
    def lire(v, ctx, ligne):
        s = str(v).strip() if not isinstance(v, float) or not v.is_integer() else str(int(v))
        if longueur and len(s) > longueur:
            raise ErreurValeur(f"{longueur} caractères au plus ({len(s)} saisis).")
        return s

    return Colonne(nom, champ, lire, _texte_ecrire, obligatoire, vide="", **kw)


def _date_ecrire(v):
    return v.strftime("%d/%m/%Y") if v else ""


def _lire_date(v) -> date:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            pass
    raise ErreurValeur(f"date invalide « {s} » (attendu : jj/mm/aaaa ou aaaa-mm-jj).")


def date_(nom, champ, *, obligatoire=False, **kw) -> Colonne:
    return Colonne(nom, champ, lambda v, ctx, ligne: _lire_date(v), _date_ecrire, obligatoire, **kw)


def _datetime_ecrire(v):
    return timezone.localtime(v).strftime("%d/%m/%Y %H:%M") if v else ""


def _lire_datetime(v) -> datetime:
    if isinstance(v, datetime):
        return timezone.make_aware(v) if timezone.is_naive(v) else v
    if isinstance(v, date):
        return timezone.make_aware(datetime.combine(v, time.min))
    s = str(v).strip()
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S",
                "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return timezone.make_aware(datetime.strptime(s, fmt))
        except ValueError:
            pass
    raise ErreurValeur(f"date et heure invalides « {s} » (attendu : jj/mm/aaaa hh:mm).")


def date_heure(nom, champ, *, obligatoire=False, **kw) -> Colonne:
    return Colonne(nom, champ, lambda v, ctx, ligne: _lire_datetime(v), _datetime_ecrire, obligatoire, **kw)


def entier(nom, champ, *, obligatoire=False, mini: int | None = None, maxi: int | None = None, **kw) -> Colonne:
    def lire(v, ctx, ligne):
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        try:
            n = int(str(v).strip())
        except ValueError:
            raise ErreurValeur(f"nombre entier attendu, « {v} » reçu.") from None
        if (mini is not None and n < mini) or (maxi is not None and n > maxi):
            raise ErreurValeur(f"valeur hors bornes ({mini} à {maxi}) : {n}.")
        return n

    return Colonne(nom, champ, lire, lambda v: "" if v is None else v, obligatoire, **kw)


def decimal_(nom, champ, *, obligatoire=False, **kw) -> Colonne:
    def lire(v, ctx, ligne):
        try:
            d = Decimal(str(v).strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise ErreurValeur(f"nombre attendu, « {v} » reçu.") from None
        if d < 0:
            raise ErreurValeur("le montant ne peut pas être négatif.")
        return d.quantize(Decimal("0.01"))

    return Colonne(nom, champ, lire, lambda v: "" if v is None else f"{v:.2f}".replace(".", ","), obligatoire, **kw)


def _lire_booleen(v) -> bool:
    if isinstance(v, bool):
        return v
    s = _cle(v)
    if s in ("oui", "o", "vrai", "1", "x", "true", "yes"):
        return True
    if s in ("non", "n", "faux", "0", "false", "no"):
        return False
    raise ErreurValeur(f"« oui » ou « non » attendu, « {v} » reçu.")


def booleen(nom, champ, *, obligatoire=False, nullable=False, **kw) -> Colonne:
    """Empty cell: False, or None (unknown) for a nullable field."""
    return Colonne(nom, champ, lambda v, ctx, ligne: _lire_booleen(v),
                   lambda v: "" if v is None else ("oui" if v else "non"), obligatoire, vide=None if nullable else False,
                   **kw)


def _index_choix(choices) -> dict[str, Any]:
    index = {}
    for valeur, libelle in choices:
        index[_cle(libelle)] = valeur
        index[_cle(valeur)] = valeur
    return index


def _lire_choix(v, index, choices):
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    trouve = index.get(_cle(v), None)
    if trouve is None:
        permis = ", ".join(f"« {libelle} »" for valeur, libelle in choices if valeur != "")
        raise ErreurValeur(f"valeur inconnue « {v} » (valeurs permises : {permis}).")
    return trouve


def choix(nom, champ, choices, *, obligatoire=False, **kw) -> Colonne:
    """By label or by code; written back as the label."""
    index, libelles = _index_choix(choices), dict(choices)
    vide = kw.pop("vide", "" if "" in libelles else None)
    return Colonne(nom, champ, lambda v, ctx, ligne: _lire_choix(v, index, choices),
                   lambda v: libelles.get(v, v) if v not in (None, "") else "", obligatoire, vide=vide, **kw)


SEPARATEUR = "|"


def choix_multiples(nom, champ, choices, *, obligatoire=False, **kw) -> Colonne:
    """Several values separated by « | » (labels may contain commas)."""
    index, libelles = _index_choix(choices), dict(choices)

    def lire(v, ctx, ligne):
        valeurs = [_lire_choix(p.strip(), index, choices) for p in str(v).split(SEPARATEUR) if p.strip()]
        return list(dict.fromkeys(valeurs))

    return Colonne(nom, champ, lire, lambda v: f" {SEPARATEUR} ".join(libelles.get(x, x) for x in v or []),
                   obligatoire, vide=[], **kw)


def etablissement(nom="Établissement", champ="etablissement", **kw) -> Colonne:
    def lire(v, ctx, ligne):
        etab = ctx.etablissements.get(_cle(v))
        if etab is None:
            raise ErreurValeur(f"établissement inconnu ou hors de votre périmètre : « {v} ».")
        return etab

    return Colonne(nom, champ, lire, lambda e: e.nom if e else "", True, **kw)


def _un_service(v, ctx, etab):
    trouves = ctx.services(etab.pk).get(_cle(v), [])
    if not trouves:
        raise ErreurValeur(f"service inconnu dans l'établissement « {etab.nom} » : « {v} ».")
    if len(trouves) > 1:
        raise ErreurValeur(f"plusieurs services s'appellent « {v} » : indiquez le code de l'unité fonctionnelle.")
    return trouves[0]


def service(nom="Service", champ="service", *, obligatoire=True, champ_etablissement="etablissement", **kw) -> Colonne:
    """A service of the row's établissement (read in an earlier column)."""

    def lire(v, ctx, ligne):
        etab = ligne.get(champ_etablissement)
        if etab is None:
            raise ErreurValeur("indiquez d'abord un établissement valide.")
        return _un_service(v, ctx, etab)

    return Colonne(nom, champ, lire, lambda s: s.nom if s else "", obligatoire, **kw)


def services_multiples(nom="Services", champ="services", *, champ_etablissement="etablissement", **kw) -> Colonne:
    def lire(v, ctx, ligne):
        etab = ligne.get(champ_etablissement)
        if etab is None:
            raise ErreurValeur("indiquez d'abord un établissement valide.")
        return [_un_service(p.strip(), ctx, etab) for p in str(v).split(SEPARATEUR) if p.strip()]

    return Colonne(nom, champ, lire, lambda ss: f" {SEPARATEUR} ".join(s.nom for s in ss or []), False, vide=[], **kw)


def pole(nom="Pôle", champ="pole", *, champ_etablissement="etablissement", **kw) -> Colonne:
    def lire(v, ctx, ligne):
        etab = ligne.get(champ_etablissement)
        if etab is None:
            raise ErreurValeur("indiquez d'abord un établissement valide.")
        p = ctx.poles(etab.pk).get(_cle(v))
        if p is None:
            raise ErreurValeur(f"pôle inconnu dans l'établissement « {etab.nom} » : « {v} ».")
        return p

    return Colonne(nom, champ, lire, lambda p: p.nom if p else "", False, **kw)


def reference(nom="Référence", champ="reference", **kw) -> Colonne:
    return texte(nom, champ, longueur=20, **kw)


def informative(nom, obtenir: Callable[[Any], Any], ecrire: Callable[[Any], Any] = _texte_ecrire) -> Colonne:
    """Exported for the reader; accepted and ignored at import (derived from other columns)."""
    return Colonne(nom, "", None, ecrire, False, obtenir=obtenir)


# ---- registers -------------------------------------------------------------------------------------

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

    @property
    def noms(self) -> list[str]:
        return [c.nom for c in self.colonnes]

    def peut_importer(self, user) -> bool:
        return access.has_perm(user, "import.registres") and access.has_perm(user, self.permission)

    def lignes_export(self, qs) -> Iterable[list]:
        for objet in self.charger(qs).iterator(chunk_size=2000):
            yield [c.cellule(objet) for c in self.colonnes]


REGISTRES: dict[str, Registre] = {}


def enregistrer(registre: Registre) -> None:
    REGISTRES[registre.code] = registre


def registres_pour(user) -> list[Registre]:
    return [r for r in REGISTRES.values() if r.peut_importer(user)]


# ---- reading the file -------------------------------------------------------------------------------

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
    if not any(_vide(v) is False for v in entete):
        erreurs.append(Erreur(1, "", "le fichier est vide : la première ligne doit porter les noms de colonnes."))
        return {}
    par_nom = {_cle(c.nom): c for c in registre.colonnes}
    positions: dict[str, int] = {}
    for i, nom in enumerate(_cle(v) for v in entete):
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
        if all(_vide(v) for v in brute):
            continue
        if len(brute) > len(entete) and any(not _vide(v) for v in brute[len(entete):]):
            erreurs.append(Erreur(n, "", "plus de valeurs que de colonnes (vérifiez le séparateur et les guillemets)."))
            continue
        valeurs: dict = {}
        for c in presentes:
            i = positions[c.nom]
            v = brute[i] if i < len(brute) else ""
            if _vide(v):
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
        if op.existant is not None and op.existant.etablissement_id not in etabs:
            analyse.erreurs.append(Erreur(op.ligne, "Référence", "enregistrement hors de votre périmètre."))
            continue
        if op.existant is not None:
            changees = [c for c in analyse.colonnes_presentes if c.champ != "reference"
                        and c.champ in op.valeurs and c.ecrire(op.valeurs[c.champ]) != c.cellule(op.existant)]
            op.modifies = [c.champ for c in changees]
            op.colonnes_modifiees = [c.nom for c in changees]


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
