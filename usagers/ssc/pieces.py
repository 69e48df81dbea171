"""Attachments of involuntary-care records (qualite/pieces): a measure, its acts, its isolation decisions.
Seen by whoever sees the measure (ssc.voir, a psychiatrist his unit); added and archived by the
admissions office and, for the measure and its certificates, by the unit's psychiatrists."""

from django.urls import reverse

from qualite.organisation import access
from qualite.pieces.registre import Rattachable, enregistrer
from usagers.ssc.access import get_mesure_for_user, mesures_scope, permission_acte, peut_ecrire
from usagers.ssc.models import ActeMesure, MesureIsolement


def _ecrire_mesure(user, mesure) -> bool:
    return peut_ecrire(user, mesure, "ssc.gerer") or peut_ecrire(user, mesure, "ssc.certificats")


def _acte(user, pk):
    qs = mesures_scope(ActeMesure.objects.select_related("mesure"), user, champ="mesure")
    return access.objet_ou_404(qs, pk=pk)


def _isolement(user, pk):
    qs = mesures_scope(MesureIsolement.objects.select_related("mesure"), user, champ="mesure")
    return access.objet_ou_404(qs, pk=pk)


def enregistrer_pieces():
    enregistrer(Rattachable(
        modele="ssc.MesureSoinsSansConsentement", cle="ssc-mesure", permission="ssc.voir",
        obtenir=get_mesure_for_user, ecrire=_ecrire_mesure,
        url=lambda m: reverse("usagers:ssc_mesure", args=[m.pk])))
    enregistrer(Rattachable(
        modele="ssc.ActeMesure", cle="ssc-acte", permission="ssc.voir", obtenir=_acte,
        ecrire=lambda u, a: peut_ecrire(u, a.mesure, permission_acte(a.type)) or peut_ecrire(u, a.mesure, "ssc.gerer"),
        url=lambda a: reverse("usagers:ssc_mesure", args=[a.mesure_id])))
    enregistrer(Rattachable(
        modele="ssc.MesureIsolement", cle="ssc-isolement", permission="ssc.voir", obtenir=_isolement,
        ecrire=lambda u, d: peut_ecrire(u, d.mesure, "ssc.isolement"),
        url=lambda d: reverse("usagers:ssc_isolement_modifier", args=[d.mesure_id, d.pk])))
