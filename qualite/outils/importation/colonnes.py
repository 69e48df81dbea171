"""Columns of a register: how a cell is read (`lire`) and written (`ecrire`), so an export re-imports unchanged."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from qualite.organisation import access


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
            self.cache["etablissements"] = {cle_entete(e.nom): e for e in Etablissement.objects.filter(pk__in=ids)}
        return self.cache["etablissements"]

    def services(self, etablissement_id: int) -> dict[str, list]:
        cle = ("services", etablissement_id)
        if cle not in self.cache:
            from qualite.organisation.models import Service

            index: dict[str, list] = {}
            for s in Service.objects.filter(pole__etablissement_id=etablissement_id).select_related("pole"):
                index.setdefault(cle_entete(s.nom), []).append(s)
                if s.code and cle_entete(s.code) != cle_entete(s.nom):
                    index.setdefault(cle_entete(s.code), []).append(s)
            self.cache[cle] = index
        return self.cache[cle]

    def poles(self, etablissement_id: int) -> dict[str, Any]:
        cle = ("poles", etablissement_id)
        if cle not in self.cache:
            from qualite.organisation.models import Pole

            self.cache[cle] = {cle_entete(p.nom): p for p in Pole.objects.filter(etablissement_id=etablissement_id)}
        return self.cache[cle]


def cle_entete(texte: str) -> str:
    return " ".join(str(texte).split()).casefold()


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


def est_vide(v) -> bool:
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


def ecrire_date_heure(v):
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
    return Colonne(nom, champ, lambda v, ctx, ligne: _lire_datetime(v), ecrire_date_heure, obligatoire, **kw)


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
    s = cle_entete(v)
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
        index[cle_entete(libelle)] = valeur
        index[cle_entete(valeur)] = valeur
    return index


def _lire_choix(v, index, choices):
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    trouve = index.get(cle_entete(v), None)
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
        etab = ctx.etablissements.get(cle_entete(v))
        if etab is None:
            raise ErreurValeur(f"établissement inconnu ou hors de votre périmètre : « {v} ».")
        return etab

    return Colonne(nom, champ, lire, lambda e: e.nom if e else "", True, **kw)


def _un_service(v, ctx, etab):
    trouves = ctx.services(etab.pk).get(cle_entete(v), [])
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
        p = ctx.poles(etab.pk).get(cle_entete(v))
        if p is None:
            raise ErreurValeur(f"pôle inconnu dans l'établissement « {etab.nom} » : « {v} ».")
        return p

    return Colonne(nom, champ, lire, lambda p: p.nom if p else "", False, **kw)


def reference(nom="Référence", champ="reference", **kw) -> Colonne:
    return texte(nom, champ, longueur=20, **kw)


def informative(nom, obtenir: Callable[[Any], Any], ecrire: Callable[[Any], Any] = _texte_ecrire) -> Colonne:
    """Exported for the reader; accepted and ignored at import (derived from other columns)."""
    return Colonne(nom, "", None, ecrire, False, obtenir=obtenir)
