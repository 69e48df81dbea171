"""Who sees which adverse events. Written once; used by pages, exports and statistics."""

from django.db.models import Q, QuerySet

from evenements.models import EvenementIndesirable
from qualite.organisation import access


def evenements_scope(qs: QuerySet, user) -> QuerySet:
    """Own declarations for everyone; the pôle for a cadre; the établissements for risk managers and direction."""
    if not user.is_authenticated:
        return qs.none()
    q = Q(created_by=user) | access.perimetre(user, "evenements.voir").q()
    return qs.filter(q)


def get_evenement_for_user(user, pk) -> EvenementIndesirable:
    qs = evenements_scope(EvenementIndesirable.objects.select_related("etablissement", "pole", "service", "type", "created_by"), user)
    return access.objet_ou_404(qs, pk=pk)


def actions_visibles(user, evenement: EvenementIndesirable, qs: QuerySet) -> QuerySet:
    """The corrective actions an event's page lists: those of the event's pôle or of its whole
    établissement, and those the reader's programme reach covers; never another pôle's."""
    du_pole = Q(etablissement_id=evenement.etablissement_id) & (Q(pole__isnull=True) | Q(pole_id=evenement.pole_id))
    return qs.filter(du_pole | access.perimetre(user, "paqss.voir").q())


def peut_gerer(user, evenement: EvenementIndesirable) -> bool:
    return access.perimetre(user, "evenements.gerer").contient(evenement)


# Confidential declarant: the one rule, in two forms kept side by side (an object, a query). Pages, the
# history admin and the audit journal all ask here; the audit rows themselves keep the true author.
LIBELLE_DECLARANT_MASQUE = "Déclarant confidentiel"


def voit_declarants_confidentiels(user) -> bool:
    return access.has_perm(user, "evenements.identite_declarant_confidentiel")


def voit_declarant(user, evenement: EvenementIndesirable) -> bool:
    """A confidential declarant is named to risk managers only (and to themself)."""
    return (
        not evenement.confidentiel
        or evenement.created_by_id == user.pk
        or voit_declarants_confidentiels(user)
    )


def declarations_masquees(user, qs: QuerySet | None = None) -> QuerySet:
    """The events whose declarant `user` must not learn: voit_declarant() as a query."""
    qs = EvenementIndesirable.objects.all() if qs is None else qs
    if voit_declarants_confidentiels(user):
        return qs.none()
    return qs.filter(confidentiel=True).exclude(created_by_id=user.pk)


def acteur_visible(user, evenement: EvenementIndesirable, acteur_id) -> bool:
    """Whether a page may name who did something on the event: never the masked declarant, whatever the step."""
    return acteur_id != evenement.created_by_id or voit_declarant(user, evenement)


def statistiques_scope(qs: QuerySet, user) -> QuerySet:
    """Anonymised figures: the établissements a user covers, whatever their role."""
    return qs.filter(etablissement_id__in=access.etablissements_visibles(user))
