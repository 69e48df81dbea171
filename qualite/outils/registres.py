"""A version number per register, for caches whose key must change when the register does.

Each register is declared once (AppConfig.ready) with `suivre(Modele)`: every save or delete of
one of its rows bumps the number, once at once (the writing request itself sees it) and again
after the commit (a reader that cached the old rows in between is not served them afterwards).
QuerySet.update(), bulk_create() and bulk_update() change it too; writes that bypass the ORM (COPY,
raw SQL) call `modifie(Modele)`.
The number lives in the cache and only grows, so no two states ever share it; a lost cache
restarts it at a fresh random value. Cached values also expire after DUREE seconds."""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from redis.exceptions import RedisError

DUREE = 600
# Redis out of reach: pages compute without the cache, and a write never fails because of it.
INDISPONIBLE = (RedisError, OSError)
_SUIVIS: set[str] = set()


def _cle(modele: type[Model]) -> str:
    return f"registre:{modele._meta.label_lower}:version"


def version(modele: type[Model]) -> int:
    from qualite.outils import cache_pages

    cache_pages.noter((modele,))
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


def _signal_m2m(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        modifie(sender)


def _ecriture_en_masse(methode):
    """QuerySet.update(), bulk_create() and bulk_update() send no signal: on a followed model they change its
    version too, so a cache can only miss a write made in raw SQL (which calls modifie() itself)."""

    @functools.wraps(methode)
    def enveloppe(self, *args, **kwargs):
        resultat = methode(self, *args, **kwargs)
        if self.model._meta.label_lower in _SUIVIS:
            modifie(self.model)
        return resultat

    enveloppe.suivie = True
    return enveloppe


def _suivre_les_ecritures_en_masse() -> None:
    for nom in ("update", "bulk_create", "bulk_update"):
        if not getattr(getattr(QuerySet, nom), "suivie", False):
            setattr(QuerySet, nom, _ecriture_en_masse(getattr(QuerySet, nom)))


def suivre(*modeles: type[Model]) -> None:
    """Follow these models, and the link tables of their many-to-many fields (add, remove, set, clear)."""
    _suivre_les_ecritures_en_masse()
    for modele in modeles:
        _SUIVIS.add(modele._meta.label_lower)
        post_save.connect(_signal, sender=modele, dispatch_uid=f"registres:save:{modele._meta.label_lower}")
        post_delete.connect(_signal, sender=modele, dispatch_uid=f"registres:delete:{modele._meta.label_lower}")
        for champ in modele._meta.local_many_to_many:
            lien = champ.remote_field.through
            _SUIVIS.add(lien._meta.label_lower)
            m2m_changed.connect(_signal_m2m, sender=lien, dispatch_uid=f"registres:m2m:{lien._meta.label_lower}")


def suivi(modele: type[Model]) -> bool:
    return modele._meta.label_lower in _SUIVIS


def cle_requete(prefixe: str, qs: QuerySet, *modeles: type[Model]) -> str:
    """A key naming this exact query (scope and filters are in its SQL) at the registers' current versions.
    Instants in its parameters count to the minute: a query built with now() keeps its key for a minute."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # a scope with nothing in it (an account without établissement): no SQL to name
        sql, params = "vide", ()
    params = tuple(p.replace(second=0, microsecond=0) if isinstance(p, datetime) else p for p in params)
    empreinte = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:32]
    valeurs = ".".join(str(v) for v in versions((qs.model, *modeles)))
    return f"{prefixe}:{qs.model._meta.label_lower}:{valeurs}:{empreinte}"


@functools.cache
def _par_table() -> dict[str, type[Model]]:
    from django.apps import apps

    return {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}


def modeles_lus(sql: str) -> list[type[Model]]:
    """The models whose tables a statement reads (sub-queries included), by their quoted names in its SQL."""
    par_table = _par_table()
    return [par_table[t] for t in sorted(set(re.findall(r'"([a-z0-9_]+)"', sql))) if t in par_table]


def versions(modeles) -> list[int]:
    """The current versions of several registers in one round trip to the cache (a page being kept by
    cache_pages counts them among the registers it depends on)."""
    from qualite.outils import cache_pages

    cache_pages.noter(modeles)
    cles = {_cle(m): m for m in modeles}
    lues = cache.get_many(list(cles))
    return [lues[c] if c in lues else version(m) for c, m in cles.items()]


def cle_versions(prefixe: str, modeles, *parties) -> str:
    """A key naming `parties` at the current versions of `modeles` (the models' names are part of it: two
    sets of registers never share a key)."""
    modeles = sorted(modeles, key=lambda m: m._meta.label_lower)
    noms = hashlib.sha256(",".join(m._meta.label_lower for m in modeles).encode()).hexdigest()[:12]
    valeurs = ".".join(str(v) for v in versions(modeles))
    empreinte = hashlib.sha256(repr(parties).encode()).hexdigest()[:24]
    return f"{prefixe}:{noms}:{valeurs}:{empreinte}"


def en_cache(cle, calcul, duree: int = DUREE):
    """The cached value of `cle` (a string, or a function giving it), computed once by `calcul()` when absent."""
    try:
        cle = cle() if callable(cle) else cle
        valeur = cache.get(cle)
    except INDISPONIBLE:
        return calcul()
    if valeur is None:
        valeur = calcul()
        try:
            cache.set(cle, valeur, timeout=duree)
        except INDISPONIBLE:
            pass
    return valeur


def choix_en_cache(champ, qs: QuerySet, *modeles: type[Model], nom: str = "") -> None:
    """Give a form's ModelChoiceField its options from the cache: rendering the form then costs no query
    (a submitted value is still checked against the queryset). Call it on the form's own field.
    `nom`, when given, names the query instead of its SQL (compiling it costs more than reading the cache):
    it must say everything the query depends on, such as the scope's ids."""
    try:
        champ.cle_choix = (f"choix:{qs.model._meta.label_lower}:{'.'.join(map(str, versions((qs.model, *modeles))))}"
                           f":{nom}" if nom else cle_requete("choix", qs, *modeles))  # see cle_formulaire()
    except INDISPONIBLE:
        champ.cle_choix = None
    options = en_cache(champ.cle_choix, lambda: [(o.pk, str(o)) for o in qs]) if champ.cle_choix else [
        (o.pk, str(o)) for o in qs]
    vide = [("", champ.empty_label)] if champ.empty_label is not None else []
    champ.widget.choices = [*vide, *options]


def cle_formulaire(prefixe: str, form, *parties) -> str | None:
    """A key naming a filter form's rendering: its class, its submitted values and the keys of its cached
    option lists. None (render it each time) when a field's options come from a query not cached by
    choix_en_cache() or when the form has errors."""
    from django.forms import ModelChoiceField

    options = []
    for nom, champ in form.fields.items():
        if isinstance(champ, ModelChoiceField):
            cle = getattr(champ, "cle_choix", None)
            if cle is None:
                return None
            options.append((nom, cle))
    if form.is_bound and form.errors:
        return None
    donnees = sorted((k, tuple(form.data.getlist(k)) if hasattr(form.data, "getlist") else form.data[k])
                     for k in form.data)
    empreinte = hashlib.sha256(repr((type(form).__qualname__, form.prefix, donnees, options, parties)).encode())
    return f"{prefixe}:{empreinte.hexdigest()[:32]}"
