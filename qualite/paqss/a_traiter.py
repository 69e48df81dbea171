"""The PAQSS source of « À traiter »: open actions due within 15 days or overdue, that the user is
responsible for, or that nobody holds yet in the programme the user manages (a cadre: his pôle's)."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from qualite.organisation import access
from qualite.organisation.a_traiter import Element, Source, enregistrer
from qualite.paqss.models import ActionAmelioration

HORIZON = timedelta(days=15)


def actions_dues(user):
    limite = timezone.localdate() + HORIZON
    miennes = Q(responsable=user) & access.perimetre(user, "paqss.voir").q()
    sans_responsable = Q(responsable__isnull=True) & (access.perimetre(user, "paqss.gerer").q()
                                                      | access.perimetre(user, "paqss.mon_pole").q())
    return (ActionAmelioration.objects.filter(ActionAmelioration.q_ouvertes(), echeance__lte=limite)
            .filter(miennes | sans_responsable).order_by("echeance", "id"))


def enregistrer_a_traiter() -> None:
    enregistrer(Source(
        "paqss-actions", "Actions dues", ("paqss.voir", "paqss.gerer", "paqss.mon_pole"), actions_dues,
        lambda a: Element(a.titre, f"Action n° {a.pk}", a.get_absolute_url(), "Mettre à jour", echeance=a.echeance,
                          detail=a.get_statut_display() + ("" if a.responsable_id else " — sans responsable")), 60))
