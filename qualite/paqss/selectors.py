from django.db.models import Count, Q

from qualite.paqss.access import actions_scope
from qualite.paqss.filters import ActionFilter
from qualite.paqss.models import ActionAmelioration


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


def actions_de(source):
    """The actions opened from one record (an event, a complaint, an evaluation)."""
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(source)
    return ActionAmelioration.objects.filter(source_type=ct, source_id=source.pk).select_related("responsable")
