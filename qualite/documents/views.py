"""Pages of the document system. Each view gets its document or version through qualite/documents/access.py:
out of scope is 404, a missing permission 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualite.documents import access as documents_access
from qualite.documents import selectors, services
from qualite.documents.access import get_document_for_user, get_version_for_user
from qualite.documents.filters import TABLEAU
from qualite.documents.forms import (
    DiffusionForm,
    DocumentForm,
    LienActionForm,
    LienCritereForm,
    MouvementForm,
    VersionForm,
)
from qualite.documents.models import Document, LienAction, LienCritere, VersionDocument
from qualite.echeances.models import Echeance
from qualite.echeances.moteur import echeances_de
from qualite.organisation import access, audit
from qualite.outils import parametres
from qualite.outils.cache_pages import page_en_cache
from qualite.outils.exports import FORMATS, reponse_export
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.pagination import paginer
from qualite.outils.revisions import creer_une_fois
from qualite.pieces.stockage import STOCKAGE

Statut = VersionDocument.Statut


@login_required
@require_GET
@page_en_cache()
def liste(request):
    documents_access.exiger_voir(request.user)
    filtre = selectors.documents_liste(request.user, request.GET)
    page = paginer(request, filtre.qs, 50)
    return render(request, "qualite/documents/liste.html", {
        "filtre": filtre, "page": page, "rediger": access.has_perm(request.user, "documents.rediger"),
        "entetes": TABLEAU.entetes(request), "statuts_echeance": Echeance.Statut.choices})


@login_required
@require_http_methods(["GET", "POST"])
def nouveau(request):
    access.exiger(request.user, "documents.rediger")
    form = DocumentForm(request.POST or None, user=request.user)
    fichier_form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and fichier_form.is_valid():
        donnees = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "cle_creation")}
        documents_access.exiger_dans_perimetre(request.user, "documents.rediger", donnees["etablissement"].pk)
        try:
            document, nouveau_doc = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.document_creer(
                donnees=donnees, par=request.user, fichier=fichier_form.cleaned_data["fichier"],
                nom=fichier_form.nom, controle=fichier_form.controle))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if nouveau_doc:
                audit.tracer(request, audit.Action.CREATION, document)
            messages.success(request, f"Document « {document.titre} » enregistré, version 1 en rédaction.")
            return redirect("documents:detail", pk=document.pk)
    if request.method == "POST":
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "qualite/documents/formulaire.html", {"form": form, "fichier_form": fichier_form})


def _contexte(request, document, **extra):
    user = request.user
    versions = list(selectors.versions_de(document, user))
    for v in versions:
        v.document = document
        v.mouvements = [(vers, libelle) for vers, libelle in services.mouvements_possibles(v, user)
                        if vers != Statut.DIFFUSEE]
        v.peut_diffuser = services.refus_du_mouvement(v, Statut.DIFFUSEE, user) is None
    rediger = documents_access.dans_perimetre(user, "documents.rediger", document.etablissement_id)
    en_cours = next((v for v in versions if v.statut in services.EN_COURS), None)
    contexte = {
        "document": document, "versions": versions, "rediger": rediger,
        "gere": documents_access.gere(user, document.etablissement_id),
        "echeances": echeances_de(document),
        "criteres": LienCritere.objects.filter(document=document).select_related("critere").order_by("critere__code"),
        "actions": _actions_liees(document, user),
        "en_cours": en_cours,
        "version_form": VersionForm() if rediger and en_cours is None else None,
        "lien_critere_form": LienCritereForm() if rediger else None,
        "lien_action_form": LienActionForm(user=user, etablissement_id=document.etablissement_id) if rediger else None,
    }
    contexte.update(extra)
    return contexte


def _actions_liees(document, user):
    from qualite.paqss.access import actions_scope
    from qualite.paqss.models import ActionAmelioration

    ids = LienAction.objects.filter(document=document).values("action_id")
    return actions_scope(ActionAmelioration.objects.filter(pk__in=ids), user).order_by("titre")


@login_required
@require_GET
def detail(request, pk):
    document = get_document_for_user(request.user, pk)
    return render(request, "qualite/documents/detail.html", _contexte(request, document))


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, pk):
    document = get_document_for_user(request.user, pk)
    documents_access.exiger_dans_perimetre(request.user, "documents.rediger", document.etablissement_id)
    form = DocumentForm(request.POST or None, instance=Document.objects.get(pk=document.pk), user=request.user)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.document_modifier(document=document, par=request.user, donnees=form.modifications(),
                                           revision=form.cleaned_data.get("revision"))
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.MODIFICATION, document)
                messages.success(request, "Document enregistré.")
                return redirect("documents:detail", pk=document.pk)
        messages.error(request, "Rien n'a été enregistré : corrigez les champs signalés.")
    return render(request, "qualite/documents/formulaire.html", {"form": form, "document": document})


@login_required
@require_POST
def version_ajouter(request, pk):
    document = get_document_for_user(request.user, pk)
    documents_access.exiger_dans_perimetre(request.user, "documents.rediger", document.etablissement_id)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.version_deposer(document=document, par=request.user,
                                               fichier=form.cleaned_data["fichier"], nom=form.nom,
                                               controle=form.controle)
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.CREATION, document,
                         details={"version": version.numero, "fichier": version.nom, "sha256": version.sha256})
            messages.success(request, f"Version {version.numero} déposée, en rédaction.")
            return redirect("documents:detail", pk=document.pk)
    messages.error(request, "La version n'a pas été enregistrée : voyez le motif sous le champ.")
    return render(request, "qualite/documents/detail.html", _contexte(request, document, version_form=form), status=200)


def _version_en_mouvement(request, pk):
    version = get_version_for_user(request.user, pk)
    if not documents_access.gere(request.user, version.document.etablissement_id):
        raise PermissionDenied
    return version


@login_required
@require_POST
def mouvement(request, pk):
    version = _version_en_mouvement(request, pk)
    form = MouvementForm(request.POST)
    if not form.is_valid() or form.cleaned_data["vers"] == Statut.DIFFUSEE:
        messages.error(request, "Étape inconnue : rechargez la page.")
        return redirect("documents:detail", pk=version.document_id)
    vers = form.cleaned_data["vers"]
    try:
        version = services.version_transition(version=version, vers=vers, par=request.user,
                                              commentaire=form.cleaned_data["commentaire"],
                                              revision=form.cleaned_data["revision"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.tracer(request, audit.Action.MODIFICATION, version.document,
                     details={"version": version.numero, "statut": vers})
        messages.success(request, f"Version {version.numero} : {version.get_statut_display().lower()}.")
    return redirect("documents:detail", pk=version.document_id)


@login_required
@require_http_methods(["GET", "POST"])
def diffuser(request, pk):
    version = _version_en_mouvement(request, pk)
    refus = services.refus_du_mouvement(version, Statut.DIFFUSEE, request.user)
    if refus:
        raise PermissionDenied
    etab = version.document.etablissement_id
    form = DiffusionForm(request.POST or None, etablissement_id=etab, initial={"revision": version.revision})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                version = services.version_transition(
                    version=version, vers=Statut.DIFFUSEE, par=request.user, commentaire=d["commentaire"],
                    revision=d["revision"], cibles={"services": d["services"], "poles": d["poles"], "roles": d["roles"]})
            except ValidationError as exc:
                erreurs_vers_formulaire(form, exc)
            else:
                audit.tracer(request, audit.Action.MODIFICATION, version.document,
                             details={"version": version.numero, "statut": Statut.DIFFUSEE})
                messages.success(request, f"Version {version.numero} diffusée.")
                return redirect("documents:diffusion", pk=version.pk)
        messages.error(request, "La version n'a pas été diffusée : corrigez les champs signalés.")
    return render(request, "qualite/documents/diffuser.html", {"version": version, "form": form})


@login_required
@require_GET
def diffusion(request, pk):
    version = get_version_for_user(request.user, pk)
    if not documents_access.gere(request.user, version.document.etablissement_id):
        raise PermissionDenied
    destinataires, comptes = selectors.suivi_diffusion(version)
    fmt = parametres.choix(request.GET, "export", FORMATS)
    if fmt in FORMATS:
        audit.tracer(request, audit.Action.EXPORT, version.document,
                     details={"registre": "accuses_lecture", "version": version.numero, "format": fmt,
                              "lignes": comptes["total"]})
        lignes = ([u.get_full_name() or u.username, u.username, str(u.service or ""), "oui" if u.lu_le else "non", u.lu_le]
                  for u in destinataires)
        return reponse_export(fmt, f"accuses-lecture-document-{version.document_id}-v{version.numero}",
                              ["Nom", "Identifiant", "Service", "Lu", "Lu le"], lignes)
    # Who has read what is personal data of the staff: its page is a traced read, as its export is.
    audit.tracer(request, audit.Action.LECTURE, version.document,
                 details={"page": "accusés de lecture", "version": version.numero, "lignes": comptes["total"]})
    return render(request, "qualite/documents/diffusion.html",
                  {"version": version, "destinataires": destinataires, "comptes": comptes})


@login_required
@require_GET
def telecharger(request, pk):
    version = get_version_for_user(request.user, pk)
    try:
        contenu = STOCKAGE.open(version.fichier.name, "rb")
    except FileNotFoundError:
        return render(request, "qualite/pieces/fichier_absent.html", {"piece": version}, status=404)
    audit.tracer(request, audit.Action.LECTURE, version.document,
                 details={"telechargement": True, "version": version.numero, "fichier": version.nom})
    return FileResponse(contenu, as_attachment=True, filename=version.nom, content_type=version.type_mime)


@login_required
@require_GET
def a_lire(request):
    documents_access.exiger_voir(request.user)
    versions = list(selectors.a_lire(request.user)[:200])
    return render(request, "qualite/documents/a_lire.html", {"versions": versions})


@login_required
@require_POST
def accuser_lecture(request, pk):
    version = get_version_for_user(request.user, pk)
    try:
        accuse = services.accuse_enregistrer(version=version, par=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        audit.tracer(request, audit.Action.CREATION, accuse, etablissement_id=version.document.etablissement_id,
                     details={"accuse_lecture": version.pk, "document": version.document.titre})
        messages.success(request, f"Lecture de « {version.document.titre} » (version {version.numero}) confirmée.")
    return redirect("documents:a_lire")


@login_required
@require_GET
def recherche(request):
    documents_access.exiger_voir(request.user)
    texte = request.GET.get("q", "")
    resultats = selectors.rechercher(request.user, texte)
    return render(request, "qualite/documents/recherche.html", {"texte": texte, "resultats": resultats})


@login_required
@require_POST
def lien_critere(request, pk):
    document = get_document_for_user(request.user, pk)
    documents_access.exiger_dans_perimetre(request.user, "documents.rediger", document.etablissement_id)
    form = LienCritereForm(request.POST)
    if form.is_valid():
        services.lien_critere_ajouter(document=document, critere=form.cleaned_data["critere"], par=request.user)
        audit.tracer(request, audit.Action.MODIFICATION, document,
                     details={"lien_critere": form.cleaned_data["critere"].code})
        messages.success(request, "Document lié au critère.")
        return redirect("documents:detail", pk=document.pk)
    messages.error(request, "Le lien n'a pas été enregistré : corrigez le champ signalé.")
    return render(request, "qualite/documents/detail.html", _contexte(request, document, lien_critere_form=form))


@login_required
@require_POST
def lien_action(request, pk):
    document = get_document_for_user(request.user, pk)
    documents_access.exiger_dans_perimetre(request.user, "documents.rediger", document.etablissement_id)
    form = LienActionForm(request.POST, user=request.user, etablissement_id=document.etablissement_id)
    if form.is_valid():
        try:
            services.lien_action_ajouter(document=document, action=form.cleaned_data["action"], par=request.user)
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            audit.tracer(request, audit.Action.MODIFICATION, document,
                         details={"lien_action": form.cleaned_data["action"].pk})
            messages.success(request, "Document lié à l'action.")
            return redirect("documents:detail", pk=document.pk)
    messages.error(request, "Le lien n'a pas été enregistré : corrigez le champ signalé.")
    return render(request, "qualite/documents/detail.html", _contexte(request, document, lien_action_form=form))
