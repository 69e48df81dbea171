"""What the risk map needs from the domain apps (events, processes), in one place. `qualite` never imports a
domain app at module level: these helpers import on call, so the core still loads without the domains."""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet


def Evenement():  # noqa: N802 - a model class
    return apps.get_model("evenements", "EvenementIndesirable")


def TypeEvenement():  # noqa: N802
    return apps.get_model("evenements", "TypeEvenement")


def Processus():  # noqa: N802
    return apps.get_model("certification", "Processus")


def evenements_visibles(qs: QuerySet, user) -> QuerySet:
    """The events' own access rule (evenements/access.py), never a copy of it."""
    from evenements.access import evenements_scope

    return evenements_scope(qs, user)


def evenement_statuts_exclus() -> tuple[str, ...]:
    """Events that realised nothing: classified without follow-up."""
    from evenements.models import Statut

    return (Statut.CLASSE_SANS_SUITE,)
