"""Who sees and edits which PAQSS actions. Built on the catalogue and scopes of
access.py (which this module does not change): établissement-wide roles see
their établissements, a cadre de pôle his pôle; only paqss.gerer edits."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from qualite.organisation import access
from qualite.organisation.models import Pole
from qualite.paqss.models import ActionAmelioration


def peut_voir_programme(user) -> bool:
    return access.has_perm(user, "paqss.voir")


def exiger_programme(user) -> None:
    if not peut_voir_programme(user):
        raise PermissionDenied


def actions_scope(qs: QuerySet, user) -> QuerySet:
    return access.perimetre(user, "paqss.voir").filtrer(qs)


def poles_scope(qs: QuerySet, user) -> QuerySet:
    """The pôles whose action plan a user may open."""
    return access.perimetre(user, "paqss.voir").filtrer(qs, pole="pk", service="services")


def get_action_for_user(user, pk) -> ActionAmelioration:
    exiger_programme(user)
    qs = ActionAmelioration.objects.select_related(
        "etablissement", "pole", "service", "responsable", "source_type", "created_by"
    )
    return access.objet_ou_404(actions_scope(qs, user), pk=pk)


def get_pole_for_user(user, pk) -> Pole:
    exiger_programme(user)
    return access.objet_ou_404(poles_scope(Pole.objects.select_related("etablissement"), user), pk=pk)


def peut_gerer_action(user, action: ActionAmelioration) -> bool:
    return access.perimetre(user, "paqss.gerer").contient(action)
