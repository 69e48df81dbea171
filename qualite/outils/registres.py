"""A version number per register, for caches whose key must change when the register does.

Each register is declared once (AppConfig.ready) with `suivre(Modele)`: every save or delete of
one of its rows bumps the number, once at once (the writing request itself sees it) and again
after the commit (a reader that cached the old rows in between is not served them afterwards).
Writes that bypass the ORM's signals (bulk_create, update(), COPY) call `modifie(Modele)`.
The number lives in the cache and only grows, so no two states ever share it; a lost cache
restarts it at a fresh random value. Cached values also expire after DUREE seconds."""

from __future__ import annotations

import hashlib
import secrets

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from redis.exceptions import RedisError

DUREE = 600
# Redis out of reach: pages compute without the cache, and a write never fails because of it.
INDISPONIBLE = (RedisError, OSError)
_SUIVIS: set[str] = set()


def _cle(modele: type[Model]) -> str:
    return f"registre:{modele._meta.label_lower}:version"


def version(modele: type[Model]) -> int:
    cle = _cle(modele)
    valeur = cache.get(cle)
    if valeur is None:
        cache.add(cle, secrets.randbelow(2**40), timeout=None)
        valeur = cache.get(cle)
    return valeur


def _incrementer(modele: type[Model]) -> None:
    try:
        cache.incr(_cle(modele))
    except ValueError:  # evicted: a fresh random start cannot meet an old key
        cache.set(_cle(modele), secrets.randbelow(2**40), timeout=None)
    except INDISPONIBLE:
        pass


def modifie(modele: type[Model]) -> None:
    _incrementer(modele)
    transaction.on_commit(lambda: _incrementer(modele))


def _signal(sender, **kwargs) -> None:
    modifie(sender)


def suivre(modele: type[Model]) -> None:
    _SUIVIS.add(modele._meta.label_lower)
    post_save.connect(_signal, sender=modele, dispatch_uid=f"registres:save:{modele._meta.label_lower}")
    post_delete.connect(_signal, sender=modele, dispatch_uid=f"registres:delete:{modele._meta.label_lower}")


def suivi(modele: type[Model]) -> bool:
    return modele._meta.label_lower in _SUIVIS


def cle_requete(prefixe: str, qs: QuerySet, *modeles: type[Model]) -> str:
    """A key naming this exact query (scope and filters are in its SQL) at the registers' current versions."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # a scope with nothing in it (an account without établissement): no SQL to name
        sql, params = "vide", ()
    empreinte = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    versions = ".".join(str(version(m)) for m in (qs.model, *modeles))
    return f"{prefixe}:{qs.model._meta.label_lower}:{versions}:{empreinte}"


def en_cache(cle, calcul):
    """The cached value of `cle` (a string, or a function giving it), computed once by `calcul()` when absent."""
    try:
        cle = cle() if callable(cle) else cle
        valeur = cache.get(cle)
    except INDISPONIBLE:
        return calcul()
    if valeur is None:
        valeur = calcul()
        try:
            cache.set(cle, valeur, timeout=DUREE)
        except INDISPONIBLE:
            pass
    return valeur


def choix_en_cache(champ, qs: QuerySet, *modeles: type[Model]) -> None:
    """Give a form's ModelChoiceField its options from the cache: rendering the form then costs no query
    (a submitted value is still checked against the queryset). Call it on the form's own field."""
    options = en_cache(lambda: cle_requete("choix", qs, *modeles), lambda: [(o.pk, str(o)) for o in qs])
    vide = [("", champ.empty_label)] if champ.empty_label is not None else []
    champ.widget.choices = [*vide, *options]
