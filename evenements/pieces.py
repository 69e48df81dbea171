"""Attachments of adverse events and their analyses (qualite/pieces): an event's files are seen by whoever
sees the event; its analyses' files, like the analysis page, by its risk managers only."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from evenements.access import evenements_scope, get_evenement_for_user, peut_gerer
from qualite.organisation import access
from qualite.pieces.registre import Rattachable, enregistrer


def _analyse(user, pk):
    from evenements.models import AnalyseApprofondie, EvenementIndesirable

    qs = AnalyseApprofondie.objects.select_related("evenement").filter(
        evenement__in=evenements_scope(EvenementIndesirable.objects.all(), user))
    analyse = access.objet_ou_404(qs, pk=pk)
    if not peut_gerer(user, analyse.evenement):
        raise PermissionDenied
    return analyse


def enregistrer_pieces():
    enregistrer(Rattachable(
        modele="evenements.EvenementIndesirable", cle="evenement", permission="evenements.voir",
        obtenir=get_evenement_for_user, ecrire=peut_gerer, url=lambda e: reverse("evenements:detail", args=[e.pk])))
    enregistrer(Rattachable(
        modele="evenements.AnalyseApprofondie", cle="analyse", permission="evenements.gerer", obtenir=_analyse,
        ecrire=lambda u, a: peut_gerer(u, a.evenement),
        url=lambda a: reverse("evenements:analyse_modifier", args=[a.evenement_id, a.pk])))
