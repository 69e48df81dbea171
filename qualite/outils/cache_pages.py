"""Rendered pages kept in the cache and served again while nothing they read has changed.

`@page_en_cache()` on a GET view: the first visit renders the page while noting every register it
reads, from its SQL (sub-queries included) and from the keys of the caches it used (registres.versions).
The page is kept under the code's version (empreinte_du_code), the account, its session, its CSRF cookie
and the exact URL, with the versions those registers had *before* it was rendered; a later visit is
served that HTML as long as each of them still has the same version (one round trip to the cache) and
the page's freshness has not run out (the minute by default: pages saying « en retard » or « dans 3 h »
follow the clock).

A page is kept only when it can be told stale: every table it read is followed by registres.suivre(),
it wrote nothing but audit entries, it showed no flash message, it answered 200 in HTML, and the
browser sent its CSRF cookie (the page's forms carry a token made from it). The audit entries its
rendering wrote (a nominative list read) are written again, for this visit, each time the kept page is
served. The account itself and its roles are always among its registers (menu, scope, access).
The HTML is kept compressed (a 34 kB list takes 6 kB, 0.3 ms to compress and 0.1 ms to expand).
Redis out of reach: the view runs as if there were no cache. PAGES_EN_CACHE=0 turns it off."""

from __future__ import annotations

import contextvars
import functools
import hashlib
import logging
import re
import time
import zlib
from dataclasses import dataclass, field
from functools import wraps

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

from qualite.outils import registres

DUREE = registres.DUREE
# The table of audit entries: a page that writes there is still kept, its entries are written again.
_TABLE_AUDIT = "organisation_auditentry"
_LECTURES = ("select", "with")
_CONTEXTE_HISTORIQUE = "SELECT set_config('pghistory.context_id'"
_ECRITURE_DANS_WITH = re.compile(r"\b(insert\s+into|update\s+\"|delete\s+from)\b", re.IGNORECASE)
_SANS_EFFET = ("savepoint", "release savepoint", "rollback to savepoint", "set ")

journal = logging.getLogger(__name__)
_collecte: contextvars.ContextVar[Collecte | None] = contextvars.ContextVar("cache_pages_collecte", default=None)


@dataclass
class Collecte:
    """What one rendering read and wrote."""

    modeles: set = field(default_factory=set)  # labels of the followed models read
    non_suivis: set = field(default_factory=set)  # tables read that no version follows
    ecritures: list = field(default_factory=list)  # statements other than reads and audit entries
    audits: list = field(default_factory=list)  # audit entries written, to write again on each visit

    def noter_modeles(self, modeles) -> None:
        for m in modeles:
            (self.modeles if registres.suivi(m) else self.non_suivis).add(m._meta.label_lower)

    def sql(self, execute, sql, params, many, context):
        instruction = sql.lstrip()
        if instruction.startswith(_CONTEXTE_HISTORIQUE):  # pghistory's context, set before each write of the request
            instruction = instruction.split("; ", 1)[-1]
        debut = instruction[:30].lower()
        if debut.startswith(_LECTURES) and not (debut.startswith("with") and _ECRITURE_DANS_WITH.search(instruction)):
            self.noter_modeles(registres.modeles_lus(instruction))
        elif not (debut.startswith(_SANS_EFFET)
                  or (debut.startswith("insert") and f'"{_TABLE_AUDIT}"' in instruction[:80])):
            self.ecritures.append(instruction[:80])
        return execute(sql, params, many, context)

    @property
    def gardable(self) -> bool:
        return not self.non_suivis and not self.ecritures


def noter(modeles) -> None:
    """Called by registres.versions(): a cache read by the page makes its registers the page's too."""
    collecte = _collecte.get()
    if collecte is not None:
        collecte.noter_modeles(modeles)


def noter_audit(valeurs: dict) -> None:
    """Called by audit.tracer(): the entry to write again, for the visitor of the day, on each cached visit."""
    collecte = _collecte.get()
    if collecte is not None:
        collecte.audits.append(valeurs)


# Where the application's code, templates and static files live: a deployment that changes one of them
# changes every page's key (a kept page would name static files or markup of the former version).
_SOURCES = ("templates", "static", "config", "qualite", "evenements", "usagers", "certification")
_SUFFIXES = {".py", ".html", ".css", ".js", ".svg", ".json"}


@functools.cache
def empreinte_du_code() -> str:
    """The files' names, sizes and modification times, hashed once per process (about 10 ms)."""
    empreinte = hashlib.sha256()
    for dossier in _SOURCES:
        for fichier in sorted((settings.BASE_DIR / dossier).rglob("*")):
            if fichier.suffix in _SUFFIXES and "tests" not in fichier.parts:
                etat = fichier.stat()
                empreinte.update(f"{fichier}:{etat.st_size}:{etat.st_mtime_ns};".encode())
    return empreinte.hexdigest()[:12]


def _cle(request) -> str:
    jetons = (empreinte_du_code(), request.session.session_key, request.COOKIES.get(settings.CSRF_COOKIE_NAME),
              request.get_full_path(), request.headers.get("HX-Request"))
    return f"page:{request.user.pk}:{hashlib.sha256(repr(jetons).encode()).hexdigest()[:32]}"


def _modeles(labels) -> list:
    return [apps.get_model(label) for label in labels]


def _fin_de_fraicheur(secondes: int) -> float:
    """The end of the current period of `secondes` (the next minute, by default), as a timestamp."""
    maintenant = time.time()
    return maintenant - maintenant % secondes + secondes


def _servir(request, entree) -> HttpResponse:
    from qualite.organisation import audit

    for valeurs in entree["audits"]:
        audit.retracer(request, valeurs)
    reponse = HttpResponse(zlib.decompress(entree["contenu"]), content_type=entree["type"])
    reponse["X-Page-En-Cache"] = "1"
    return reponse


def page_en_cache(fraicheur: int = 60):
    """Serve this GET view's page again while its registers are unchanged, for at most `fraicheur` seconds
    counted in whole periods (60: until the minute changes)."""

    def decorateur(vue):
        cle_vue = f"page-modeles:{vue.__module__}.{vue.__qualname__}"

        @wraps(vue)
        def enveloppe(request, *args, **kwargs):
            # Without its CSRF cookie the browser would be given forms whose token no cookie matches.
            if (not settings.PAGES_EN_CACHE or request.method != "GET" or not request.user.is_authenticated
                    or len(messages.get_messages(request))
                    or settings.CSRF_COOKIE_NAME not in request.COOKIES):
                return vue(request, *args, **kwargs)
            try:
                cle = _cle(request)
                lus = cache.get_many([cle, cle_vue])
                entree = lus.get(cle)
                if (entree and entree["versions"] is not None and time.time() < entree["jusqu_a"]
                        and registres.versions(_modeles(entree["modeles"])) == entree["versions"]):
                    return _servir(request, entree)
                # The registers this view read before (at this URL, or at any) are read before it renders: a
                # write that lands meanwhile leaves the page under older versions, never under newer ones.
                connus = entree["modeles"] if entree else lus.get(cle_vue)
                avant = registres.versions(_modeles(connus)) if connus else None
            except registres.INDISPONIBLE:
                return vue(request, *args, **kwargs)
            jusqu_a = _fin_de_fraicheur(fraicheur)  # counted from before the rendering: it reads the clock then
            collecte = Collecte()
            collecte.noter_modeles([apps.get_model(settings.AUTH_USER_MODEL)])
            jeton = _collecte.set(collecte)
            try:
                with connection.execute_wrapper(collecte.sql):
                    reponse = vue(request, *args, **kwargs)
                    if hasattr(reponse, "render") and not reponse.is_rendered:
                        reponse.render()
            finally:
                _collecte.reset(jeton)
            if (collecte.gardable and reponse.status_code == 200 and not reponse.streaming and not reponse.cookies
                    and reponse.get("Content-Type", "").startswith("text/html")
                    and not len(messages.get_messages(request))):
                sures = connus is not None and collecte.modeles <= set(connus)
                if not sures:
                    journal.debug("%s : registres appris %s", request.path, sorted(collecte.modeles - set(connus or ())))
                modeles = connus if sures else sorted(collecte.modeles | set(connus or ()))
                entree = {"modeles": modeles, "versions": avant if sures else None, "jusqu_a": jusqu_a,
                          "contenu": zlib.compress(reponse.content, 1), "type": reponse["Content-Type"],
                          "audits": collecte.audits}
                try:
                    # The page lives until its freshness ends; what the view reads is kept longer.
                    cache.set(cle, entree, timeout=max(1, int(jusqu_a - time.time()) + 1))
                    if not sures:
                        cache.set(cle_vue, modeles, timeout=DUREE)
                except registres.INDISPONIBLE:
                    pass
            elif not collecte.gardable:
                journal.debug("%s non gardée : tables non suivies %s, écritures %s", request.path,
                              sorted(collecte.non_suivis), collecte.ecritures)
            return reponse

        enveloppe.page_en_cache = True
        return enveloppe

    return decorateur
