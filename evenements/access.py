"""Who sees which adverse events. Written once; used by pages, exports and statistics."""

from django.db.models import Q, QuerySet

from qualite import access

from .models import EvenementIndesirable


def evenements_scope(qs: QuerySet, user) -> QuerySet:
    """Own declarations for everyone; the pôle for a cadre; the établissements for risk managers and direction."""
    if not user.is_authenticated:
        return qs.none()
    q = Q(created_by=user) | access.perimetre(user, "evenements.voir").q()
    return qs.filter(q)


def get_evenement_for_user(user, pk) -> EvenementIndesirable:
    qs = evenements_scope(EvenementIndesirable.objects.select_related("etablissement", "pole", "service", "type", "created_by"), user)
    return access.objet_ou_404(qs, pk=pk)


def peut_gerer(user, evenement: EvenementIndesirable) -> bool:
    return (
        access.has_perm(user, "evenements.gerer")
        and evenement.etablissement_id in access.etablissements_visibles(user)
    )


def voit_declarant(user, evenement: EvenementIndesirable) -> bool:
    """A confidential declarant is named to risk managers only (and to themself)."""
    if evenement.created_by_id == user.pk:
        return True
    if evenement.confidentiel:
        return access.has_perm(user, "evenements.identite_declarant_confidentiel")
    return True


def statistiques_scope(qs: QuerySet, user) -> QuerySet:
    """Anonymised figures: the établissements a user covers, whatever their role."""
    return qs.filter(etablissement_id__in=access.etablissements_visibles(user))
