"""Pages of the risk map: register, risk, scoring, links, heat map and its PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualite.organisation import access, audit
from qualite.outils import parametres
from qualite.outils.cache_pages import page_en_cache
from qualite.outils.exports import FORMATS, reponse_export
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pagination import paginer
from qualite.outils.pdf import render_pdf
from qualite.outils.revisions import creer_une_fois
from qualite.paqss.access import actions_scope
from qualite.paqss.models import ActionAmelioration
from qualite.pilotage import charts
from qualite.risques import domaines, selectors, services
from qualite.risques.access import (
    etablissements_modifiables,
    exiger_voir,
    get_risque_for_user,
    get_risque_modifiable,
    peut_modifier,
)
from qualite.risques.carte import carte_chaleur
from qualite.risques.filters import TABLEAU
from qualite.risques.forms import (
    ActionDepuisRisqueForm,
    CotationForm,
    DecisionForm,
    FamilleForm,
    LierActionForm,
    LierEvenementForm,
    RisqueForm,
)
from qualite.risques.importation import REGISTRE
from qualite.risques.models import ZONES, Echelle, FamilleRisque, NiveauEchelle, ReglagesRisques, RisqueEvenement


@login_required
@require_GET
@page_en_cache()
def liste(request):
    exiger_voir(request.user)
    filtre = selectors.risques_liste(request.user, request.GET)
    fmt = parametres.choix(request.GET, "export", FORMATS)
    if fmt in FORMATS:
        qs = filtre.qs
        audit.tracer(request, audit.Action.EXPORT, details={"registre": "risques", "format": fmt,
                                                           "filtres": request.GET.dict(), "lignes": qs.count()})
        return reponse_export(fmt, "cartographie-des-risques", REGISTRE.noms, REGISTRE.lignes_export(qs))
    page = paginer(request, filtre.qs, 50)
    selectors.marquer(page, filtre.reglages)
    entetes = TABLEAU.entetes(request)
    entetes[-1]["libelle"] = f"Évènements ({filtre.reglages.alerte_mois} mois)"
    return render(request, "qualite/risques/liste.html", {
        "filtre": filtre, "page": page, "zones": ZONES, "entetes": entetes,
        "modifier": bool(etablissements_modifiables(request.user)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def risque_form(request, pk=None):
    if pk is None:
        access.exiger(request.user, "risques.modifier")
        instance = None
    else:
        instance = get_risque_modifiable(request.user, pk)
    etabs = etablissements_modifiables(request.user)
    form = RisqueForm(request.POST or None, instance=instance, etablissements=etabs)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                risque, nouveau = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.risque_enregistrer(
                    par=request.user, donnees=form.a_ecrire()))
            else:
                risque, nouveau = services.risque_enregistrer(
                    par=request.user, donnees=form.a_ecrire(sauf=("etablissement",)), risque=instance,
                    revision=form.cleaned_data.get("revision")), False
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouveau or instance is not None:
                audit.tracer(request, audit.Action.CREATION if nouveau else audit.Action.MODIFICATION, risque)
            messages.success(request, f"Risque « {risque} » enregistré.")
            return redirect("risques:detail", pk=risque.pk)
    titre = f"Modifier le risque {instance.reference}" if instance else "Nouveau risque"
    return render(request, "qualite/risques/formulaire.html", {"form": form, "titre": titre, "risque": instance})


def _echelles() -> dict:
    par_echelle = {e: [] for e in Echelle.values}
    for n in NiveauEchelle.objects.all():
        par_echelle[n.echelle].append(n)
    return {"frequence": par_echelle[Echelle.FREQUENCE], "gravite": par_echelle[Echelle.GRAVITE],
            "maitrise": par_echelle[Echelle.MAITRISE]}


def _contexte_detail(request, risque, **forms):
    reglages = ReglagesRisques.courants()
    modifier = peut_modifier(request.user, risque)
    cotations = list(risque.cotations.select_related("created_by").order_by("-date", "-id"))
    for c in cotations:
        c.zone = reglages.zone(c.criticite_residuelle)
    actuelle = cotations[0] if cotations else None
    par = parametres.choix(request.GET, "par", ("mois", "trimestre"), defaut="mois")
    etiquettes, valeurs = selectors.evenements_par_periode(risque, par=par, periodes=12 if par == "mois" else 8)
    titre_graphe = f"Évènements confirmés par {'mois' if par == 'mois' else 'trimestre'}"
    risque.derniere_criticite_residuelle = actuelle.criticite_residuelle if actuelle else None
    risque.evenements_recents = selectors.avec_evenements_recents(
        type(risque).objects.filter(pk=risque.pk), reglages).values_list("evenements_recents", flat=True).first() or 0
    liens = list(selectors.evenements_du_risque(risque, request.user))
    actions = actions_scope(ActionAmelioration.objects.filter(
        pk__in=risque.liens_actions.values("action_id")).select_related("responsable"), request.user)
    contexte = {
        "risque": risque, "modifier": modifier, "cotations": cotations, "actuelle": actuelle,
        "zone": reglages.zone(actuelle.criticite_residuelle) if actuelle else None,
        "zone_libelle": ZONES.get(reglages.zone(actuelle.criticite_residuelle)) if actuelle else "",
        "signale": selectors.signaler(risque, reglages), "reglages": reglages,
        "confirmes": [lien for lien in liens if lien.statut == RisqueEvenement.Statut.CONFIRME],
        "suggeres": [lien for lien in liens if lien.statut == RisqueEvenement.Statut.SUGGERE],
        "actions": actions, "par": par,
        "svg": charts.barres(titre=titre_graphe, etiquettes=etiquettes, valeurs=valeurs, couleur="#b02a37"),
        "tableau": charts.tableau_donnees(titre=titre_graphe, etiquettes=etiquettes, valeurs=valeurs,
                                          entetes=("Période", "Évènements")),
    }
    if modifier:
        contexte["action_form"] = forms.get("action_form") or ActionDepuisRisqueForm()
        contexte["lier_action_form"] = forms.get("lier_action_form") or LierActionForm()
        contexte["lier_evenement_form"] = forms.get("lier_evenement_form") or LierEvenementForm()
    return contexte


@login_required
@require_GET
def detail(request, pk):
    risque = get_risque_for_user(request.user, pk)
    return render(request, "qualite/risques/detail.html", _contexte_detail(request, risque))


def _echec(request, risque, **forms):
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "qualite/risques/detail.html", _contexte_detail(request, risque, **forms))


@login_required
@require_http_methods(["GET", "POST"])
def coter(request, pk):
    risque = get_risque_modifiable(request.user, pk)
    form = CotationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cotation, nouveau = creer_une_fois(d.get("cle_creation"), lambda: services.risque_coter(
                risque=risque, par=request.user, date=d["date"], frequence=d["frequence"], gravite=d["gravite"],
                maitrise=d["maitrise"], commentaire=d["commentaire"]))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouveau:
                audit.tracer(request, audit.Action.MODIFICATION, risque, details={"cotation": cotation.pk})
            messages.success(request, f"Cotation du {cotation.date:%d/%m/%Y} enregistrée ; les précédentes restent "
                                      "dans l'historique.")
            return redirect("risques:detail", pk=risque.pk)
    derniere = services.derniere_cotation(risque)
    if derniere and not form.is_bound:
        form.initial.update(frequence=derniere.frequence, gravite=derniere.gravite, maitrise=derniere.maitrise)
    return render(request, "qualite/risques/coter.html", {"form": form, "risque": risque, "derniere": derniere,
                                                          "echelles": _echelles()})


@login_required
@require_POST
def action_ajouter(request, pk):
    risque = get_risque_modifiable(request.user, pk)
    form = ActionDepuisRisqueForm(request.POST)
    if not form.is_valid():
        return _echec(request, risque, action_form=form)
    try:
        action, nouvelle = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.risque_action_creer(
            risque=risque, par=request.user, titre=form.cleaned_data["titre"], echeance=form.cleaned_data["echeance"]))
    except ValidationError as exc:
        erreurs_vers_formulaire(form, exc)
        return _echec(request, risque, action_form=form)
    if nouvelle:
        audit.tracer(request, audit.Action.CREATION, action, details={"risque": risque.pk})
        messages.success(request, "Action ajoutée au programme d'actions et rattachée au risque.")
    else:
        messages.info(request, f"Action n° {action.pk} déjà ajoutée par ce formulaire.")
    return redirect("risques:detail", pk=risque.pk)


@login_required
@require_POST
def action_lier(request, pk):
    risque = get_risque_modifiable(request.user, pk)
    form = LierActionForm(request.POST)
    if form.is_valid():
        action = actions_scope(ActionAmelioration.objects.all(), request.user).filter(
            pk=form.cleaned_data["action"]).first()
        if action is None:
            form.add_error("action", "Aucune action de ce numéro dans votre périmètre.")
        else:
            try:
                services.risque_action_lier(risque=risque, par=request.user, action=action)
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.MODIFICATION, risque, details={"action": action.pk})
                messages.success(request, f"Action n° {action.pk} rattachée au risque.")
                return redirect("risques:detail", pk=risque.pk)
    return _echec(request, risque, lier_action_form=form)


@login_required
@require_POST
def evenement_lier(request, pk):
    risque = get_risque_modifiable(request.user, pk)
    form = LierEvenementForm(request.POST)
    if form.is_valid():
        visibles = domaines.evenements_visibles(domaines.Evenement().objects.all(), request.user)
        ev = visibles.filter(reference=form.cleaned_data["reference"].strip().upper()).first()
        if ev is None:
            form.add_error("reference", "Aucun évènement de cette référence parmi ceux que vous voyez.")
        else:
            try:
                services.evenement_lier(risque=risque, par=request.user, evenement=ev)
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.MODIFICATION, risque, details={"evenement": ev.pk})
                messages.success(request, f"Évènement {ev.reference} rattaché au risque.")
                return redirect("risques:detail", pk=risque.pk)
    return _echec(request, risque, lier_evenement_form=form)


@login_required
@require_POST
def evenement_decider(request, pk, lien_pk):
    risque = get_risque_modifiable(request.user, pk)
    visibles = domaines.evenements_visibles(domaines.Evenement().objects.all(), request.user)
    lien = access.objet_ou_404(risque.liens_evenements.filter(evenement__in=visibles), pk=lien_pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez « Confirmer » ou « Écarter ».")
    else:
        confirmer = form.cleaned_data["decision"] == "confirmer"
        try:
            services.evenement_decider(lien=lien, par=request.user, confirmer=confirmer,
                                       revision=form.cleaned_data["revision"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            audit.tracer(request, audit.Action.MODIFICATION, risque,
                         details={"evenement": lien.evenement_id, "decision": form.cleaned_data["decision"]})
            messages.success(request, "Rattachement confirmé." if confirmer else "Suggestion écartée.")
    retour = parametres.choix(request.POST, "retour", ("suggestions", "evenement"))
    if retour == "suggestions":
        return redirect("risques:suggestions")
    if retour == "evenement":
        return redirect("evenements:detail", pk=lien.evenement_id)
    return redirect("risques:detail", pk=risque.pk)


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request):
    access.exiger(request.user, "risques.modifier")
    etabs = etablissements_modifiables(request.user)
    if request.method == "POST":
        n = services.suggestions_actualiser(user=request.user, etablissements=etabs)
        messages.success(request, f"{n} nouvelle(s) suggestion(s)." if n else "Aucune nouvelle suggestion.")
        return redirect("risques:suggestions")
    page = paginer(request, selectors.suggestions(request.user, etabs), 50)
    return render(request, "qualite/risques/suggestions.html", {"page": page,
                                                                "reglages": ReglagesRisques.courants()})


def _contexte_carte(request):
    exiger_voir(request.user)
    filtre, c = selectors.carte(request.user, request.GET)
    reglages = c.reglages
    titre = f"Cartographie des risques au {c.jour:%d/%m/%Y}"
    svg = carte_chaleur(titre=titre, comptes=c.comptes, zone=reglages.zone, nb_frequence=c.nb_frequence,
                        nb_gravite=c.nb_gravite)
    perimetre = [f"{f.label} : {v}" for f, v in ((filtre.form.fields[n], filtre.form.cleaned_data.get(n))
                                                  for n in ("etablissement", "pole", "processus", "famille"))
                 if v] if filtre.is_bound and filtre.form.is_valid() else []
    return {"filtre": filtre, "carte": c, "svg": svg, "titre": titre, "zones": ZONES, "reglages": reglages,
            "perimetre": perimetre, "echelles": _echelles(), "genere_le": timezone.now()}


@login_required
@require_GET
def carte(request):
    return render(request, "qualite/risques/carte.html", _contexte_carte(request))


@login_required
@require_GET
def carte_pdf(request):
    contexte = _contexte_carte(request)
    pdf = render_pdf("qualite/risques/pdf/carte.html", contexte)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cartographie-risques-{contexte["carte"].jour:%Y-%m-%d}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def familles(request, pk=None):
    """The families of the user's établissements, and the form to add one (or edit the one given)."""
    access.exiger(request.user, "risques.modifier")
    etabs = etablissements_modifiables(request.user)
    visibles = FamilleRisque.objects.filter(etablissement_id__in=etabs)
    instance = access.objet_ou_404(visibles, pk=pk) if pk else None
    form = FamilleForm(request.POST or None, instance=instance, etablissements=etabs)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                famille, _ = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.famille_enregistrer(
                    par=request.user, donnees=form.a_ecrire()))
            else:
                famille = services.famille_enregistrer(par=request.user, donnees=form.a_ecrire(sauf=("etablissement",)),
                                                       famille=instance, revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            messages.success(request, f"Famille « {famille} » enregistrée.")
            return redirect("risques:familles")
    liste = (visibles.select_related("etablissement").prefetch_related("types_evenement")
             .order_by("etablissement__nom", "libelle"))
    return render(request, "qualite/risques/familles.html", {"form": form, "familles": liste, "famille": instance})


@login_required
@require_POST
def evenement_suggerer(request, ev_pk):
    """Run the rule for one event, from its page; back to the event."""
    access.exiger(request.user, "risques.modifier")
    visibles = domaines.evenements_visibles(domaines.Evenement().objects.all(), request.user)
    ev = access.objet_ou_404(visibles, pk=ev_pk)
    etabs = etablissements_modifiables(request.user) & {ev.etablissement_id}
    if not etabs:
        raise Http404
    n = services.suggestions_actualiser(user=request.user, etablissements=frozenset(etabs), evenement_id=ev.pk)
    messages.success(request, f"{n} risque(s) proposé(s) pour cet évènement." if n else
                     "Aucun nouveau risque à proposer : rattachez un type d'évènement à une famille de risques.")
    return redirect("evenements:detail", pk=ev.pk)
