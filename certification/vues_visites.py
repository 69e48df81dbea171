"""Certification visits: the list, a visit's page (findings per criterion, decision, conditions followed
as PAQSS actions). Seen within certification.consulter's établissements; recorded within certification.gerer's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certification import services
from certification.access import exiger_consulter, exiger_gerer, peut_gerer
from certification.forms import ConditionVisiteForm, ConstatVisiteForm, VisiteForm
from certification.models import VisiteCertification
from qualite.organisation import access, audit
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.revisions import creer_une_fois
from qualite.paqss.access import actions_scope


def visites_scope(user):
    return access.perimetre(user, "certification.consulter").filtrer_etablissement(
        VisiteCertification.objects.select_related("etablissement", "referentiel"))


def get_visite_for_user(user, pk) -> VisiteCertification:
    exiger_consulter(user)
    return access.objet_ou_404(visites_scope(user), pk=pk)


@login_required
@require_GET
def visites(request):
    exiger_consulter(request.user)
    qs = visites_scope(request.user).annotate(n_constats=Count("constats", distinct=True),
                                              n_conditions=Count("conditions", distinct=True))
    return render(request, "certification/visites.html", {
        "visites": qs[:200], "gerer": access.has_perm(request.user, "certification.gerer")})


@login_required
@require_http_methods(["GET", "POST"])
def visite_form(request, pk=None):
    if pk is None:
        access.exiger(request.user, "certification.gerer")
        instance = None
    else:
        instance = get_visite_for_user(request.user, pk)
        exiger_gerer(request.user, instance.etablissement_id)
    form = VisiteForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                if instance is None:
                    visite, nouveau = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.visite_enregistrer(
                        par=request.user, donnees=form.a_ecrire()))
                else:
                    visite, nouveau = services.visite_enregistrer(
                        par=request.user, donnees=form.a_ecrire(sauf=("etablissement", "referentiel")), visite=instance,
                        revision=form.cleaned_data.get("revision")), False
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                if nouveau or instance is not None:
                    audit.tracer(request, audit.Action.CREATION if nouveau else audit.Action.MODIFICATION, visite)
                messages.success(request, f"{visite} enregistrée.")
                return redirect("certification:visite", pk=visite.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    titre = f"Modifier la {str(instance).lower()}" if instance else "Nouvelle visite de certification"
    return render(request, "certification/visite_form.html", {"form": form, "titre": titre, "visite": instance})


def _contexte(request, visite, constat_form=None, condition_form=None):
    gerer = peut_gerer(request.user, visite.etablissement_id)
    conditions = visite.conditions.select_related("critere", "action__responsable")
    visibles = set(actions_scope(_actions(visite), request.user).values_list("pk", flat=True))
    return {
        "visite": visite, "gerer": gerer,
        "constats": visite.constats.select_related("critere__objectif__chapitre"),
        "conditions": [(c, c.action_id in visibles) for c in conditions],
        "constat_form": (constat_form or ConstatVisiteForm(visite=visite)) if gerer else None,
        "condition_form": condition_form or (ConditionVisiteForm(visite=visite) if gerer and visite.accepte_conditions
                                             else None),
    }


def _actions(visite):
    from qualite.paqss.selectors import actions_de

    return actions_de(visite)


@login_required
@require_GET
def visite(request, pk):
    v = get_visite_for_user(request.user, pk)
    return render(request, "certification/visite.html", _contexte(request, v))


@login_required
@require_POST
def visite_constat(request, pk):
    v = get_visite_for_user(request.user, pk)
    exiger_gerer(request.user, v.etablissement_id)
    form = ConstatVisiteForm(request.POST, visite=v)
    if form.is_valid():
        try:
            constat = services.visite_constater(visite=v, critere=form.cleaned_data["critere"], par=request.user,
                                                appreciation=form.cleaned_data["appreciation"],
                                                constat=form.cleaned_data["constat"],
                                                revision=form.cleaned_data["revision"])
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, constat)
            messages.success(request, f"Constat enregistré pour le critère {constat.critere.code}.")
            return redirect("certification:visite", pk=v.pk)
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "certification/visite.html", _contexte(request, v, constat_form=form))


@login_required
@require_POST
def visite_condition(request, pk):
    v = get_visite_for_user(request.user, pk)
    exiger_gerer(request.user, v.etablissement_id)
    form = ConditionVisiteForm(request.POST, visite=v)
    if form.is_valid():
        try:
            condition, nouvelle = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.visite_ajouter_condition(
                visite=v, libelle=form.cleaned_data["libelle"], echeance=form.cleaned_data["echeance"],
                critere=form.cleaned_data["critere"], responsable=form.cleaned_data["responsable"], par=request.user))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouvelle:
                audit.tracer(request, audit.Action.CREATION, condition.action)
                messages.success(request, "Condition enregistrée : elle est suivie comme action du programme (PAQSS).")
            else:
                messages.info(request, "Condition déjà enregistrée par ce formulaire.")
            return redirect("certification:visite", pk=v.pk)
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "certification/visite.html", _contexte(request, v, condition_form=form))
