from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualite.echeances.models import Echeance
from qualite.echeances.moteur import annoter_prochaine_echeance, echeances_de
from qualite.organisation import access, audit
from qualite.organisation.models import Etablissement
from qualite.outils import parametres
from qualite.outils.cache_pages import page_en_cache
from qualite.outils.exports import FORMATS, reponse_export
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pagination import paginer
from qualite.outils.pdf import render_pdf
from qualite.outils.revisions import creer_une_fois
from qualite.outils.tableaux import texte_recherche
from qualite.paqss.selectors import actions_de
from qualite.pilotage import indicateurs_ru
from usagers.relations import selectors as sel
from usagers.relations import services
from usagers.relations.access import (
    cdu_scope,
    dossiers_scope,
    get_reclamation_for_user,
    peut_gerer_reclamation,
    voit_nominatif_reclamations,
)
from usagers.relations.filters import (
    ETAT_DOSSIER,
    TABLEAU_DOSSIERS,
    TABLEAU_RECLAMATIONS,
    TABLEAU_RECLAMATIONS_ANONYMES,
    FiltresDossiers,
    FiltresReclamations,
    filtrer_dossiers,
    filtrer_reclamations,
)
from usagers.relations.forms import (
    ActionDepuisForm,
    CampagneForm,
    DemandeDossierForm,
    EnTeteCourrierForm,
    EntretienForm,
    EvenementDepuisReclamationForm,
    GenerationLettreForm,
    GesteForm,
    MembreForm,
    ModeleLettreForm,
    ReclamationCorrectionForm,
    ReclamationForm,
    RecommandationForm,
    SeanceForm,
)
from usagers.relations.importation import DOSSIERS, RECLAMATIONS, SEANCES_CDU
from usagers.relations.models import (
    CampagneDialogue,
    CategorieReclamation,
    DemandeDossier,
    EnTeteCourrier,
    GesteReclamation,
    MembreCDU,
    ModeleLettre,
    NatureReclamation,
    RecommandationCDU,
    SeanceCDU,
    ThemeDialogue,
)

# ---- complaints ------------------------------------------------------------------------------------

COLONNES_ECHEANCE = ("prochaine_echeance", "prochaine_echeance_libelle", "statut_echeance")

COLONNES_ANONYMES = ["Référence", "Reçue le", "Nature", "Canal", "Catégories", "Services", "Médiation", "Rencontre",
                     "Rapport", "Réponse finale", "Résumé anonymisé"]


@login_required
@require_GET
@page_en_cache()
def reclamations(request):
    user = request.user
    if not (voit_nominatif_reclamations(user) or access.has_perm(user, "reclamations.voir_anonymise")):
        raise PermissionDenied
    nominatif = voit_nominatif_reclamations(user)
    qs = filtrer_reclamations(sel.reclamations(user), request.GET, nominatif=nominatif)
    fmt = parametres.choix(request.GET, "export", FORMATS)
    categories = dict(CategorieReclamation.choices)
    natures = dict(NatureReclamation.choices)
    if fmt in FORMATS:
        audit.tracer(request, audit.Action.EXPORT, details={"registre": "réclamations", "format": fmt,
                                                           "nominatif": nominatif, "filtres": request.GET.dict()})
        if nominatif:  # the import columns: the file re-imports unchanged
            return reponse_export(fmt, "reclamations", RECLAMATIONS.noms, RECLAMATIONS.lignes_export(qs))
        lignes = ([r["reference"], r["recue_le"], natures[r["nature"]], r["canal"],
                   ", ".join(categories.get(c, c) for c in r["categories"]), r["services_noms"] or "", r["mediation"],
                   r["rencontre_le"], r["rapport_le"], r["reponse_finale_le"], r["resume"] or ""]
                  for r in sel.reclamations_anonymisees(qs))
        return reponse_export(fmt, "reclamations-anonymisees", COLONNES_ANONYMES, lignes)
    tableau = TABLEAU_RECLAMATIONS if nominatif else TABLEAU_RECLAMATIONS_ANONYMES
    qs = tableau.trier(annoter_prochaine_echeance(qs), request.GET)
    if nominatif:
        page = paginer(request, qs, 50)
        audit.tracer(request, audit.Action.LECTURE, details={"page": "liste des réclamations", "page_n": page.number,
                                                             "recherche": texte_recherche(request.GET)})
    else:
        page = paginer(request, sel.reclamations_anonymisees(qs, *COLONNES_ECHEANCE), 50)
    return render(request, "usagers/relations/reclamations/liste.html", {
        "page": page, "nominatif": nominatif, "natures": NatureReclamation.choices, "categories": categories,
        "gerer": access.has_perm(user, "reclamations.gerer"), "filtres": FiltresReclamations(request.GET),
        "entetes": tableau.entetes(request), "statuts_echeance": Echeance.Statut.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def reclamation_nouvelle(request):
    access.exiger(request.user, "reclamations.gerer")
    form = ReclamationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            rec, nouvelle = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.reclamation_enregistrer(
                par=request.user, donnees=form.donnees(), services=form.cleaned_data["services"]))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouvelle:
                audit.tracer(request, audit.Action.CREATION, rec)
            messages.success(request, f"{rec.get_nature_display()} {rec.reference} enregistrée.")
            return redirect("usagers:reclamation", pk=rec.pk)
    return render(request, "usagers/relations/reclamations/formulaire.html", {"form": form})


# How each next move is offered on the page: its button, and whether it asks for nothing but a click.
_GESTES_RECLAMATION = {
    GesteReclamation.ACCUSE: "Accuser réception",
    GesteReclamation.PREMIERE_REPONSE: "Envoyer la première réponse",
    GesteReclamation.SAISINE: "Saisir le médiateur",
    GesteReclamation.RENCONTRE: "Rencontre avec le médiateur faite",
    GesteReclamation.REFUS: "Le plaignant refuse la rencontre",
    GesteReclamation.RAPPORT: "Compte rendu du médiateur reçu",
    GesteReclamation.AVIS_CDU: "Avis de la CDU rendu",
    GesteReclamation.REPONSE_FINALE: "Réponse finale du directeur : clôturer",
}


def _gestes_reclamation(rec, geste_form=None) -> list[dict]:
    """Only the next legal moves, each with its own small form (the failing one bound, with its errors)."""
    gestes = []
    for code in rec.prochains_gestes():
        form = geste_form if geste_form is not None and geste_form.geste == code else GesteForm(geste=code, reclamation=rec)
        gestes.append({"code": code, "libelle": _GESTES_RECLAMATION[code], "form": form,
                       "ouvert": form.is_bound})
    return gestes


def _contexte_reclamation(request, rec, geste_form=None, **forms):
    gerer = peut_gerer_reclamation(request.user, rec)
    contexte = {"rec": rec, "gerer": gerer, "echeances": echeances_de(rec), "actions": actions_de(rec),
                "modeles": ModeleLettre.Type.choices, "services_concernes": rec.services.all(),
                "modeles_courrier": access.has_perm(request.user, "courriers.modeles"),
                "etapes": rec.etapes(), "chronologie": rec.transitions.select_related("par")}
    if gerer:
        contexte["courriers"] = rec.courriers.select_related("created_by").defer("pdf")
        contexte.update(form=ReclamationCorrectionForm(instance=rec, user=request.user),
                        evenement_form=EvenementDepuisReclamationForm(user=request.user), action_form=ActionDepuisForm(),
                        gestes=_gestes_reclamation(rec, geste_form))
        contexte.update(forms)
    return contexte


@login_required
@require_http_methods(["GET", "POST"])
def reclamation(request, pk):
    rec = get_reclamation_for_user(request.user, pk)
    if not voit_nominatif_reclamations(request.user):
        anonyme = sel.reclamations_anonymisees(type(rec).objects.filter(pk=rec.pk)).get()
        return render(request, "usagers/relations/reclamations/anonyme.html", {"r": anonyme, "echeances": echeances_de(rec),
                                                                              "natures": NatureReclamation.choices,
                                                                              "etapes": rec.etapes()})
    if request.method == "POST":
        if not peut_gerer_reclamation(request.user, rec):
            raise PermissionDenied
        form = ReclamationCorrectionForm(request.POST, instance=rec, user=request.user)
        if form.is_valid():
            try:
                services.reclamation_enregistrer(
                    par=request.user, donnees=form.donnees(), reclamation=rec, revision=form.cleaned_data.get("revision"),
                    services=form.cleaned_data["services"] if "services" in form.changed_data else None)
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.MODIFICATION, rec)
                messages.success(request, "Réclamation mise à jour ; les échéances sont recalculées.")
                return redirect("usagers:reclamation", pk=rec.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
        return _fiche(request, get_reclamation_for_user(request.user, pk), form=form)
    return _fiche(request, rec)


def _fiche(request, rec, **forms):
    """The nominative complaint page, its reading traced (shown first or again with a form's errors)."""
    audit.tracer(request, audit.Action.LECTURE, rec)
    return render(request, "usagers/relations/reclamations/detail.html", _contexte_reclamation(request, rec, **forms))


@login_required
@require_POST
def reclamation_geste(request, pk, geste):
    """One step of the complaint's path, from its button. A move the state does not allow (an old page, a forged
    request, a double click) is refused with a message and nothing written."""
    access.exiger(request.user, "reclamations.gerer")
    rec = get_reclamation_for_user(request.user, pk)
    if not peut_gerer_reclamation(request.user, rec):
        raise PermissionDenied
    if geste not in GesteReclamation.values:
        raise Http404
    form = GesteForm(request.POST, geste=geste, reclamation=rec)
    try:
        if (refus := services.geste_refuse(rec, geste)) is not None:  # before the form: no field errors shown
            raise refus
        if form.is_valid():
            try:
                transition = services.reclamation_faire_geste(reclamation=rec, geste=geste, par=request.user,
                                                              donnees=form.donnees())
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.MODIFICATION, rec, details={"geste": geste})
                messages.success(request, f"{transition.libelle}.")
                return redirect("usagers:reclamation", pk=rec.pk)
    except services.GesteRefuse as geste_refuse:
        (messages.info if geste_refuse.deja_fait else messages.error)(request, geste_refuse.message)
        return redirect("usagers:reclamation", pk=rec.pk)
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return _fiche(request, get_reclamation_for_user(request.user, pk), geste_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def reclamation_lettre(request, pk, type_lettre):
    """The letter as it will be printed (preview, GET), then generated to PDF and kept (POST)."""
    access.exiger(request.user, "reclamations.gerer")
    rec = get_reclamation_for_user(request.user, pk)
    if type_lettre not in ModeleLettre.Type.values:
        raise Http404
    form = GenerationLettreForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # A double click on « Générer le PDF » keeps one letter: the page's one-time key.
        courrier, nouveau = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.courrier_generer(
            reclamation=rec, type_=type_lettre, par=request.user))
        if nouveau:
            audit.tracer(request, audit.Action.CREATION, courrier, etablissement_id=rec.etablissement_id,
                         details={"lettre": type_lettre, "version_modele": courrier.modele_version})
        messages.success(request, f"Courrier « {courrier.get_type_display()} » généré et gardé dans la fiche.")
        return redirect("usagers:reclamation_courrier", pk=rec.pk, courrier_pk=courrier.pk)
    lettre = services.lettre_rendre(rec, type_lettre)
    audit.tracer(request, audit.Action.LECTURE, rec, details={"apercu_lettre": type_lettre})
    return render(request, "usagers/relations/courriers/apercu.html",
                  {**services.lettre_contexte(rec, lettre), "generation": GenerationLettreForm()})


@login_required
@require_GET
def reclamation_courrier(request, pk, courrier_pk):
    access.exiger(request.user, "reclamations.gerer")
    rec = get_reclamation_for_user(request.user, pk)
    courrier = access.objet_ou_404(rec.courriers.select_related("reclamation"), pk=courrier_pk)
    audit.tracer(request, audit.Action.EXPORT, courrier, etablissement_id=rec.etablissement_id,
                 details={"lettre": courrier.type, "version_modele": courrier.modele_version})
    response = HttpResponse(bytes(courrier.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{rec.reference}-{courrier.type}-{courrier.pk}.pdf"'
    return response


# ---- letter templates -----------------------------------------------------------------------------


def _etablissements_courriers(user):
    """The établissements whose letterhead and templates this user keeps."""
    return access.perimetre(user, "courriers.modeles").filtrer_etablissement(Etablissement.objects.all(), "pk")


def _etablissement_courriers(user, pk):
    return access.objet_ou_404(_etablissements_courriers(user), pk=pk)


@login_required
@require_GET
def courriers(request):
    access.exiger(request.user, "courriers.modeles")
    etablissements = list(_etablissements_courriers(request.user).order_by("nom"))
    ids = [e.pk for e in etablissements]
    entetes = {e.etablissement_id: e for e in EnTeteCourrier.objects.filter(etablissement_id__in=ids)}
    modeles = ModeleLettre.objects.filter(Q(etablissement_id__in=ids) | Q(etablissement__isnull=True))
    communs = {m.type: m for m in modeles if m.etablissement_id is None}
    propres = {(m.etablissement_id, m.type): m for m in modeles if m.etablissement_id}
    lignes = [{"etablissement": e, "entete": entetes.get(e.pk),
               "modeles": [{"type": t, "libelle": libelle, "modele": propres.get((e.pk, t)) or communs.get(t),
                            "propre": (e.pk, t) in propres} for t, libelle in ModeleLettre.Type.choices]}
              for e in etablissements]
    return render(request, "usagers/relations/courriers/liste.html", {"lignes": lignes})


@login_required
@require_http_methods(["GET", "POST"])
def courrier_entete(request, etablissement_pk):
    access.exiger(request.user, "courriers.modeles")
    etab = _etablissement_courriers(request.user, etablissement_pk)
    entete = services.entete_de(etab)
    form = EnTeteCourrierForm(request.POST or None, instance=entete)
    if request.method == "POST":
        if form.is_valid():
            try:
                entete = services.entete_enregistrer(etablissement=etab, donnees=form.a_ecrire(), par=request.user,
                                                     revision=form.cleaned_data.get("revision"))
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.MODIFICATION, entete, etablissement_id=etab.pk)
                messages.success(request, "En-tête, signataire et voies de recours enregistrés.")
                return redirect("usagers:courriers")
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "usagers/relations/courriers/entete.html", {"form": form, "etablissement": etab})


@login_required
@require_http_methods(["GET", "POST"])
def courrier_modele(request, etablissement_pk, type_lettre):
    access.exiger(request.user, "courriers.modeles")
    etab = _etablissement_courriers(request.user, etablissement_pk)
    if type_lettre not in ModeleLettre.Type.values:
        raise Http404
    modele = services.modele_de(etab.pk, type_lettre)
    form = ModeleLettreForm(request.POST or None, instance=modele)
    if request.method == "POST":
        if form.is_valid():
            try:
                modele = services.modele_lettre_enregistrer(
                    etablissement=etab, type_=type_lettre, donnees=form.donnees(), par=request.user,
                    revision=form.cleaned_data.get("revision"), depuis=form.cleaned_data.get("depuis"))
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.MODIFICATION, modele, etablissement_id=etab.pk,
                             details={"version": modele.revision})
                messages.success(request, f"Modèle « {modele} » enregistré (version {modele.revision}).")
                return redirect("usagers:courriers")
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "usagers/relations/courriers/modele.html", {
        "form": form, "etablissement": etab, "modele": modele, "propre": modele.etablissement_id == etab.pk,
        "champs": ModeleLettre.CHAMPS.items()})


@login_required
@require_POST
def reclamation_evenement(request, pk):
    access.exiger(request.user, "reclamations.gerer")
    rec = get_reclamation_for_user(request.user, pk)
    form = EvenementDepuisReclamationForm(request.POST, user=request.user)
    if rec.evenement_id:
        messages.info(request, "Un évènement indésirable est déjà lié à cette réclamation.")
        return redirect("usagers:reclamation", pk=rec.pk)
    if form.is_valid():
        ev = services.reclamation_ouvrir_evenement(reclamation=rec, par=request.user,
                                                   type_evenement=form.cleaned_data["type_evenement"],
                                                   service=form.cleaned_data["service"])
        audit.tracer(request, audit.Action.CREATION, ev, details={"depuis": rec.reference})
        messages.success(request, f"Évènement {ev.reference} déclaré et lié.")
        return redirect("usagers:reclamation", pk=rec.pk)
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "usagers/relations/reclamations/detail.html", _contexte_reclamation(request, rec, evenement_form=form))


@login_required
@require_POST
def reclamation_action(request, pk):
    access.exiger(request.user, "reclamations.gerer")
    rec = get_reclamation_for_user(request.user, pk)
    form = ActionDepuisForm(request.POST)
    if form.is_valid():
        services.reclamation_ouvrir_action(reclamation=rec, par=request.user, titre=form.cleaned_data["titre"],
                                           echeance=form.cleaned_data["echeance"])
        messages.success(request, "Action ajoutée au plan d'actions (PAQSS).")
        return redirect("usagers:reclamation", pk=rec.pk)
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "usagers/relations/reclamations/detail.html", _contexte_reclamation(request, rec, action_form=form))


# ---- medical-record requests -------------------------------------------------------------------------

@login_required
@require_GET
@page_en_cache()
def dossiers(request):
    access.exiger(request.user, "dossiers.gerer")
    qs = filtrer_dossiers(sel.dossiers(request.user), request.GET)
    annee = parametres.annee(request.GET)
    fmt = parametres.choix(request.GET, "export", FORMATS)
    if fmt in FORMATS:
        audit.tracer(request, audit.Action.EXPORT, details={"registre": "demandes de dossier", "format": fmt})
        return reponse_export(fmt, "demandes-dossier-medical", DOSSIERS.noms, DOSSIERS.lignes_export(qs))
    qs = TABLEAU_DOSSIERS.trier(annoter_prochaine_echeance(qs.annotate(etat=ETAT_DOSSIER)), request.GET)
    page = paginer(request, qs, 50)
    audit.tracer(request, audit.Action.LECTURE, details={"page": "demandes de dossier", "page_n": page.number,
                                                         "recherche": texte_recherche(request.GET)})
    stats = sel.statistiques_dossiers(access.perimetre(request.user, "dossiers.gerer").etablissements, annee)
    return render(request, "usagers/relations/dossiers/liste.html", {
        "page": page, "stats": stats, "filtres": FiltresDossiers(request.GET), "entetes": TABLEAU_DOSSIERS.entetes(request),
        "statuts_echeance": Echeance.Statut.choices})


@login_required
@require_http_methods(["GET", "POST"])
def dossier(request, pk=None):
    access.exiger(request.user, "dossiers.gerer")
    instance = access.objet_ou_404(dossiers_scope(DemandeDossier.objects.all(), request.user), pk=pk) if pk else None
    form = DemandeDossierForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if instance is None:
                d, nouvelle = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.demande_enregistrer(
                    par=request.user, donnees=form.donnees()))
            else:
                d, nouvelle = services.demande_enregistrer(par=request.user, donnees=form.donnees(), demande=instance,
                                                           revision=form.cleaned_data.get("revision")), False
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouvelle or instance is not None:  # a replayed creation wrote nothing: nothing to trace
                audit.tracer(request, audit.Action.CREATION if nouvelle else audit.Action.MODIFICATION, d)
            messages.success(request, f"Demande {d.reference} enregistrée.")
            return redirect("usagers:dossier", pk=d.pk)
    elif instance is not None and request.method == "GET":
        audit.tracer(request, audit.Action.LECTURE, instance)
    return render(request, "usagers/relations/dossiers/formulaire.html", {
        "form": form, "demande": instance, "echeances": echeances_de(instance) if instance else []})


# ---- CDU ---------------------------------------------------------------------------------------------

@login_required
@require_GET
def cdu(request):
    if not access.has_perm(request.user, "cdu.consulter"):
        raise PermissionDenied
    fmt = parametres.choix(request.GET, "export", FORMATS)
    if fmt in FORMATS:  # the import columns: the file re-imports unchanged
        qs = cdu_scope(SeanceCDU.objects.all(), request.user).order_by("-date", "-id")
        audit.tracer(request, audit.Action.EXPORT, details={"registre": "séances de la CDU", "format": fmt,
                                                           "lignes": qs.count()})
        return reponse_export(fmt, "seances-cdu", SEANCES_CDU.noms, SEANCES_CDU.lignes_export(qs))
    annee = timezone.localdate().year
    seances = list(sel.seances_cdu(request.user))
    alertes = [
        f"{nom} : {n} séance(s) planifiée(s) en {annee} — au moins {SeanceCDU.MINIMUM_ANNUEL} par an (R1112-88, à vérifier)."
        for nom, n in sel.seances_planifiees(sorted(access.perimetre(request.user, "cdu.consulter").etablissements), annee)
        if n < SeanceCDU.MINIMUM_ANNUEL
    ]
    return render(request, "usagers/relations/cdu/index.html", {
        "membres": sel.membres_cdu(request.user), "seances": seances, "alertes": alertes,
        "gerer": access.has_perm(request.user, "cdu.gerer"), "annee": annee,
    })


@login_required
@require_http_methods(["GET", "POST"])
def membre(request, pk=None):
    access.exiger(request.user, "cdu.gerer")
    instance = access.objet_ou_404(cdu_scope(MembreCDU.objects.all(), request.user), pk=pk) if pk else None
    form = MembreForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            m = services.membre_enregistrer(par=request.user, donnees=form.a_ecrire(), membre=instance,
                                            revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            messages.success(request, f"{m} enregistré.")
            return redirect("usagers:cdu")
    return render(request, "usagers/relations/cdu/formulaire.html", {"form": form, "titre": "Membre de la CDU"})


@login_required
@require_http_methods(["GET", "POST"])
def seance(request, pk=None):
    instance = access.objet_ou_404(cdu_scope(SeanceCDU.objects.all(), request.user), pk=pk) if pk else None
    if instance is None or request.method == "POST":
        access.exiger(request.user, "cdu.gerer")
    elif not access.has_perm(request.user, "cdu.consulter"):
        raise PermissionDenied
    form = SeanceForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        champs = form.a_ecrire(sauf=("presents",))
        presents = form.cleaned_data["presents"] if instance is None or "presents" in form.changed_data else None
        try:
            if instance is None:
                s, _ = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.seance_enregistrer(
                    par=request.user, donnees=champs, presents=presents))
            else:
                s = services.seance_enregistrer(par=request.user, donnees=champs, presents=presents,
                                                seance=instance, revision=form.cleaned_data.get("revision"))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            messages.success(request, f"{s} enregistrée.")
            return redirect("usagers:seance", pk=s.pk)
    contexte = {"form": form, "seance": instance, "gerer": access.has_perm(request.user, "cdu.gerer")}
    if instance is not None:
        contexte.update(
            recommandations=instance.recommandations.select_related("proposee_par", "action"),
            recommandation_form=RecommandationForm(seance=instance),
            reclamations=sel.reclamations_anonymisees(instance.reclamations.all()),
        )
    return render(request, "usagers/relations/cdu/seance.html", contexte)


@login_required
@require_POST
def recommandation_ajouter(request, pk):
    access.exiger(request.user, "cdu.gerer")
    s = access.objet_ou_404(cdu_scope(SeanceCDU.objects.all(), request.user), pk=pk)
    form = RecommandationForm(request.POST, seance=s)
    if form.is_valid():
        r = form.save(commit=False)
        r.seance = s
        r.created_by = request.user
        r.save()
        messages.success(request, "Recommandation enregistrée.")
    else:
        messages.error(request, "Recommandation non enregistrée : " + "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("usagers:seance", pk=s.pk)


@login_required
@require_POST
def recommandation_action(request, pk):
    access.exiger(request.user, "cdu.gerer")
    r = access.objet_ou_404(cdu_scope(RecommandationCDU.objects.select_related("seance"), request.user, champ="seance__etablissement"), pk=pk)
    action = services.recommandation_ouvrir_action(recommandation=r, par=request.user)
    messages.success(request, f"La recommandation est devenue l'action « {action} » du PAQSS.")
    return redirect("usagers:seance", pk=r.seance_id)


@login_required
@require_GET
def rapport_cdu(request):
    if not access.has_perm(request.user, "cdu.consulter"):
        raise PermissionDenied
    annee = parametres.annee(request.GET, min=2000, defaut=timezone.localdate().year)  # the current year so far
    donnees = sel.donnees_rapport_cdu(request.user, annee)
    if access.has_perm(request.user, "statistiques.effectifs_masques"):  # CDU members, user representatives
        donnees = sel.rapport_cdu_masque(donnees)
    contexte = {"d": donnees, "categories": dict(CategorieReclamation.choices), "natures": dict(NatureReclamation.choices),
                "tendances_ru": indicateurs_ru.tendances(
                    annee=annee, etablissements=access.perimetre(request.user, "cdu.consulter").etablissements)}
    if parametres.choix(request.GET, "format", {"pdf"}):
        audit.tracer(request, audit.Action.EXPORT, details={"rapport": "CDU", "annee": annee})
        response = HttpResponse(render_pdf("usagers/relations/pdf/rapport_cdu.html", contexte), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="rapport-cdu-{annee}.pdf"'
        return response
    return render(request, "usagers/relations/cdu/rapport.html", contexte)


@login_required
@require_GET
def representants(request):
    if not (access.has_perm(request.user, "cdu.consulter") or access.has_perm(request.user, "ru.campagnes")):
        raise PermissionDenied
    return render(request, "usagers/relations/cdu/representants.html", {"activite": sel.activite_ru(request.user)})


# ---- the dialogue kit ----------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def campagnes(request):
    access.exiger(request.user, "ru.campagnes")
    form = CampagneForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        c = services.campagne_enregistrer(par=request.user, campagne=form.save(commit=False))
        messages.success(request, f"Campagne « {c} » créée.")
        return redirect("usagers:campagne", pk=c.pk)
    qs = cdu_scope(CampagneDialogue.objects.select_related("etablissement"), request.user)
    return render(request, "usagers/relations/dialogue/campagnes.html", {"form": form, "campagnes": qs,
                                                                "themes": ThemeDialogue.objects.prefetch_related("questions")})


@login_required
@require_http_methods(["GET", "POST"])
def campagne(request, pk):
    access.exiger(request.user, "ru.campagnes")
    c = access.objet_ou_404(cdu_scope(CampagneDialogue.objects.all(), request.user), pk=pk)
    form = CampagneForm(instance=c, user=request.user)
    entretien_form = EntretienForm(campagne=c)
    if request.method == "POST":
        if request.POST.get("quoi") == "entretien":
            entretien_form = EntretienForm(request.POST, campagne=c)
            if entretien_form.is_valid():
                e = entretien_form.save(commit=False)
                e.campagne = c
                services.entretien_enregistrer(par=request.user, entretien=e, enregistrer_liens=entretien_form.save_m2m)
                messages.success(request, f"{e} enregistré.")
                return redirect("usagers:campagne", pk=c.pk)
        else:
            form = CampagneForm(request.POST, instance=c, user=request.user)
            if form.is_valid():
                try:
                    services.campagne_enregistrer(par=request.user, campagne=form.save(commit=False),
                                                  revision=form.cleaned_data.get("revision"),
                                                  modifications=form.modifications())
                except ValidationError as exc:
                    erreurs_vers_formulaire(form, exc)
                else:
                    messages.success(request, "Campagne mise à jour ; les échéances sont recalculées.")
                    return redirect("usagers:campagne", pk=c.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "usagers/relations/dialogue/campagne.html", {
        "campagne": c, "form": form, "entretien_form": entretien_form,
        "entretiens": c.entretiens.prefetch_related("ru_presents", "questions"), "echeances": echeances_de(c),
    })
