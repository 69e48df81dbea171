"""Who sees and changes the risk map. The map holds no nominative data: risques.voir opens the risks of the
user's établissements; the events linked to a risk are listed through the events' own rule (domaines.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from qualite.organisation import access
from qualite.risques.models import Risque


def exiger_voir(user) -> None:
    access.exiger(user, "risques.voir")


def risques_scope(qs: QuerySet, user, permission: str = "risques.voir") -> QuerySet:
    return access.perimetre(user, permission).filtrer(qs)


def get_risque_for_user(user, pk, *, permission: str = "risques.voir") -> Risque:
    """A risk of the user's scope, or 404 (403 first without the permission at all)."""
    access.exiger(user, permission)
    qs = Risque.objects.select_related("etablissement", "pole", "service", "processus", "famille", "pilote")
    return access.objet_ou_404(risques_scope(qs, user, permission), pk=pk)


def get_risque_modifiable(user, pk) -> Risque:
    """403 for a reader without risques.modifier; 404 outside the scope, as for reading."""
    risque = get_risque_for_user(user, pk)
    if not peut_modifier(user, risque):
        raise PermissionDenied
    return risque


def peut_modifier(user, risque: Risque) -> bool:
    return access.perimetre(user, "risques.modifier").contient(risque)


def etablissements_modifiables(user) -> frozenset[int]:
    perimetre = access.perimetre(user, "risques.modifier")
    return frozenset() if perimetre.vide else perimetre.etablissements
