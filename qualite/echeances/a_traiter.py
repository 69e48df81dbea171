"""Inbox sources made of the deadline engine's open deadlines (complaint steps, record requests, SSC
certificates and decisions, isolation renewals): the engine already knows each one's record, scope and roles."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from qualite.echeances.models import Echeance
from qualite.organisation import access
from qualite.organisation.a_traiter import Element, Source


def echeances_a_traiter(user, *, codes=None, prefixes=(), exclus=(), horizon: timedelta | None = timedelta(days=7)):
    """Open deadlines the user answers for (access.echeances_scope) that have entered their alert window:
    the rule's « alerter avant », else `horizon`; overdue ones always. No horizon: every open deadline."""
    qs = Echeance.objects.ouvertes().select_related("regle")
    if codes is not None:
        qs = qs.filter(regle__code__in=codes)
    for prefixe in exclus:
        qs = qs.exclude(regle__code__startswith=prefixe)
    if prefixes:
        from django.db.models import Q

        filtre = Q()
        for prefixe in prefixes:
            filtre |= Q(regle__code__startswith=prefixe)
        qs = qs.filter(filtre)
    if horizon is not None:
        seuil = ExpressionWrapper(F("echeance") - Coalesce(F("regle__alerte_avant"), Value(horizon)),
                                  output_field=DateTimeField())
        qs = qs.alias(entre_en_alerte=seuil).filter(entre_en_alerte__lte=timezone.now())
    return access.echeances_scope(qs, user).order_by("echeance", "id")


def source_echeances(code: str, libelle: str, *, permissions: tuple[str, ...], bouton: str, ordre: int = 100,
                     **criteres) -> Source:
    def element(ech: Echeance) -> Element:
        detail = ech.regle.base_legale or ""
        if ech.regle.a_verifier:
            detail = f"{detail} (règle à vérifier)".strip()
        return Element(titre=ech.regle.libelle, reference=ech.reference, url=ech.url, bouton=bouton,
                       echeance=ech.echeance, detail=detail)

    return Source(code, libelle, permissions, lambda user: echeances_a_traiter(user, **criteres), element, ordre)
