from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from qualite.organisation import access, audit
from qualite.outils import parametres
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.revisions import creer_une_fois
from usagers.impact import selectors as sel
from usagers.impact import services
from usagers.impact.access import (
    bientraitance_scope,
    get_bientraitance_for_user,
    get_campagne_impact_for_user,
    membre_repondant,
    peut_saisir_bientraitance,
)
from usagers.impact.forms import (
    CampagneBientraitanceForm,
    CampagneImpactForm,
    ReponsesBientraitanceForm,
    ReponsesImpactForm,
)
from usagers.impact.models import ActionBientraitance, CampagneBientraitance, ReponsesImpact, Temps, ThemeGrille


def _consulter(user):
    if not (access.has_perm(user, "impact.consulter") or access.has_perm(user, "impact.repondre")):
        raise PermissionDenied


# ---- indicators -------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET"])
def indicateurs(request):
    _consulter(request.user)
    annee = parametres.annee(request.GET, min=2000, defaut=timezone.localdate().year)
    donnees = sel.indicateurs_par_representant(request.user, annee)
    return render(request, "usagers/impact/indicateurs.html", {
        **donnees, "annee": annee, "tendances": sel.tendances(sel.etablissements_impact(request.user), annee)})


# ---- impact campaigns -----------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def campagnes(request):
    _consulter(request.user)
    gerer = access.has_perm(request.user, "impact.gerer")
    form = CampagneImpactForm(request.POST or None, user=request.user) if gerer else None
    if request.method == "POST":
        access.exiger(request.user, "impact.gerer")
        if form.is_valid():
            try:
                c, _ = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.campagne_impact_enregistrer(
                    par=request.user, donnees=form.a_ecrire(sauf=("cohorte",)), cohorte=form.cleaned_data["cohorte"]))
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                messages.success(request, f"Campagne « {c} » créée.")
                return redirect("impact:campagne", pk=c.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "usagers/impact/campagnes.html", {
        "campagnes": sel.campagnes_impact(request.user), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def campagne(request, pk):
    _consulter(request.user)
    c = get_campagne_impact_for_user(request.user, pk)
    gerer = access.has_perm(request.user, "impact.gerer") and access.perimetre(request.user, "impact.gerer").contient(c)
    form = CampagneImpactForm(instance=c, user=request.user) if gerer else None
    if request.method == "POST":
        if not gerer:
            raise PermissionDenied
        if temps := parametres.choix(request.POST, "clore", Temps.values):
            services.campagne_impact_clore(campagne=c, temps=temps, par=request.user)
            messages.success(request, f"{Temps(temps).label} close : les réponses ne sont plus modifiables.")
            return redirect("impact:campagne", pk=c.pk)
        form = CampagneImpactForm(request.POST, instance=c, user=request.user)
        if form.is_valid():
            cohorte = form.cleaned_data["cohorte"] if "cohorte" in form.changed_data else None
            try:
                services.campagne_impact_enregistrer(par=request.user, donnees=form.a_ecrire(sauf=("cohorte",)),
                                                     cohorte=cohorte, campagne=c,
                                                     revision=form.cleaned_data.get("revision"))
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                messages.success(request, "Campagne mise à jour.")
                return redirect("impact:campagne", pk=c.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    membre = membre_repondant(request.user, c)
    mes_reponses = {}
    if membre is not None:
        mes_reponses = dict(ReponsesImpact.objects.filter(campagne=c, membre=membre).values_list("temps", "updated_at"))
    repondants = dict(ReponsesImpact.objects.filter(campagne=c).values_list("temps").annotate(n=Count("id")).order_by())
    return render(request, "usagers/impact/campagne.html", {
        "campagne": c, "form": form, "gerer": gerer, "membre": membre, "mes_reponses": mes_reponses,
        "temps": [(t, c.date_de(t), c.close_le(t), c.ouverte(t), repondants.get(t, 0)) for t in Temps],
        "comparaison": sel.comparaison(c), "cohorte": c.cohorte.order_by("nom"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def repondre(request, pk, temps):
    """A representative's own answers at one measure: nobody else reads or writes them here."""
    access.exiger(request.user, "impact.repondre")
    if temps not in Temps.values:
        raise Http404
    c = get_campagne_impact_for_user(request.user, pk)
    membre = membre_repondant(request.user, c)
    if membre is None:
        raise Http404  # not in the cohort: the page does not exist for this account
    reponses = ReponsesImpact.objects.filter(campagne=c, membre=membre, temps=temps).first()
    initiales = dict(reponses.valeurs.values_list("item_id", "valeur")) if reponses else {}
    ouverte = c.ouverte(temps)
    form = ReponsesImpactForm(request.POST or None, grille=c.grille, initiales=initiales,
                              revision=reponses.revision if reponses else None)
    if request.method == "POST":
        if not ouverte:
            messages.error(request, "Cette mesure est close : vos réponses ne sont plus modifiables.")
            return redirect("impact:repondre", pk=c.pk, temps=temps)
        if form.is_valid():
            try:
                enregistrees = services.reponses_impact_enregistrer(
                    campagne=c, membre=membre, temps=temps, valeurs=form.valeurs(), par=request.user,
                    revision=form.cleaned_data.get("revision"))
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                # a named representative's own opinions: each write is traced, like any attributable record
                audit.tracer(request, audit.Action.CREATION if reponses is None else audit.Action.MODIFICATION,
                             enregistrees, etablissement_id=c.etablissement_id, details={"mesure": temps})
                messages.success(request, "Vos réponses sont enregistrées ; vous pouvez les modifier jusqu'à la clôture.")
                return redirect("impact:campagne", pk=c.pk)
        messages.error(request, "Rien n'a été enregistré : répondez à chaque question signalée.")
    return render(request, "usagers/impact/repondre.html", {
        "campagne": c, "temps": Temps(temps), "form": form, "ouverte": ouverte, "membre": membre})


# ---- bientraitance ---------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def bientraitance(request):
    access.exiger(request.user, "bientraitance.voir")
    gerer = access.has_perm(request.user, "bientraitance.gerer")
    form = CampagneBientraitanceForm(request.POST or None, user=request.user,
                                     initial={"annee": timezone.localdate().year}) if gerer else None
    if request.method == "POST":
        access.exiger(request.user, "bientraitance.gerer")
        if form.is_valid():
            try:
                c, _ = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.bientraitance_enregistrer(
                    par=request.user, donnees=form.donnees()))
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                messages.success(request, f"{c} ouverte.")
                return redirect("impact:bientraitance_campagne", pk=c.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    annee = parametres.annee(request.GET, min=2000)
    return render(request, "usagers/impact/bientraitance.html", {
        "form": form, **sel.comparaison_bientraitance(request.user, annee)})


@login_required
@require_http_methods(["GET", "POST"])
def bientraitance_campagne(request, pk):
    access.exiger(request.user, "bientraitance.voir")
    c = get_bientraitance_for_user(request.user, pk)
    saisir = peut_saisir_bientraitance(request.user, c)
    initiales = dict(c.reponses.values_list("item_id", "valeur"))
    form = ReponsesBientraitanceForm(request.POST or None, campagne=c, initiales=initiales) if saisir else None
    if request.method == "POST":
        if not saisir:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.bientraitance_repondre(campagne=c, valeurs=form.valeurs(), par=request.user,
                                                participants=form.cleaned_data["participants"],
                                                revision=form.cleaned_data.get("revision"))
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                messages.success(request, "Auto-évaluation enregistrée.")
                return redirect("impact:bientraitance_campagne", pk=c.pk)
        messages.error(request, "Rien n'a été enregistré : répondez à chaque critère signalé.")
    scores = sel.scores_par_theme([c.pk]).get(c.pk, {})
    actions = {a.theme_id: a.action for a in ActionBientraitance.objects.filter(campagne=c).select_related("action")}
    themes = [{"theme": t, "score": scores.get(t.pk), "faible": scores.get(t.pk) is not None and scores[t.pk] < c.grille.seuil,
               "action": actions.get(t.pk)} for t in c.grille.themes.all()]
    historique = sel.scores_par_theme(list(bientraitance_scope(
        CampagneBientraitance.objects.filter(service=c.service_id, grille=c.grille_id), request.user).values_list("pk", flat=True)))
    annees = dict(CampagneBientraitance.objects.filter(pk__in=list(historique)).values_list("pk", "annee"))
    evolution = [{"theme": t["theme"], "par_annee": sorted((annees[cid], s.get(t["theme"].pk)) for cid, s in historique.items())}
                 for t in themes]
    return render(request, "usagers/impact/bientraitance_campagne.html", {
        "campagne": c, "form": form, "saisir": saisir, "themes": themes, "evolution": evolution})


@login_required
@require_POST
def bientraitance_action(request, pk, theme_pk):
    access.exiger(request.user, "bientraitance.saisir")
    c = access.objet_ou_404(bientraitance_scope(CampagneBientraitance.objects.select_related("service", "grille"),
                                                request.user, "bientraitance.saisir"), pk=pk)
    theme = access.objet_ou_404(ThemeGrille.objects.filter(grille=c.grille_id), pk=theme_pk)
    score = sel.scores_par_theme([c.pk]).get(c.pk, {}).get(theme.pk)
    if score is None or score >= c.grille.seuil:
        messages.error(request, f"Le thème « {theme.titre} » n'est pas un point faible (seuil {c.grille.seuil}/100) : "
                                "aucune action levée.")
        return redirect("impact:bientraitance_campagne", pk=c.pk)
    action, nouvelle = services.bientraitance_ouvrir_action(campagne=c, theme=theme, par=request.user, score=score)
    if nouvelle:
        messages.success(request, f"Action « {action} » ajoutée au programme d'actions du service.")
    else:
        messages.info(request, f"L'action « {action} » était déjà levée pour ce thème.")
    return redirect("impact:bientraitance_campagne", pk=c.pk)
