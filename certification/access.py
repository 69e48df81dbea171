"""Who sees and records certification work. Reuses the catalogue and scopes of
qualite.access: établissement-wide roles see their établissements, a cadre de
pôle the evaluations of his pôle's services; only certification.gerer records."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from qualite import access

from .models import Critere, Evaluation


def exiger_consulter(user) -> None:
    access.exiger(user, "certification.consulter")


def certification_scope(qs: QuerySet, user, champ_service: str | None = "service") -> QuerySet:
    if not access.has_perm(user, "certification.consulter"):
        return qs.none()
    qs = access.scope_etablissement(qs, user)
    if access.ROLES_POLE & set(user.roles) and not (set(user.roles) - access.ROLES_POLE):
        if champ_service is None or not user.pole_id:
            return qs
        return qs.filter(Q(**{f"{champ_service}__pole_id": user.pole_id}))
    return qs


def get_evaluation_for_user(user, pk) -> Evaluation:
    exiger_consulter(user)
    qs = Evaluation.objects.select_related("etablissement", "service__pole").prefetch_related("criteres")
    return access.objet_ou_404(certification_scope(qs, user), pk=pk)


def get_critere_for_user(user, pk) -> Critere:
    exiger_consulter(user)
    return access.objet_ou_404(Critere.objects.select_related("objectif__chapitre", "referentiel"), pk=pk)


def peut_gerer(user, etablissement_id: int) -> bool:
    return access.has_perm(user, "certification.gerer") and etablissement_id in access.etablissements_visibles(user)


def exiger_gerer(user, etablissement_id: int) -> None:
    if not peut_gerer(user, etablissement_id):
        raise PermissionDenied


def certification_scope_valeurs(qs: QuerySet, user) -> QuerySet:
    """Indicator values: the établissement-wide ones, and for a cadre only his pôle's services."""
    qs = access.scope_etablissement(qs, user)
    if not (set(user.roles) - access.ROLES_POLE):
        return qs.filter(Q(service__isnull=True) | Q(service__pole_id=user.pole_id))
    return qs
