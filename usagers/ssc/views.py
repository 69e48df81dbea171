from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualite.echeances.models import Echeance
from qualite.echeances.moteur import annoter_prochaine_echeance, echeances_de
from qualite.organisation import access, audit
from qualite.outils import parametres, tableaux
from qualite.outils.cache_pages import page_en_cache
from qualite.outils.dates import duree_ecoulee
from qualite.outils.exports import FORMATS, reponse_export
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pagination import paginer
from qualite.outils.revisions import creer_une_fois
from usagers.ssc import selectors, services
from usagers.ssc.access import get_mesure_for_user, peut_ecrire, peut_voir_ssc, types_actes_permis
from usagers.ssc.filters import TABLEAU, IsolementFilter, MesureFilter
from usagers.ssc.forms import (
    ActeForm,
    AdmissionForm,
    AnnulationForm,
    DecisionJugeIsolementForm,
    DocumentForm,
    EvaluationForm,
    IsolementForm,
)
from usagers.ssc.importation import ACTES_SSC, ISOLEMENTS_SSC, MESURES_SSC
from usagers.ssc.isolement import TYPES, Decision, seuils, synthese
from usagers.ssc.models import ActeMesure, MesureIsolement, TypeActeMesure

LIGNES_PAR_BLOC = 50


def _exiger_ssc(user):
    if not peut_voir_ssc(user):
        raise PermissionDenied


@login_required
@require_GET
@page_en_cache()
def journal(request):
    """The admissions office's morning view: overdue, today, next 7 days, by unit."""
    _exiger_ssc(request.user)
    qs = selectors.journal_quotidien(request.user)
    comptes = dict(qs.values_list("statut_calcule").annotate(n=Count("id")).order_by())
    blocs = ("en_retard", "du_aujourdhui", "a_venir")
    tout = parametres.choix(request.GET, "tout", blocs)
    groupes = {}
    for statut in blocs:
        # Each block shows its first lines (all of them for the block asked with ?tout=); its count is always the real one.
        lignes = qs.filter(statut_calcule=statut)
        # The first lines are chosen by the sort alone in a sub-query, then only they get their patient and rule
        # joined: at 5 000 measures, 7 000 overdue deadlines were joined before the sort (28 → 16 ms).
        groupes[statut] = list(lignes if statut == tout else qs.filter(id__in=lignes.values("id")[:LIGNES_PAR_BLOC]))
    audit.tracer(request, audit.Action.LECTURE, details={"page": "journal SSC", "lignes": sum(comptes.values()),
                                                         "montrees": sum(len(g) for g in groupes.values())})
    return render(request, "usagers/ssc/journal.html", {
        "groupes": groupes, "comptes": comptes, "total": sum(comptes.values()), "limite": LIGNES_PAR_BLOC,
        "tout": tout})


EXPORTS_ACTES = {"actes": "csv", "actes-csv": "csv", "actes-xlsx": "xlsx"}


@login_required
@require_GET
@page_en_cache()
def mesures(request):
    _exiger_ssc(request.user)
    filtre = MesureFilter(request.GET or None, queryset=selectors.mesures_liste(request.user), user=request.user)
    fmt = parametres.choix(request.GET, "export", {*FORMATS, *EXPORTS_ACTES})
    if fmt in FORMATS:
        # Exactly the columns of the « mesures_ssc » import: an export re-imports unchanged; rows in the order
        # the table shows them (its column sort).
        qs = TABLEAU.trier(annoter_prochaine_echeance(filtre.qs), request.GET)
        audit.tracer(request, audit.Action.EXPORT, details={"registre": "mesures SSC", "format": fmt,
                                                           "filtres": request.GET.dict(), "lignes": qs.count()})
        return reponse_export(fmt, "mesures-soins-sans-consentement", MESURES_SSC.noms, MESURES_SSC.lignes_export(qs))
    if fmt in EXPORTS_ACTES:
        # The records of the listed measures (cancelled ones included), columns of the « actes_ssc » import.
        qs = ActeMesure.objects.filter(mesure__in=filtre.qs.values("pk")).order_by("mesure__t0", "mesure_id",
                                                                                  "date_heure", "id")
        audit.tracer(request, audit.Action.EXPORT, details={"registre": "actes SSC", "format": EXPORTS_ACTES[fmt],
                                                           "filtres": request.GET.dict(), "lignes": qs.count()})
        return reponse_export(EXPORTS_ACTES[fmt], "actes-soins-sans-consentement", ACTES_SSC.noms,
                              ACTES_SSC.lignes_export(qs))
    page = paginer(request, TABLEAU.trier(annoter_prochaine_echeance(filtre.qs), request.GET), 50)
    audit.tracer(request, audit.Action.LECTURE, details={"page": "liste des mesures SSC", "page_n": page.number,
                                                         "recherche": tableaux.texte_recherche(request.GET)})
    return render(request, "usagers/ssc/mesures.html", {"filtre": filtre, "page": page,
                                                         "entetes": TABLEAU.entetes(request),
                                                         "statuts_echeance": Echeance.Statut.choices,
                                                         "peut_admettre": access.has_perm(request.user, "ssc.gerer")})


@login_required
@require_http_methods(["GET", "POST"])
def mesure_nouvelle(request):
    access.exiger(request.user, "ssc.gerer")
    form = AdmissionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            mesure = services.mesure_admettre(par=request.user, service=form.cleaned_data["service"],
                                              patient=form.patient(), mesure=form.mesure())
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.CREATION, mesure)
            messages.success(request, f"Mesure {mesure.reference} enregistrée : ajoutez les pièces d'admission.")
            return redirect("usagers:ssc_mesure", pk=mesure.pk)
    return render(request, "usagers/ssc/admission.html", {"form": form})


# Sections of the page opened by a button (?geste=...), besides the act of a next legal move.
SECTIONS = ("piece", "isolement", "juge_isolement")


def _chronologie(mesure, actes, transitions, documents) -> list[dict]:
    """Every move on the measure with who and when: the recorded moves (admission, acts, cancellations,
    with the step they led to), the acts entered before moves were recorded, the admission documents."""
    suivis = {t.acte_id for t in transitions if t.geste != "annulation"}
    lignes = [{"le": t.le, "libelle": t.libelle, "par": t.par, "commentaire": t.commentaire, "geste": t.geste}
              for t in transitions]
    lignes += [{"le": a.created_at, "libelle": str(a) + (f" ({a.auteur})" if a.auteur else ""), "par": a.created_by,
                "commentaire": "", "geste": a.type} for a in actes if a.pk not in suivis]
    lignes += [{"le": d.created_at, "libelle": f"Pièce d'admission : {d}", "par": d.created_by, "commentaire": "",
                "geste": "piece"} for d in documents]
    if not any(t.geste == "admission" for t in transitions):  # admitted before moves were recorded
        lignes.append({"le": mesure.created_at, "libelle": "Admission", "par": mesure.created_by, "commentaire": "",
                       "geste": "admission"})
    return sorted(lignes, key=lambda ligne: ligne["le"])


def _contexte_mesure(request, mesure, **forms):
    maintenant = timezone.now()
    documents = list(mesure.documents.select_related("created_by"))
    decisions = list(mesure.isolements.annotate(nb_evaluations=Count("evaluations")))
    actes = list(mesure.actes.select_related("created_by"))
    echeances = list(echeances_de(mesure))
    transitions = list(mesure.transitions.select_related("par", "acte"))
    delais = services.delais_ssc()  # the page's thresholds are the deadlines' (the rule table)
    syntheses = [
        synthese(t, [Decision(d.debut, d.fin) for d in decisions if d.type == t], maintenant, seuils(t, delais))
        for t in TYPES if any(d.type == t for d in decisions)
    ]
    types = types_actes_permis(request.user, mesure)
    # Only the next legal moves this user may take are buttons; the other acts are not offered.
    gestes = [g for g in mesure.prochains_gestes(echeances=echeances, actes=actes, maintenant=maintenant)
              if g.code in types]
    codes = {g.code for g in gestes}
    acte_form = forms.get("acte_form")
    geste = request.GET.get("geste", "")
    if acte_form is not None:
        geste = acte_form.data.get("acte-type") or "acte"
    elif geste in codes:
        acte_form = ActeForm(types=types, geste=geste, initial={"date_heure": timezone.localtime(maintenant).replace(
            second=0, microsecond=0)})
    elif geste not in SECTIONS:
        geste = ""
    ouverte = mesure.levee_le is None and mesure.en_hc(actes, maintenant)
    contexte = {
        "mesure": mesure,
        "documents": documents,
        "conformite": services.admission_conformite(mesure, documents),
        "actes": actes,
        "echeances": echeances,
        "etapes": mesure.etapes(actes),
        "gestes": gestes,
        "geste": geste,
        "geste_libelle": next((g.libelle for g in gestes if g.code == geste), ""),
        "chronologie": _chronologie(mesure, actes, transitions, documents),
        "decisions": decisions,
        "syntheses": syntheses,
        "gerer": peut_ecrire(request.user, mesure, "ssc.gerer"),
        "annuler": peut_ecrire(request.user, mesure, "ssc.annuler"),
        # Isolation only for a patient in full hospitalisation; the judge's decision on it once there was one
        # (a refused form stays open with its errors).
        "isoler": (ouverte or "isolement_form" in forms) and peut_ecrire(request.user, mesure, "ssc.isolement"),
        "juge_isolement": (bool(decisions) or "juge_form" in forms)
        and peut_ecrire(request.user, mesure, "ssc.juge_isolement"),
        "acte_form": acte_form,
        "document_form": DocumentForm(),
        "isolement_form": IsolementForm(),
        "juge_form": DecisionJugeIsolementForm(),
        "decisions_juge": mesure.decisions_juge_isolement.all(),
    }
    contexte.update({k: v for k, v in forms.items() if k != "acte_form"})
    if geste == "" and forms:  # a refused section form stays open with its errors
        geste = {"document_form": "piece", "isolement_form": "isolement", "juge_form": "juge_isolement"}.get(
            next(iter(forms)), "")
        contexte["geste"] = geste
    return contexte


@login_required
@require_GET
def mesure(request, pk):
    m = get_mesure_for_user(request.user, pk)
    audit.tracer(request, audit.Action.LECTURE, m)
    return render(request, "usagers/ssc/mesure.html", _contexte_mesure(request, m))


def _echec(request, m, **forms):
    """The measure's page again, with the failing form's errors: a nominative reading, traced as the page is."""
    messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    audit.tracer(request, audit.Action.LECTURE, m)
    return render(request, "usagers/ssc/mesure.html", _contexte_mesure(request, m, **forms))


@login_required
@require_POST
def acte_ajouter(request, pk):
    """One of the measure's next legal moves (its buttons); any other act is refused with the reason."""
    m = get_mesure_for_user(request.user, pk)
    types = types_actes_permis(request.user, m)
    if not types:
        raise PermissionDenied
    geste = request.POST.get("acte-type", "")
    form = ActeForm(request.POST, types=types, geste=geste if geste in TypeActeMesure.values else None)
    if form.is_valid():
        donnees = dict(form.cleaned_data)
        cle = donnees.pop("cle_creation", None)
        try:
            # A double click (or a replayed form) records the act once (qualite/outils/revisions.py).
            acte, nouveau = creer_une_fois(cle, lambda: services.mesure_avancer(mesure=m, par=request.user,
                                                                                 donnees=donnees))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouveau:
                audit.tracer(request, audit.Action.CREATION, acte, details={"mesure": m.reference})
                messages.success(request, f"{acte} enregistré ; le calendrier est recalculé.")
            return redirect("usagers:ssc_mesure", pk=m.pk)
    return _echec(request, m, acte_form=form)


@login_required
@require_POST
def acte_annuler(request, pk, acte_pk):
    m = get_mesure_for_user(request.user, pk, ecriture="ssc.annuler")
    acte = access.objet_ou_404(ActeMesure.objects.filter(mesure=m, annule=False), pk=acte_pk)
    form = AnnulationForm(request.POST)
    if form.is_valid():
        services.acte_annuler(acte=acte, par=request.user, motif=form.cleaned_data["motif"])
        audit.tracer(request, audit.Action.MODIFICATION, acte, details={"annulation": form.cleaned_data["motif"]})
        messages.success(request, f"{acte} annulé ; le calendrier est recalculé.")
    else:
        messages.error(request, "Indiquez le motif de l'annulation.")
    return redirect("usagers:ssc_mesure", pk=m.pk)


@login_required
@require_POST
def document_ajouter(request, pk):
    m = get_mesure_for_user(request.user, pk, ecriture="ssc.gerer")
    form = DocumentForm(request.POST)
    if form.is_valid():
        try:
            doc = services.document_ajouter(mesure=m, par=request.user, donnees=form.cleaned_data)
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.CREATION, m, details={"piece": doc.get_type_display()})
            messages.success(request, "Pièce d'admission enregistrée.")
            return redirect("usagers:ssc_mesure", pk=m.pk)
    return _echec(request, m, document_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def isolement(request, pk, decision_pk=None):
    m = get_mesure_for_user(request.user, pk, ecriture="ssc.isolement" if request.method == "POST" else None)
    instance = None
    if decision_pk is not None:
        instance = access.objet_ou_404(MesureIsolement.objects.filter(mesure=m), pk=decision_pk)
    form = IsolementForm(request.POST or None, instance=instance)
    if request.method == "POST":
        if form.is_valid():
            try:
                d = services.isolement_enregistrer(
                    mesure=m, par=request.user, decision=form.save(commit=False), revision=form.cleaned_data.get("revision"),
                    modifications=form.modifications() if instance is not None else None)
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.CREATION if instance is None else audit.Action.MODIFICATION, d,
                             details={"mesure": m.reference})
                messages.success(request, f"{d} enregistrée.")
                return redirect("usagers:ssc_mesure", pk=m.pk)
        if instance is None:
            return _echec(request, m, isolement_form=form)
    elif instance is not None:
        audit.tracer(request, audit.Action.LECTURE, instance, details={"mesure": m.reference})
    return _page_decision(request, m, instance, form)


def _page_decision(request, m, instance, form, evaluation_form=None, status=200):
    isoler = peut_ecrire(request.user, m, "ssc.isolement")
    if not isoler:
        for champ in form.fields.values():
            champ.disabled = True
    return render(request, "usagers/ssc/isolement.html", {
        "mesure": m, "form": form, "decision": instance, "isoler": isoler,
        "evaluer": peut_ecrire(request.user, m, "ssc.evaluations"),
        "evaluations": instance.evaluations.all() if instance is not None else [],
        "evaluation_form": evaluation_form or EvaluationForm(),
    }, status=status)


@login_required
@require_POST
def evaluation_isolement(request, pk, decision_pk):
    """A psychiatrist's evaluation of the patient during an isolation or restraint decision."""
    m = get_mesure_for_user(request.user, pk, ecriture="ssc.evaluations")
    decision = access.objet_ou_404(MesureIsolement.objects.filter(mesure=m), pk=decision_pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        donnees = dict(form.cleaned_data)
        cle = donnees.pop("cle_creation", None)
        try:
            # A double click (or a replayed form) records the evaluation once (qualite/outils/revisions.py).
            e, nouvelle = creer_une_fois(cle, lambda: services.evaluation_enregistrer(
                decision=decision, par=request.user, donnees=donnees))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouvelle:
                audit.tracer(request, audit.Action.CREATION, e, details={"mesure": m.reference, "decision": decision.pk})
            messages.success(request, f"{e} enregistrée ; les échéances d'évaluation sont recalculées.")
            return redirect("usagers:ssc_isolement_modifier", pk=m.pk, decision_pk=decision.pk)
    return _page_decision(request, m, decision, IsolementForm(instance=decision), evaluation_form=form, status=400)


@login_required
@require_POST
def decision_juge_isolement(request, pk):
    m = get_mesure_for_user(request.user, pk, ecriture="ssc.juge_isolement")
    form = DecisionJugeIsolementForm(request.POST)
    if form.is_valid():
        try:
            d = services.decision_juge_isolement_enregistrer(mesure=m, par=request.user, donnees=form.cleaned_data)
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.CREATION, d, details={"mesure": m.reference})
            messages.success(request, f"{d} enregistrée ; le calendrier est recalculé.")
            return redirect("usagers:ssc_mesure", pk=m.pk)
    return _echec(request, m, juge_form=form)


COLONNES_REGISTRE = ["Type", "Psychiatre décideur", "IPP", "Âge", "Mode d'admission", "Début", "Fin", "Durée (h)",
                     "Surveillance", "Évaluations", "Unité", "Mesure"]


def _age(naissance, le):
    le = timezone.localtime(le).date()
    return le.year - naissance.year - ((le.month, le.day) < (naissance.month, naissance.day))


@login_required
@require_GET
@page_en_cache()
def registre_isolement(request):
    """The legal register (L3222-5-1): one line per decision, with the columns the law lists."""
    _exiger_ssc(request.user)
    filtre = IsolementFilter(request.GET or None, queryset=selectors.registre_isolement(request.user), user=request.user)

    def ligne(d):
        duree = round(duree_ecoulee(d.debut, d.fin or timezone.now()).total_seconds() / 3600, 1)
        return [d.get_type_display(), d.psychiatre, d.mesure.patient.ipp, _age(d.mesure.patient.date_naissance, d.debut),
                d.mesure.get_mode_display(), d.debut, d.fin, duree, d.surveillance, d.nb_evaluations, d.mesure.service.nom,
                d.mesure.reference]

    fmt = parametres.choix(request.GET, "export", {*FORMATS, "decisions-csv", "decisions-xlsx"})
    if fmt in ("decisions-csv", "decisions-xlsx"):
        # The import columns (one row per decision, re-importable), beside the legal register's own columns.
        audit.tracer(request, audit.Action.EXPORT, details={"registre": "décisions d'isolement", "format": fmt,
                                                           "filtres": request.GET.dict()})
        return reponse_export(fmt.removeprefix("decisions-"), "decisions-isolement-contention", ISOLEMENTS_SSC.noms,
                              ISOLEMENTS_SSC.lignes_export(filtre.qs))
    if fmt in FORMATS:
        audit.tracer(request, audit.Action.EXPORT, details={"registre": "isolement et contention", "format": fmt,
                                                           "filtres": request.GET.dict()})
        return reponse_export(fmt, "registre-isolement-contention", COLONNES_REGISTRE,
                              (ligne(d) for d in filtre.qs.iterator(chunk_size=2000)))
    page = paginer(request, filtre.qs, 50)
    audit.tracer(request, audit.Action.LECTURE, details={"page": "registre isolement", "page_n": page.number})
    return render(request, "usagers/ssc/registre.html", {"filtre": filtre, "page": page,
                                                          "lignes": [(d, ligne(d)) for d in page],
                                                          "colonnes": COLONNES_REGISTRE})


@login_required
@require_GET
def statistiques(request):
    access.exiger(request.user, "ssc.statistiques")
    stats = selectors.statistiques_annuelles(request.user)
    if access.has_perm(request.user, "statistiques.effectifs_masques"):  # CDU members, user representatives
        stats = selectors.statistiques_masquees(stats)
    return render(request, "usagers/ssc/statistiques.html", {"stats": stats})
