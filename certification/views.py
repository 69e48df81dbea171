from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from certification import importation, services
from certification.access import (
    certification_scope,
    certification_scope_valeurs,
    exiger_consulter,
    exiger_gerer,
    get_critere_for_user,
    get_evaluation_for_user,
    peut_gerer,
)
from certification.forms import ActionDepuisConstatForm, AutoevaluationForm, EvaluationForm, ValeurIndicateurForm
from certification.models import (
    EPP,
    Audit,
    Autoevaluation,
    EnqueteSatisfaction,
    Evaluation,
    Indicateur,
    Processus,
    Referentiel,
    ValeurIndicateur,
)
from qualite.organisation import access, audit
from qualite.outils import parametres
from qualite.outils.exports import FORMATS, reponse_export
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pagination import paginer
from qualite.paqss.access import actions_scope
from qualite.paqss.selectors import actions_de
from qualite.pilotage import charts


@login_required
@require_GET
def referentiel(request):
    exiger_consulter(request.user)
    version = parametres.identifiant(request.GET, "version")
    ref = (access.objet_ou_404(Referentiel.objects.all(), pk=version) if version is not None
           else Referentiel.objects.filter(actif=True).first())
    criteres = []
    if ref:
        criteres = ref.criteres.select_related("objectif__chapitre").annotate(n_evaluations=Count("evaluations"))
    return render(request, "certification/referentiel.html", {
        "referentiel": ref, "criteres": criteres, "autres": Referentiel.objects.exclude(pk=ref.pk if ref else None),
        "importer": access.has_perm(request.user, "certification.gerer"),
    })


def _contexte_critere(request, critere, form=None):
    autos = (access.perimetre(request.user, "certification.consulter")
             .filtrer_etablissement(Autoevaluation.objects.filter(critere=critere))
             .select_related("etablissement").prefetch_related("actions", "evaluations"))
    gerer = access.has_perm(request.user, "certification.gerer")
    return {"critere": critere, "autos": autos, "gerer": gerer,
            "form": (form or AutoevaluationForm(user=request.user)) if gerer else None,
            "evaluations": certification_scope(critere.evaluations.select_related("etablissement"), request.user)}


@login_required
@require_http_methods(["GET", "POST"])
def critere(request, pk):
    critere = get_critere_for_user(request.user, pk)
    if request.method == "GET":
        return render(request, "certification/critere.html", _contexte_critere(request, critere))
    access.exiger(request.user, "certification.gerer")
    form = AutoevaluationForm(request.POST, user=request.user)
    if form.is_valid():
        exiger_gerer(request.user, form.cleaned_data["etablissement"].pk)
        try:
            auto = services.autoevaluation_enregistrer(
                critere=critere, etablissement_id=form.cleaned_data["etablissement"].pk, par=request.user,
                niveau=form.cleaned_data["niveau"], commentaire=form.cleaned_data["commentaire"],
                actions=form.cleaned_data["actions"], evaluations=form.cleaned_data["evaluations"])
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, auto)
            messages.success(request, "Auto-évaluation enregistrée.")
            return redirect("certification:critere", pk=critere.pk)
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "certification/critere.html", _contexte_critere(request, critere, form))


@login_required
@require_http_methods(["GET", "POST"])
def evaluations(request):
    exiger_consulter(request.user)
    gerer = access.has_perm(request.user, "certification.gerer")
    form = EvaluationForm(request.POST or None, user=request.user) if gerer else None
    if request.method == "POST":
        access.exiger(request.user, "certification.gerer")
        if form.is_valid():
            ev = form.save(commit=False)
            ev.created_by = request.user
            ev.save()
            form.save_m2m()
            messages.success(request, f"{ev} enregistrée.")
            return redirect("certification:evaluation", pk=ev.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    qs = certification_scope(Evaluation.objects.select_related("etablissement", "service"), request.user)
    qs = qs.annotate(n_criteres=Count("criteres", distinct=True)).order_by("-date", "-id")
    page = paginer(request, qs, 50)
    return render(request, "certification/evaluations.html", {"page": page, "form": form})


def _contexte_evaluation(request, ev, action_form=None):
    gerer = peut_gerer(request.user, ev.etablissement_id)
    return {"ev": ev, "gerer": gerer, "actions": actions_scope(actions_de(ev), request.user),
            "action_form": (action_form or ActionDepuisConstatForm()) if gerer else None}


@login_required
@require_GET
def evaluation(request, pk):
    ev = get_evaluation_for_user(request.user, pk)
    return render(request, "certification/evaluation.html", _contexte_evaluation(request, ev))


@login_required
@require_POST
def evaluation_action(request, pk):
    ev = get_evaluation_for_user(request.user, pk)
    exiger_gerer(request.user, ev.etablissement_id)
    form = ActionDepuisConstatForm(request.POST)
    if form.is_valid():
        try:
            action = services.evaluation_creer_action(evaluation=ev, par=request.user, titre=form.cleaned_data["titre"],
                                                      echeance=form.cleaned_data["echeance"])
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.CREATION, action)
            messages.success(request, "Action ajoutée au programme d'actions (PAQSS).")
            return redirect("certification:evaluation", pk=ev.pk)
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "certification/evaluation.html", _contexte_evaluation(request, ev, form))


@login_required
@require_GET
def registres(request):
    exiger_consulter(request.user)
    u = request.user
    return render(request, "certification/registres.html", {
        "audits": certification_scope(Audit.objects.select_related("etablissement", "service"), u)[:200],
        "epps": certification_scope(EPP.objects.select_related("etablissement", "pole"), u, pole="pole_id")[:200],
        "processus": access.perimetre(u, "certification.consulter").filtrer_etablissement(
            Processus.objects.select_related("etablissement", "pilote_medical", "pilote_soignant"))[:200],
        "enquetes": certification_scope(EnqueteSatisfaction.objects.select_related("etablissement", "service"), u)[:200],
        "gerer": access.has_perm(u, "certification.gerer"),
    })


@login_required
@require_GET
def indicateurs(request):
    exiger_consulter(request.user)
    gerer = access.has_perm(request.user, "certification.gerer")
    return render(request, "certification/indicateurs.html", {
        "indicateurs": Indicateur.objects.all() if gerer else Indicateur.objects.filter(actif=True), "gerer": gerer})


@login_required
@require_http_methods(["GET", "POST"])
def indicateur(request, pk):
    exiger_consulter(request.user)
    ind = access.objet_ou_404(Indicateur.objects.all(), pk=pk)
    saisir = access.has_perm(request.user, "indicateurs.saisir")
    form = None
    if request.method == "POST":
        access.exiger(request.user, "indicateurs.saisir")
        form = ValeurIndicateurForm(request.POST, user=request.user, instance=ValeurIndicateur(indicateur=ind))
        if form.is_valid():
            try:
                valeur = services.valeur_indicateur_enregistrer(par=request.user, indicateur=ind,
                                                                donnees=form.cleaned_data)
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.CREATION, valeur)
                messages.success(request, "Valeur enregistrée.")
                return redirect("certification:indicateur", pk=ind.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    elif saisir:
        form = ValeurIndicateurForm(user=request.user)
    valeurs = certification_scope_valeurs(ind.valeurs.select_related("etablissement", "service"), request.user)
    series: dict[str, list] = {}
    for v in valeurs.order_by("etablissement__nom", "service__nom", "periode"):
        nom = v.etablissement.nom + (f" — {v.service.nom}" if v.service_id else "")
        series.setdefault(nom, []).append(v)
    graphes = []
    for nom, serie in series.items():
        etiquettes = [f"{v.periode:%m/%Y}" for v in serie]
        nombres = [float(v.valeur) for v in serie]
        titre = f"{ind.libelle} — {nom}"
        graphes.append({"etablissement": nom, "svg": charts.courbe(
            titre=titre, etiquettes=etiquettes, valeurs=nombres, unite=ind.unite,
            cible=float(ind.cible) if ind.cible is not None else None),
            "tableau": charts.tableau_donnees(titre=titre, etiquettes=etiquettes, valeurs=nombres, unite=ind.unite)})
    return render(request, "certification/indicateur.html",
                  {"ind": ind, "graphes": graphes, "form": form})



# Exports with exactly the import columns: the file re-imports unchanged.
EXPORTS = {
    "audits": (importation.AUDITS, "audits", lambda u: certification_scope(Audit.objects.all(), u)),
    "epp": (importation.EPPS, "epp", lambda u: certification_scope(EPP.objects.all(), u, pole="pole_id")),
    "evaluations": (importation.EVALUATIONS, "evaluations", lambda u: certification_scope(Evaluation.objects.all(), u)),
    "processus": (importation.PROCESSUS, "processus", lambda u: access.perimetre(u, "certification.consulter")
                  .filtrer_etablissement(Processus.objects.all())),
    "enquetes": (importation.ENQUETES, "enquetes", lambda u: certification_scope(EnqueteSatisfaction.objects.all(), u)),
    "indicateurs": (importation.INDICATEURS, "indicateurs", lambda u: Indicateur.objects.all()),
}


@login_required
@require_GET
def exporter(request, code):
    exiger_consulter(request.user)
    fmt = request.GET.get("format", "csv")
    if code not in EXPORTS or fmt not in FORMATS:
        raise Http404
    registre, nom, perimetre = EXPORTS[code]
    qs = perimetre(request.user).order_by("pk")
    audit.tracer(request, audit.Action.EXPORT, details={"registre": registre.code, "format": fmt, "lignes": qs.count()})
    return reponse_export(fmt, nom, registre.noms, registre.lignes_export(qs))
