import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evenements import fhir, selectors, services
from evenements.access import (
    acteur_visible,
    actions_visibles,
    evenements_scope,
    get_evenement_for_user,
    peut_gerer,
    voit_declarant,
)
from evenements.filters import TABLEAU
from evenements.forms import (
    ActionForm,
    AnalyseForm,
    DeclarationARSForm,
    DeclarationForm,
    PeriodeFHIRForm,
    QualificationForm,
    RetourForm,
    RevueForm,
    TransitionForm,
)
from evenements.importation import REGISTRE
from evenements.models import (
    ZONES,
    AnalyseApprofondie,
    DeclarationARS,
    EvenementIndesirable,
    FacteurContributif,
    Geste,
    MatriceCriticite,
    RevueExperience,
    Statut,
)
from qualite.echeances.moteur import echeances_de
from qualite.organisation import access, audit
from qualite.outils import parametres
from qualite.outils.cache_pages import page_en_cache
from qualite.outils.exports import FORMATS, reponse_export
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pagination import paginer
from qualite.outils.pdf import render_pdf
from qualite.outils.revisions import creer_une_fois
from qualite.paqss.selectors import actions_de
from qualite.pieces.selectors import chronologie as chronologie_pieces
from qualite.pieces.selectors import pieces_de
from qualite.pilotage import charts
from qualite.risques.selectors import risques_de_l_evenement


@login_required
@require_http_methods(["GET", "POST"])
def declarer(request):
    access.exiger(request.user, "evenements.declarer")
    form = DeclarationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ev, nouveau = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.evenement_declarer(
                declarant=request.user, service=form.cleaned_data["service"], donnees=form.donnees()))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouveau:
                audit.tracer(request, audit.Action.CREATION, ev)
            messages.success(request, f"Merci. Votre déclaration {ev.reference} est enregistrée ; "
                                      "vous suivrez ses suites dans « Mes déclarations ».")
            return redirect("evenements:mes_declarations")
    return render(request, "evenements/declarer.html", {"form": form})


@login_required
@require_GET
@page_en_cache()
def mes_declarations(request):
    access.exiger(request.user, "evenements.declarer")
    page = paginer(request, selectors.mes_declarations(request.user), 25)
    return render(request, "evenements/mes_declarations.html", {"page": page})


def _peut_lister(user):
    return access.has_perm(user, "evenements.voir")


@login_required
@require_GET
@page_en_cache()
def liste(request):
    if not _peut_lister(request.user):
        raise PermissionDenied
    filtre = selectors.evenements_liste(request.user, request.GET)
    fmt = parametres.choix(request.GET, "export", FORMATS)
    if fmt in FORMATS:
        return _exporter(request, filtre, fmt)
    # The page reads the columns it shows only: an event and its four joined rows carry some forty columns.
    colonnes = filtre.qs.select_related(None).select_related("etablissement", "pole", "service", "type").only(
        *COLONNES_LISTE)
    page = paginer(request, colonnes, 50)
    matrice = MatriceCriticite.courante()
    for ev in page:
        ev.zone_calc = matrice.zone(ev.criticite_calc)
    return render(request, "evenements/liste.html", {"filtre": filtre, "page": page, "zones": ZONES,
                                                     "entetes": TABLEAU.entetes(request),
                                                     "peut_fhir": access.has_perm(request.user, "evenements.export_fhir")})


COLONNES_LISTE = ("reference", "survenu_le", "gravite", "gravite_estimee", "vraisemblance", "est_eigs", "statut",
                  "etablissement__nom", "pole__nom", "service__nom", "type__libelle")


def _exporter(request, filtre, fmt):
    """Exactly the filtered, allowed rows, in the import columns: the file re-imports unchanged."""
    qs = filtre.qs
    audit.tracer(request, audit.Action.EXPORT, details={"registre": "evenements", "format": fmt,
                                                       "filtres": request.GET.dict(), "lignes": qs.count()})
    return reponse_export(fmt, "evenements-indesirables", REGISTRE.noms, REGISTRE.lignes_export(qs))


# How each next move is offered on the page: a link to its form, or a button that changes the state.
_GESTES = {
    Geste.QUALIFICATION: ("Qualifier", "#t-qualif"),
    Geste.ARS_PARTIE1: ("Envoyer la partie 1 à l'ARS", "evenements:ars"),
    Geste.ARS_PARTIE2: ("Envoyer la partie 2 à l'ARS", "evenements:ars"),
    Geste.ANALYSE: ("Analyse approfondie (grille ALARM)", "evenements:analyse"),
    Geste.ACTION: ("Ajouter une action corrective", "#t-action"),
    Geste.RETOUR: ("Faire le retour au déclarant", "#t-retour"),
}


def _gestes(ev) -> list[dict]:
    gestes = []
    for code in ev.prochains_gestes():
        if code in _GESTES:
            libelle, cible = _GESTES[code]
            url = cible if cible.startswith("#") else reverse(cible, args=[ev.pk])
            gestes.append({"code": code, "libelle": libelle, "url": url})
        elif code == Statut.CLASSE_SANS_SUITE:
            gestes.append({"code": code, "libelle": "Classer sans suite", "vers": code, "motif": True})
        else:
            gestes.append({"code": code, "libelle": "Clôturer" if code == Statut.CLOTURE else Statut(code).label,
                           "vers": code})
    return gestes


def _contexte_detail(request, ev, **forms):
    gerer = peut_gerer(request.user, ev)
    transitions = list(ev.transitions.select_related("par"))
    for t in transitions:
        t.par_visible = gerer and acteur_visible(request.user, ev, t.par_id)
    # Attached and archived files join the timeline, their author masked by the same rule as the steps'.
    pieces = [
        {"le": p.le, "libelle": p.libelle, "par": p.par, "piece": p.piece,
         "par_visible": gerer and acteur_visible(request.user, ev, p.par_id)}
        for p in chronologie_pieces(pieces_de(ev, archivees=gerer))
    ]
    contexte = {
        "ev": ev,
        "gerer": gerer,
        "voit_declarant": voit_declarant(request.user, ev),
        "transitions": transitions,
        "chronologie": sorted([*transitions, *pieces], key=lambda t: t["le"] if isinstance(t, dict) else t.le),
        "analyses": ev.analyses.prefetch_related(Prefetch("facteurs", FacteurContributif.objects.actifs())),
        "actions": actions_visibles(request.user, ev, actions_de(ev)),
        "zone": ev.zone(),
        "zone_libelle": ZONES.get(ev.zone()),
        "declaration": DeclarationARS.objects.filter(evenement=ev).first(),
        "peut_fhir": access.has_perm(request.user, "evenements.export_fhir"),
        **risques_de_l_evenement(ev, request.user),
    }
    if gerer:
        contexte.update(
            qualification=QualificationForm(instance=ev),
            transition=TransitionForm(evenement=ev) if ev.transitions_possibles() else None,
            gestes=_gestes(ev),
            retour=RetourForm(initial={"retour_declarant": ev.retour_declarant}),
            action_form=ActionForm(),
        )
        contexte.update(forms)
    return contexte


@login_required
@require_GET
def detail(request, pk):
    ev = get_evenement_for_user(request.user, pk)
    audit.tracer(request, audit.Action.LECTURE, ev)
    return render(request, "evenements/detail.html", _contexte_detail(request, ev))


def _evenement_gere(request, pk) -> EvenementIndesirable:
    ev = get_evenement_for_user(request.user, pk)
    if not peut_gerer(request.user, ev):
        raise PermissionDenied
    return ev


@login_required
@require_POST
def qualifier(request, pk):
    ev = _evenement_gere(request, pk)
    form = QualificationForm(request.POST, instance=EvenementIndesirable.objects.get(pk=ev.pk))
    if form.is_valid():
        try:
            services.evenement_qualifier(evenement=ev, par=request.user, donnees=form.modifications(),
                                         revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, ev, details={"qualification": True})
            messages.success(request, "Qualification enregistrée.")
            return redirect("evenements:detail", pk=ev.pk)
    return _rendre_detail_avec(request, ev, qualification=form)


@login_required
@require_POST
def changer_statut(request, pk):
    ev = _evenement_gere(request, pk)
    form = TransitionForm(request.POST, evenement=ev)
    if form.is_valid():
        try:
            services.evenement_changer_statut(evenement=ev, par=request.user, vers=form.cleaned_data["vers"],
                                              commentaire=form.cleaned_data["commentaire"], motif=form.cleaned_data["motif"])
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, ev, details={"statut": form.cleaned_data["vers"]})
            messages.success(request, "État mis à jour ; le déclarant est prévenu par courriel.")
            return redirect("evenements:detail", pk=ev.pk)
    return _rendre_detail_avec(request, ev, transition=form)


@login_required
@require_POST
def retour(request, pk):
    ev = _evenement_gere(request, pk)
    form = RetourForm(request.POST)
    if form.is_valid():
        services.evenement_faire_retour(evenement=ev, par=request.user, texte=form.cleaned_data["retour_declarant"])
        audit.tracer(request, audit.Action.MODIFICATION, ev, details={"retour": True})
        messages.success(request, "Retour enregistré ; le déclarant est prévenu par courriel.")
        return redirect("evenements:detail", pk=ev.pk)
    return _rendre_detail_avec(request, ev, retour=form)


@login_required
@require_POST
def action_ajouter(request, pk):
    ev = _evenement_gere(request, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        services.evenement_ajouter_action(evenement=ev, par=request.user, titre=form.cleaned_data["titre"],
                                          echeance=form.cleaned_data["echeance"])
        audit.tracer(request, audit.Action.MODIFICATION, ev, details={"action": form.cleaned_data["titre"]})
        messages.success(request, "Action corrective ajoutée au plan d'actions.")
        return redirect("evenements:detail", pk=ev.pk)
    return _rendre_detail_avec(request, ev, action_form=form)


def _rendre_detail_avec(request, ev, **forms):
    """The detail page again, with the failing bound form in place of the blank one; nothing was saved."""
    ev = get_evenement_for_user(request.user, ev.pk)
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "evenements/detail.html", _contexte_detail(request, ev, **forms))


@login_required
@require_http_methods(["GET", "POST"])
def ars(request, pk):
    ev = _evenement_gere(request, pk)
    declaration = DeclarationARS.objects.filter(evenement=ev).first()
    if declaration is None:
        raise Http404
    form = DeclarationARSForm(request.POST or None, instance=declaration)
    if request.method == "POST" and form.is_valid():
        try:
            services.declaration_ars_enregistrer(declaration=declaration, par=request.user, donnees=form.modifications(),
                                                 revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, declaration)
            messages.success(request, "Déclaration à l'ARS enregistrée.")
            return redirect("evenements:ars", pk=ev.pk)
    else:
        audit.tracer(request, audit.Action.LECTURE, declaration)
    return render(request, "evenements/ars.html", {
        "ev": ev, "form": form, "declaration": declaration, "echeances": echeances_de(declaration),
        "limite_partie2": declaration.limite_partie2,
    })


@login_required
@require_http_methods(["GET", "POST"])
def analyse(request, pk, analyse_pk=None):
    ev = _evenement_gere(request, pk)
    instance = None
    if analyse_pk is not None:
        instance = access.objet_ou_404(AnalyseApprofondie.objects.filter(evenement=ev), pk=analyse_pk)
    form = AnalyseForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            a = services.analyse_enregistrer(evenement=ev, par=request.user, donnees=form.donnees(),
                                             facteurs=form.facteurs(), analyse=instance,
                                             revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.CREATION if instance is None else audit.Action.MODIFICATION, a)
            messages.success(request, "Analyse approfondie enregistrée.")
            return redirect("evenements:detail", pk=ev.pk)
    elif request.method == "GET" and instance is not None:
        audit.tracer(request, audit.Action.LECTURE, instance)
    return render(request, "evenements/analyse.html", {"ev": ev, "form": form, "analyse": instance})


@login_required
@require_GET
@page_en_cache()
def statistiques(request):
    if not (access.has_perm(request.user, "evenements.statistiques_anonymes") or _peut_lister(request.user)):
        raise PermissionDenied
    stats = selectors.statistiques(request.user)
    retours = stats["retours"]
    taux = round(100 * retours["avec_retour"] / retours["total"]) if retours["total"] else None
    if access.has_perm(request.user, "statistiques.effectifs_masques"):  # CDU, user representatives
        stats = selectors.statistiques_masquees(stats)
        if stats["retours"]["taux_masque"]:
            taux = None
    matrice = MatriceCriticite.courante()
    mois = [f"{r['mois']:%m/%Y}" for r in stats["par_mois"]]
    valeurs = [r["n"] for r in stats["par_mois"]]
    return render(request, "evenements/statistiques.html", {
        "stats": stats,
        "peut_fhir_lot": access.has_perm(request.user, "evenements.export_fhir")
        or access.has_perm(request.user, "evenements.statistiques_anonymes"),
        "taux_retour": taux,
        "eigs": [dict(e, statut_libelle=Statut(e["statut"]).label) for e in selectors.eigs_recents(request.user)],
        "svg_matrice": charts.matrice(titre="Évènements par gravité et vraisemblance", comptes=stats["matrice"],
                                      zones=lambda g, v: matrice.zone(g * v)),
        "svg_mois": charts.barres(titre="Évènements déclarés par mois", etiquettes=mois, valeurs=valeurs),
    })


@login_required
@require_http_methods(["GET", "POST"])
def revues(request):
    access.exiger(request.user, "evenements.gerer")
    evenements_qs = evenements_scope(EvenementIndesirable.objects.all(), request.user).order_by("-survenu_le")
    form = RevueForm(request.POST or None, user=request.user, evenements_qs=evenements_qs)
    if request.method == "POST" and form.is_valid():
        revue = form.save(commit=False)
        revue.created_by = request.user
        revue.save()
        form.save_m2m()
        audit.tracer(request, audit.Action.CREATION, revue, etablissement_id=revue.etablissement_id)
        messages.success(request, f"{revue} enregistrée.")
        return redirect("evenements:revues")
    qs = access.perimetre(request.user, "evenements.gerer").filtrer(
        RevueExperience.objects.select_related("etablissement", "service"), pole="service__pole_id")
    qs = qs.prefetch_related("evenements")
    page = paginer(request, qs, 25)
    return render(request, "evenements/revues.html", {"form": form, "page": page})


@login_required
@require_GET
def ars_pdf(request, pk, partie):
    ev = _evenement_gere(request, pk)
    declaration = DeclarationARS.objects.filter(evenement=ev).first()
    if declaration is None or partie not in (1, 2):
        raise Http404
    audit.tracer(request, audit.Action.EXPORT, declaration, details={"pdf": f"partie {partie}"})
    contenu = render_pdf("evenements/pdf/ars.html", {
        "ev": ev, "d": declaration, "partie": partie, "maintenant": timezone.now(),
        "actions": actions_visibles(request.user, ev, actions_de(ev)), "limite": declaration.limite_partie2,
    })
    response = HttpResponse(contenu, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="EIGS-{ev.reference}-partie{partie}.pdf"'
    return response


def _reponse_fhir(donnees: dict, nom_fichier: str) -> HttpResponse:
    response = HttpResponse(json.dumps(donnees, ensure_ascii=False, indent=2), content_type=fhir.TYPE_MIME)
    response["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_GET
def fhir_evenement(request, pk):
    """One event as a FHIR AdverseEvent (?version=R4 or R5), for who may export it; traced as an export."""
    ev = get_evenement_for_user(request.user, pk)
    access.exiger(request.user, "evenements.export_fhir")
    version = parametres.choix(request.GET, "version", fhir.VERSIONS, defaut=fhir.R5)
    ev = selectors.pour_fhir(EvenementIndesirable.objects.filter(pk=ev.pk)).get()
    donnees = fhir.ressource(ev, version=version, nom_declarant=fhir.nom_declarant(request.user, ev))
    audit.tracer(request, audit.Action.EXPORT, ev, details={"format": f"FHIR {version}"})
    return _reponse_fhir(donnees, f"{ev.reference}-AdverseEvent-{version}.json")


# The list's filters carried through the period form (du / au are the form's own fields).
FILTRES_REPORTES = ("etablissement", "pole", "service", "type", "gravite", "zone", "statut", "est_eigs")


@login_required
@require_GET
def fhir_lot(request):
    """A FHIR Bundle (collection) of the events of a period: the register's scope and filters for who may export
    named events; the anonymised EIGS (the CDU's shape) for the CDU and the user representatives."""
    nominatif = access.has_perm(request.user, "evenements.export_fhir")
    if not (nominatif or access.has_perm(request.user, "evenements.statistiques_anonymes")):
        raise PermissionDenied
    # Bound once the form itself was sent (it always sends `version`); from the register's link, the list's
    # own du / au only fill it in.
    form = PeriodeFHIRForm(request.GET if "version" in request.GET else None,
                           initial={cle: parametres.texte(request.GET, cle) for cle in ("du", "au")})
    if form.is_bound and form.is_valid():
        du, au, version = form.cleaned_data["du"], form.cleaned_data["au"], form.cleaned_data["version"]
        donnees, ids = fhir.lot(request.user, request.GET, du=du, au=au, version=version)
        if ids is not None:
            audit.tracer(request, audit.Action.EXPORT, details={
                "registre": "evenements", "format": f"FHIR {version}", "filtres": request.GET.dict(), "ids": ids})
        nom = f"evenements-{du:%Y%m%d}-{au:%Y%m%d}-{'' if ids is not None else 'anonymise-'}{version}.json"
        return _reponse_fhir(donnees, nom)
    reportes = [(cle, valeur) for cle in FILTRES_REPORTES for valeur in request.GET.getlist(cle)
                if nominatif and len(valeur) <= parametres.LONGUEUR_MAX]
    if form.is_bound:
        messages.error(request, "Aucun fichier produit : corrigez la période.")
    return render(request, "evenements/fhir.html", {"form": form, "nominatif": nominatif, "reportes": reportes})
