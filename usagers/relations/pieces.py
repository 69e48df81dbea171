"""Attachments of the user-relations registers (qualite/pieces). A complaint's files are nominative: the
CDU and user representatives, who see complaints anonymised, see none of them."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from qualite.organisation import access
from qualite.pieces.registre import Rattachable, enregistrer
from usagers.relations.access import cdu_scope, dossiers_scope, get_reclamation_for_user, voit_nominatif_reclamations


def _gere(permission):
    return lambda user, objet: access.perimetre(user, permission).contient(objet)


def _dossier(user, pk):
    from usagers.relations.models import DemandeDossier

    access.exiger(user, "dossiers.gerer")
    return access.objet_ou_404(dossiers_scope(DemandeDossier.objects.all(), user), pk=pk)


def _seance(user, pk):
    from usagers.relations.models import SeanceCDU

    seance = access.objet_ou_404(cdu_scope(SeanceCDU.objects.all(), user), pk=pk)
    if not access.has_perm(user, "cdu.consulter"):
        raise PermissionDenied
    return seance


def enregistrer_pieces():
    enregistrer(Rattachable(
        modele="relations_usagers.Reclamation", cle="reclamation", permission="reclamations.voir_nominatif",
        obtenir=get_reclamation_for_user, voir=lambda u, r: voit_nominatif_reclamations(u),
        ecrire=_gere("reclamations.gerer"), url=lambda r: reverse("usagers:reclamation", args=[r.pk])))
    enregistrer(Rattachable(
        modele="relations_usagers.DemandeDossier", cle="dossier-medical", permission="dossiers.gerer", obtenir=_dossier,
        ecrire=_gere("dossiers.gerer"), url=lambda d: reverse("usagers:dossier", args=[d.pk])))
    enregistrer(Rattachable(
        modele="relations_usagers.SeanceCDU", cle="seance-cdu", permission="cdu.consulter", obtenir=_seance,
        ecrire=_gere("cdu.gerer"), url=lambda s: reverse("usagers:seance", args=[s.pk])))
