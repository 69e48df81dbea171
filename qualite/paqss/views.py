"""PAQSS pages: the programme, one action, one pôle's action plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from qualite.echeances.moteur import echeances_de
from qualite.organisation import access, audit
from qualite.outils import parametres
from qualite.outils.cache_pages import page_en_cache
from qualite.outils.exports import FORMATS, reponse_export
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pagination import paginer
from qualite.paqss import selectors, services
from qualite.paqss.access import exiger_programme, get_action_for_user, get_pole_for_user, peut_gerer_action
from qualite.paqss.filters import TABLEAU
from qualite.paqss.forms import ActionForm, ActionStatutForm
from qualite.paqss.importation import REGISTRE
from qualite.paqss.models import ActionAmelioration
from qualite.pilotage import charts

Statut = ActionAmelioration.Statut




@login_required
@require_GET
@page_en_cache()
def programme(request):
    exiger_programme(request.user)
    filtre = selectors.actions_liste(request.user, request.GET)
    fmt = parametres.choix(request.GET, "export", FORMATS)
    if fmt in FORMATS:
        return _exporter(request, filtre, fmt)
    page = paginer(request, filtre.qs, 50)
    return render(request, "qualite/paqss/programme.html", {"filtre": filtre, "page": page,
                                                            "entetes": TABLEAU.entetes(request)})


def _exporter(request, filtre, fmt):
    """The import columns: the file re-imports unchanged."""
    qs = filtre.qs
    audit.tracer(request, audit.Action.EXPORT, details={"registre": "paqss", "format": fmt,
                                                       "filtres": request.GET.dict(), "lignes": qs.count()})
    return reponse_export(fmt, "programme-actions-paqss", REGISTRE.noms, REGISTRE.lignes_export(qs))


def _source(action):
    """(label, url) of the record the action came from; the url only if that record has a page."""
    if action.source_type_id is None:
        return None
    objet = action.source
    if objet is None:
        return {"libelle": f"{action.source_type.name} n° {action.source_id} (supprimé)", "url": ""}
    url = objet.get_absolute_url() if hasattr(objet, "get_absolute_url") else ""
    return {"libelle": str(objet), "url": url}


def _contexte(request, action, form=None, statut_form=None):
    gerer = peut_gerer_action(request.user, action)
    contexte = {"action": action, "gerer": gerer, "source": _source(action), "echeances": echeances_de(action)}
    if gerer:
        contexte["form"] = form or ActionForm(instance=action)
        if action.transitions_possibles():
            contexte["statut_form"] = statut_form or ActionStatutForm(action=action)
    return contexte


@login_required
@require_GET
def action_detail(request, pk):
    action = get_action_for_user(request.user, pk)
    return render(request, "qualite/paqss/action.html", _contexte(request, action))


def _action_geree(request, pk) -> ActionAmelioration:
    action = get_action_for_user(request.user, pk)
    if not peut_gerer_action(request.user, action):
        raise PermissionDenied
    return action


def _echec(request, action, **forms):
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    action = get_action_for_user(request.user, action.pk)
    return render(request, "qualite/paqss/action.html", _contexte(request, action, **forms))


@login_required
@require_POST
def action_modifier(request, pk):
    action = _action_geree(request, pk)
    form = ActionForm(request.POST, instance=ActionAmelioration.objects.get(pk=action.pk))
    if form.is_valid():
        try:
            services.action_modifier(action=action, par=request.user, donnees=form.modifications(),
                                     revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, action)
            messages.success(request, "Action enregistrée.")
            return redirect("qualite:action_detail", pk=action.pk)
    return _echec(request, action, form=form)


@login_required
@require_POST
def action_statut(request, pk):
    action = _action_geree(request, pk)
    form = ActionStatutForm(request.POST, action=action)
    if form.is_valid():
        try:
            services.action_changer_statut(action=action, par=request.user, vers=form.cleaned_data["vers"],
                                           motif=form.cleaned_data["motif"])
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, action, details={"statut": form.cleaned_data["vers"]})
            messages.success(request, "Statut de l'action mis à jour.")
            return redirect("qualite:action_detail", pk=action.pk)
    return _echec(request, action, statut_form=form)


@login_required
@require_GET
def mon_pole(request):
    exiger_programme(request.user)
    if not request.user.pole_id:
        raise Http404
    return redirect("qualite:plan_pole", pk=request.user.pole_id)


@login_required
@require_GET
def plan_pole(request, pk):
    pole = get_pole_for_user(request.user, pk)
    comptes = selectors.plan_pole(pole, request.user)
    etiquettes = [s.label for s in Statut] + ["dont en retard"]
    valeurs = [comptes[s.value] for s in Statut] + [comptes["en_retard"]]
    titre = f"Actions du pôle {pole.nom} par statut"
    filtre = selectors.actions_liste(request.user, {"pole": pole.pk})
    return render(request, "qualite/paqss/plan_pole.html", {
        "pole": pole,
        "comptes": comptes,
        "lignes": list(zip(etiquettes, valeurs, strict=True)),
        "svg": charts.barres(titre=titre, etiquettes=etiquettes, valeurs=valeurs),
        "tableau": charts.tableau_donnees(titre=titre, etiquettes=etiquettes, valeurs=valeurs,
                                          entetes=("Statut", "Actions")),
        "actions": filtre.qs[:200],
        "gerer": access.has_perm(request.user, "paqss.gerer"),
    })
