"""Pages to create and edit the quality registers followed for certification: audits, EPP, processes
with their pilot pair, satisfaction surveys, indicator definitions. Recorded by certification.gerer,
within its établissements; EPP and processes keep the dated history the yearly figures are counted from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from certification import forms as f
from certification import services
from certification.access import certification_scope
from certification.models import EPP, Audit, EnqueteSatisfaction, Indicateur, Processus
from qualite.organisation import access, audit
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.revisions import creer_une_fois


def _processus(user, ecriture):
    return access.perimetre(user, "certification.gerer" if ecriture else "certification.consulter") \
        .filtrer_etablissement(Processus.objects.all())


def _indicateurs(user, ecriture):
    return Indicateur.objects.all()


@dataclass(frozen=True)
class Fiche:
    modele: Any
    formulaire: Any
    nouveau: str  # « Nouvel audit »
    scope: Callable  # (user, ecriture) -> queryset
    retour: str  # where the saved record is listed
    datee: bool = False  # saved through its history service (EPP, process)


FICHES = {
    "audits": Fiche(Audit, f.AuditForm, "Nouvel audit",
                    lambda u, e: certification_scope(Audit.objects.all(), u, ecriture=e), "certification:registres"),
    "epp": Fiche(EPP, f.EPPForm, "Nouvelle EPP",
                 lambda u, e: certification_scope(EPP.objects.all(), u, pole="pole_id", ecriture=e),
                 "certification:registres", datee=True),
    "processus": Fiche(Processus, f.ProcessusForm, "Nouveau processus", _processus, "certification:registres",
                       datee=True),
    "enquetes": Fiche(EnqueteSatisfaction, f.EnqueteForm, "Nouvelle enquête de satisfaction",
                      lambda u, e: certification_scope(EnqueteSatisfaction.objects.all(), u, ecriture=e),
                      "certification:registres"),
    "indicateurs": Fiche(Indicateur, f.IndicateurForm, "Nouvel indicateur", _indicateurs, "certification:indicateurs"),
}


def _enregistrer(fiche: Fiche, form, user, instance):
    sauf = ("changement_le", "etablissement") if instance is not None else ("changement_le",)
    donnees = form.a_ecrire(sauf=sauf)
    revision = form.cleaned_data.get("revision")
    if fiche.modele is EPP:
        return services.epp_enregistrer(par=user, donnees=donnees, epp=instance, revision=revision,
                                        le=form.cleaned_data["changement_le"])
    if fiche.modele is Processus:
        return services.processus_enregistrer(par=user, donnees=donnees, processus=instance, revision=revision,
                                              le=form.cleaned_data["changement_le"])
    return services.registre_enregistrer(modele=fiche.modele, par=user, donnees=donnees, objet=instance,
                                         revision=revision)


@login_required
@require_http_methods(["GET", "POST"])
def registre_form(request, code, pk=None):
    fiche = FICHES.get(code)
    if fiche is None:
        raise Http404
    access.exiger(request.user, "certification.gerer")
    instance = None
    if pk is not None:
        instance = access.objet_ou_404(fiche.scope(request.user, False), pk=pk)
        if not fiche.scope(request.user, True).filter(pk=pk).exists():
            raise PermissionDenied
    form = fiche.formulaire(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                if instance is None:
                    objet, nouveau = creer_une_fois(form.cleaned_data.get("cle_creation"),
                                                    lambda: _enregistrer(fiche, form, request.user, None))
                else:
                    objet, nouveau = _enregistrer(fiche, form, request.user, instance), False
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                if nouveau or instance is not None:
                    audit.tracer(request, audit.Action.CREATION if nouveau else audit.Action.MODIFICATION, objet)
                messages.success(request, f"« {objet} » enregistré.")
                return redirect(reverse(fiche.retour) + ("" if code == "indicateurs" else f"#{code}"))
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    titre = f"Modifier « {instance} »" if instance else fiche.nouveau
    return render(request, "certification/registre_form.html", {
        "form": form, "titre": titre, "retour": reverse(fiche.retour), "historique": _historique(instance)})


def _historique(instance):
    if isinstance(instance, Processus):
        return [(f"du {p.du:%d/%m/%Y}" + (f" au {p.au:%d/%m/%Y}" if p.au else ""),
                 f"{p.pilote_medical or '—'} / {p.pilote_soignant or '—'}")
                for p in instance.periodes.select_related("pilote_medical", "pilote_soignant").order_by("du")]
    if isinstance(instance, EPP):
        return [(f"du {s.du:%d/%m/%Y}" + (f" au {s.au:%d/%m/%Y}" if s.au else ""), s.get_etat_display())
                for s in instance.statuts.order_by("du")]
    return []
