from datetime import timedelta

from django.db.models import Count, Q

from . import access
from .access_actions import actions_scope
from .echeances import bornes_du_jour
from .filters import ActionFilter
from .models import ActionAmelioration, AuditEntry, Echeance, RegleEcheance


def echeances_pour(user, maintenant=None):
    qs = Echeance.objects.select_related("regle", "etablissement", "satisfaite_par")
    return access.echeances_scope(qs, user).avec_statut(maintenant).order_by("echeance", "id")


def compteurs_echeances(user, maintenant=None) -> dict:
    """Open deadlines: overdue, due today, due within 7 days — one SQL aggregate."""
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    qs = access.echeances_scope(Echeance.objects.ouvertes(), user)
    return qs.aggregate(
        en_retard=Count("id", filter=Q(echeance__lt=maintenant)),
        aujourdhui=Count("id", filter=Q(echeance__gte=maintenant, echeance__lt=demain)),
        sept_jours=Count("id", filter=Q(echeance__gte=demain, echeance__lt=demain + timedelta(days=7))),
    )


def modules_echeances() -> list[str]:
    return list(RegleEcheance.objects.order_by("module").values_list("module", flat=True).distinct())


def journal_audit():
    return AuditEntry.objects.select_related("utilisateur", "content_type", "etablissement")


def actions_liste(user, params=None) -> ActionFilter:
    """The programme as a user may see it, filtered: the page and its exports use it alike."""
    qs = actions_scope(
        ActionAmelioration.objects.select_related("etablissement", "pole", "service", "responsable"), user
    ).order_by("echeance", "id")
    return ActionFilter(params or None, queryset=qs, user=user)


def plan_pole(pole, user) -> dict:
    """Counts by status and overdue for one pôle, one SQL aggregate."""
    qs = actions_scope(ActionAmelioration.objects.filter(pole=pole), user)
    agregats = {s: Count("id", filter=Q(statut=s)) for s in ActionAmelioration.Statut.values}
    comptes = qs.aggregate(en_retard=Count("id", filter=ActionAmelioration.q_en_retard()), total=Count("id"), **agregats)
    return comptes
