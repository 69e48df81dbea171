"""Which records may carry attachments, and who may see and add them. Each domain registers its
records in its AppConfig.ready(): the core never imports a domain.

A record's files follow the record's own rule: `obtenir` is the detail page's access helper (404 out of
scope), `voir` narrows it where the page shows the record but not its files (the CDU and user
representatives see complaints anonymised: none of their files), `ecrire` decides adding and archiving."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.http import Http404


def _toujours(user, objet) -> bool:
    return True


@dataclass(frozen=True)
class Rattachable:
    modele: str  # "ssc.MesureSoinsSansConsentement"
    cle: str  # in URLs: /pieces-jointes/<cle>/<pk>/
    obtenir: Callable  # (user, pk) -> the record, through its page's access helper (Http404 out of scope)
    ecrire: Callable  # (user, record) -> may add and archive files
    url: Callable  # record -> its page
    permission: str  # the permission whose scope governs these files (documentation, the access matrix)
    voir: Callable = _toujours  # (user, record) -> may list and download, once the record is obtained

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.modele)


RATTACHABLES: dict[str, Rattachable] = {}


def enregistrer(rattachable: Rattachable) -> None:
    RATTACHABLES[rattachable.cle] = rattachable


def par_cle(cle: str) -> Rattachable:
    try:
        return RATTACHABLES[cle]
    except KeyError:
        raise Http404 from None


def pour_modele(model) -> Rattachable | None:
    return next((r for r in RATTACHABLES.values() if r.model is model), None)


def obtenir(rattachable: Rattachable, user, pk):
    """The record if the user may see its files; Http404 otherwise, out of scope and forbidden alike."""
    objet = rattachable.obtenir(user, pk)
    if not rattachable.voir(user, objet):
        raise Http404
    return objet
