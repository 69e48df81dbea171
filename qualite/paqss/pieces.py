"""Attachments of PAQSS actions (qualite/pieces): the proof an action was done."""

from django.urls import reverse

from qualite.paqss.access import get_action_for_user, peut_gerer_action
from qualite.pieces.registre import Rattachable, enregistrer


def enregistrer_pieces():
    enregistrer(Rattachable(
        modele="paqss.ActionAmelioration", cle="action", permission="paqss.voir", obtenir=get_action_for_user,
        ecrire=peut_gerer_action, url=lambda a: reverse("qualite:action_detail", args=[a.pk])))
