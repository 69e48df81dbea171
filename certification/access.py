"""Who sees and records certification work, through the single rule of qualite.organisation.access:
établissement-wide roles see their établissements, a cadre de pôle the evaluations,
audits and surveys of his pôle's services; only certification.gerer records."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from certification.models import Critere, Evaluation
from qualite.organisation import access


def exiger_consulter(user) -> None:
    access.exiger(user, "certification.consulter")


def certification_scope(qs: QuerySet, user, *, pole: str = "service__pole_id", ecriture: bool = False) -> QuerySet:
    """Evaluations, audits, surveys (pôle through their service) and EPP (pole="pole_id");
    for a pôle reach, only that pôle's. `ecriture`: the records the user may change."""
    return access.perimetre(user, "certification.gerer" if ecriture else "certification.consulter").filtrer(qs, pole=pole)


def get_evaluation_for_user(user, pk) -> Evaluation:
    exiger_consulter(user)
    qs = Evaluation.objects.select_related("etablissement", "service__pole").prefetch_related("criteres")
    return access.objet_ou_404(certification_scope(qs, user), pk=pk)


def get_critere_for_user(user, pk) -> Critere:
    exiger_consulter(user)
    return access.objet_ou_404(Critere.objects.select_related("objectif__chapitre", "referentiel"), pk=pk)


def peut_gerer(user, etablissement_id: int) -> bool:
    perimetre = access.perimetre(user, "certification.gerer")
    return not perimetre.vide and etablissement_id in perimetre.etablissements


def exiger_gerer(user, etablissement_id: int) -> None:
    if not peut_gerer(user, etablissement_id):
        raise PermissionDenied


def certification_scope_valeurs(qs: QuerySet, user, permission: str = "certification.consulter") -> QuerySet:
    """Indicator values: the établissement-wide ones, and for a pôle reach only that pôle's services."""
    perimetre = access.perimetre(user, permission)
    if perimetre.vide:
        return qs.none()
    if perimetre.portee == access.Portee.ETABLISSEMENT:
        return perimetre.filtrer(qs)
    return qs.filter(perimetre.q(pole="service__pole_id")
                     | Q(service__isnull=True, etablissement_id__in=perimetre.etablissements))
