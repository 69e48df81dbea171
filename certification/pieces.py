"""Attachments of certification work (qualite/pieces): evaluations, a criterion's evidence (on the
établissement's self-assessment of it), audits and EPP. Seen within certification.consulter's scope,
added and archived within certification.gerer's."""

from django.urls import reverse

from certification.access import certification_scope, exiger_consulter, get_evaluation_for_user, peut_gerer
from qualite.organisation import access
from qualite.pieces.registre import Rattachable, enregistrer


def _gere(user, objet) -> bool:
    return peut_gerer(user, objet.etablissement_id)


def _autoevaluation(user, pk):
    from certification.models import Autoevaluation

    exiger_consulter(user)
    qs = access.perimetre(user, "certification.consulter").filtrer_etablissement(
        Autoevaluation.objects.select_related("critere", "etablissement"))
    return access.objet_ou_404(qs, pk=pk)


def _audit(user, pk):
    from certification.models import Audit

    exiger_consulter(user)
    return access.objet_ou_404(certification_scope(Audit.objects.all(), user), pk=pk)


def _epp(user, pk):
    from certification.models import EPP

    exiger_consulter(user)
    return access.objet_ou_404(certification_scope(EPP.objects.all(), user, pole="pole_id"), pk=pk)


def enregistrer_pieces():
    consulter = "certification.consulter"
    enregistrer(Rattachable(modele="certification.Evaluation", cle="evaluation", permission=consulter,
                            obtenir=get_evaluation_for_user, ecrire=_gere,
                            url=lambda e: reverse("certification:evaluation", args=[e.pk])))
    enregistrer(Rattachable(modele="certification.Autoevaluation", cle="critere", permission=consulter,
                            obtenir=_autoevaluation, ecrire=_gere,
                            url=lambda a: reverse("certification:critere", args=[a.critere_id])))
    enregistrer(Rattachable(modele="certification.Audit", cle="audit", permission=consulter, obtenir=_audit,
                            ecrire=_gere, url=lambda a: reverse("pieces:liste", args=["audit", a.pk])))
    enregistrer(Rattachable(modele="certification.EPP", cle="epp", permission=consulter, obtenir=_epp,
                            ecrire=_gere, url=lambda e: reverse("pieces:liste", args=["epp", e.pk])))
