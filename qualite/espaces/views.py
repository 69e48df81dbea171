"""Pages of the meeting spaces: thin — fetch through espaces/access.py, bind the form, call the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualite.espaces import access as espaces_access
from qualite.espaces import selectors, services, sources
from qualite.espaces.forms import (
    AnnulerForm,
    CompteRenduForm,
    DecisionForm,
    ElementForm,
    EspaceForm,
    PlanifierForm,
    SuccesForm,
)
from qualite.espaces.models import EspaceEchanges
from qualite.organisation import access, audit
from qualite.outils import parametres
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pdf import render_pdf
from qualite.outils.revisions import creer_une_fois

ERREUR = "Rien n'a été enregistré : corrigez les champs signalés."


@login_required
@require_GET
def liste(request):
    espaces_access.exiger_voir(request.user)
    return render(request, "qualite/espaces/liste.html", {
        "espaces": selectors.espaces_liste(request.user), "gerer": access.has_perm(request.user, "espaces.gerer")})


def _etablissements_geres(user):
    perimetre = access.perimetre(user, "espaces.gerer")
    if perimetre.vide:
        raise PermissionDenied
    return perimetre.etablissements


@login_required
@require_http_methods(["GET", "POST"])
def nouveau(request):
    access.exiger(request.user, "espaces.gerer")
    form = EspaceForm(request.POST or None, etablissements=_etablissements_geres(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            espace, cree = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.espace_enregistrer(
                par=request.user, donnees=form.a_ecrire(sauf=("services", "membres")),
                services=list(form.cleaned_data["services"]), membres=list(form.cleaned_data["membres"])))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if cree:
                audit.tracer(request, audit.Action.CREATION, espace)
            messages.success(request, f"Espace d'échanges « {espace.nom} » créé.")
            return redirect("espaces:detail", pk=espace.pk)
    if request.method == "POST":
        messages.error(request, ERREUR)
    return render(request, "qualite/espaces/formulaire.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, pk):
    espace = espaces_access.espace_a_gerer(request.user, pk)
    form = EspaceForm(request.POST or None, instance=espace, etablissements=[espace.etablissement_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.espace_enregistrer(
                par=request.user, donnees=form.a_ecrire(sauf=("services", "membres", "etablissement")),
                services=list(form.cleaned_data["services"]), membres=list(form.cleaned_data["membres"]),
                espace=espace, revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, espace)
            messages.success(request, "Espace d'échanges modifié.")
            return redirect("espaces:detail", pk=espace.pk)
    if request.method == "POST":
        messages.error(request, ERREUR)
    return render(request, "qualite/espaces/formulaire.html", {"form": form, "espace": espace})


def _annee(request) -> int:
    return parametres.annee(request.GET, defaut=timezone.localdate().year)


@login_required
@require_GET
def detail(request, pk):
    espace = espaces_access.get_espace_for_user(request.user, pk)
    annee = _annee(request)
    return render(request, "qualite/espaces/detail.html", {
        "espace": espace, "annee": annee, "reunions": selectors.reunions_de(espace, annee),
        "prochaine": selectors.prochaine_reunion(espace), "succes": espace.succes.all()[:20],
        "services": espace.services.all(), "membres": espace.membres.all(),
        "animer": espaces_access.peut_animer(request.user, espace),
        "gerer": espaces_access.peut_gerer(request.user, espace),
        "planifier_form": PlanifierForm(), "succes_form": SuccesForm(initial={"date": timezone.localdate()})})


@login_required
@require_http_methods(["GET", "POST"])
def planifier(request, pk):
    espace = espaces_access.espace_a_animer(request.user, pk)
    form = PlanifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reunions = services.reunions_planifier(espace=espace, dates=form.dates(), par=request.user)
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, espace,
                         details={"reunions_planifiees": [f"{r.date:%d/%m/%Y}" for r in reunions]})
            messages.success(request, f"{len(reunions)} réunion(s) planifiée(s).")
            return redirect("espaces:detail", pk=espace.pk)
    if request.method == "POST":
        messages.error(request, ERREUR)
    return render(request, "qualite/espaces/planifier.html", {"espace": espace, "form": form})


@login_required
@require_POST
def succes_ajouter(request, pk):
    espace = espaces_access.espace_a_animer(request.user, pk)
    form = SuccesForm(request.POST)
    if form.is_valid():
        succes = services.succes_enregistrer(espace=espace, par=request.user, **form.cleaned_data)
        audit.tracer(request, audit.Action.CREATION, succes, etablissement_id=espace.etablissement_id)
        messages.success(request, "Succès enregistré : il figurera à l'ordre du jour de la prochaine réunion.")
    else:
        messages.error(request, "Succès non enregistré : " + " ".join(
            f"{form.fields[c].label if c in form.fields else ''} : {' '.join(e)}" for c, e in form.errors.items()))
    return redirect("espaces:detail", pk=espace.pk)


def _contexte_reunion(request, reunion, **formulaires):
    espace = reunion.espace
    animer = espaces_access.peut_animer(request.user, reunion.espace)
    elements = list(selectors.elements_de(reunion))
    for e in elements:
        e.source_libelle = sources.libelle(e.source)
    du, au = services.periode_de(reunion)
    contexte = {
        "reunion": reunion, "espace": espace, "animer": animer and reunion.modifiable, "du": du, "au": au,
        "elements": [e for e in elements if not e.retire_le], "retires": [e for e in elements if e.retire_le],
        "presences": selectors.presences_de(reunion), "decisions": selectors.decisions_de(reunion),
        "peut_action": animer and reunion.statut != reunion.Statut.ANNULEE,
    }
    if contexte["animer"]:
        contexte["element_form"] = formulaires.get("element_form") or ElementForm()
        contexte["decision_form"] = formulaires.get("decision_form") or DecisionForm(espace=espace)
    return contexte


@login_required
@require_GET
def reunion(request, pk):
    r = espaces_access.get_reunion_for_user(request.user, pk)
    audit.tracer(request, audit.Action.LECTURE, r)
    return render(request, "qualite/espaces/reunion.html", _contexte_reunion(request, r))


@login_required
@require_POST
def ordre_du_jour(request, pk):
    r = espaces_access.reunion_a_animer(request.user, pk)
    try:
        n = services.ordre_du_jour_construire(reunion=r, par=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.tracer(request, audit.Action.MODIFICATION, r, details={"points_ajoutes": n})
        messages.success(request, f"Ordre du jour actualisé : {n} point(s) ajouté(s) depuis les registres.")
    return redirect("espaces:reunion", pk=r.pk)


def _ajouter_a_la_reunion(request, pk, formulaire, cle_formulaire, enregistrer, succes):
    """A point or a decision added from the meeting's page: saved and back to it, or the page again with
    the error under the field (400), nothing saved."""
    r = espaces_access.reunion_a_animer(request.user, pk)
    form = formulaire(request.POST, r.espace)
    if form.is_valid():
        try:
            objet = enregistrer(reunion=r, par=request.user, **form.cleaned_data)
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, r, details={cle_formulaire: str(objet)[:200]})
            messages.success(request, succes)
            return redirect("espaces:reunion", pk=r.pk)
    messages.error(request, ERREUR)
    return render(request, "qualite/espaces/reunion.html",
                  _contexte_reunion(request, r, **{f"{cle_formulaire}_form": form}), status=400)


@login_required
@require_POST
def element_ajouter(request, pk):
    return _ajouter_a_la_reunion(request, pk, lambda donnees, espace: ElementForm(donnees), "element",
                                 services.element_ajouter, "Point ajouté à l'ordre du jour.")


@login_required
@require_POST
def element_retirer(request, pk):
    element = espaces_access.element_a_animer(request.user, pk)
    retablir = request.POST.get("retablir") == "1"
    try:
        services.element_retirer(element=element, par=request.user, retablir=retablir)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.tracer(request, audit.Action.MODIFICATION, element.reunion,
                     details={"point_retabli" if retablir else "point_retire": element.titre})
        messages.success(request, "Point rétabli." if retablir else "Point retiré de l'ordre du jour.")
    return redirect("espaces:reunion", pk=element.reunion_id)


def _membres(espace):
    vus, membres = set(), []
    for u in [espace.binome_medecin, espace.binome_cadre, *espace.membres.order_by("last_name", "first_name")]:
        if u.pk not in vus:
            vus.add(u.pk)
            membres.append(u)
    return membres


@login_required
@require_http_methods(["GET", "POST"])
def compte_rendu(request, pk):
    r = espaces_access.reunion_a_animer(request.user, pk)
    if not r.modifiable:
        messages.info(request, "Ce compte rendu n'est plus modifiable.")
        return redirect("espaces:reunion", pk=r.pk)
    form = CompteRenduForm(request.POST or None, instance=r, membres=_membres(r.espace))
    if request.method == "POST" and form.is_valid():
        try:
            services.compte_rendu_enregistrer(
                reunion=r, par=request.user, compte_rendu=form.cleaned_data["compte_rendu"],
                presences=form.presences(), valider=form.cleaned_data["valider"],
                revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, r,
                         details={"compte_rendu_valide": form.cleaned_data["valider"]})
            messages.success(request, "Compte rendu validé : la réunion est tenue." if form.cleaned_data["valider"]
                             else "Compte rendu enregistré.")
            return redirect("espaces:reunion", pk=r.pk)
    if request.method == "POST":
        messages.error(request, ERREUR)
    return render(request, "qualite/espaces/compte_rendu.html", {"reunion": r, "espace": r.espace, "form": form})


@login_required
@require_POST
def reunion_annuler(request, pk):
    r = espaces_access.reunion_a_animer(request.user, pk)
    form = AnnulerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"motif_annulation": "Indiquez le motif de l'annulation."})
        services.reunion_annuler(reunion=r, motif=form.cleaned_data["motif_annulation"], par=request.user)
    except ValidationError as exc:
        messages.error(request, "Réunion non annulée : " + " ".join(exc.messages))
    else:
        audit.tracer(request, audit.Action.MODIFICATION, r, details={"annulee": form.cleaned_data["motif_annulation"]})
        messages.success(request, "Réunion annulée.")
    return redirect("espaces:reunion", pk=r.pk)


@login_required
@require_POST
def decision_ajouter(request, pk):
    return _ajouter_a_la_reunion(request, pk, lambda donnees, espace: DecisionForm(donnees, espace=espace),
                                 "decision", services.decision_ajouter, "Décision enregistrée.")


@login_required
@require_POST
def decision_action(request, pk):
    decision = espaces_access.decision_a_animer(request.user, pk)
    if decision.reunion.statut == decision.reunion.Statut.ANNULEE:
        messages.error(request, "Cette réunion est annulée.")
        return redirect("espaces:reunion", pk=decision.reunion_id)
    action, creee = services.decision_ouvrir_action(decision=decision, par=request.user)
    if creee:
        audit.tracer(request, audit.Action.CREATION, action)
        messages.success(request, f"Action n° {action.pk} ouverte dans le plan d'actions du service.")
    else:
        messages.info(request, f"Cette décision est déjà l'action n° {action.pk}.")
    return redirect("espaces:reunion", pk=decision.reunion_id)


@login_required
@require_GET
def reunion_pdf(request, pk):
    r = espaces_access.get_reunion_for_user(request.user, pk)
    contexte = _contexte_reunion(request, r)
    contexte["genere_le"] = timezone.now()
    pdf = render_pdf("qualite/espaces/pdf/compte_rendu.html", contexte)
    audit.tracer(request, audit.Action.EXPORT, r, details={"format": "pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="compte-rendu-{r.date:%Y-%m-%d}.pdf"'
    return response


def contexte_bilan(*, espace: EspaceEchanges, annee: int, user) -> dict:
    from qualite.pilotage import charts

    chiffres = selectors.bilan(espace=espace, annee=annee, user=user)
    etiquettes = [f"{r['date']:%d/%m}" for r in chiffres["par_reunion"]]
    graphique = charts.barres(titre=f"Présents par réunion tenue en {annee}", etiquettes=etiquettes,
                              valeurs=[r["presents"] for r in chiffres["par_reunion"]]) if etiquettes else None
    return {"espace": espace, "bilan": chiffres, "annee": annee, "graphique": graphique,
            "services": espace.services.all(), "genere_le": timezone.now()}


@login_required
@require_GET
def bilan(request, pk):
    espace = espaces_access.get_espace_for_user(request.user, pk)
    contexte = contexte_bilan(espace=espace, annee=_annee(request), user=request.user)
    if request.GET.get("format") == "pdf":
        pdf = render_pdf("qualite/espaces/pdf/bilan.html", contexte)
        audit.tracer(request, audit.Action.EXPORT, espace, details={"bilan": contexte["annee"], "format": "pdf"})
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="bilan-espace-{espace.pk}-{contexte["annee"]}.pdf"'
        return response
    return render(request, "qualite/espaces/bilan.html", contexte)
