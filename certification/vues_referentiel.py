"""Loading a référentiel from the page: upload → preview (every fault by line and column, or what would
be loaded) → confirm. Between preview and confirmation the file waits in IMPORT_TEMP_DIR under a random
name; the session holds only that name, so a user confirms only the file they uploaded."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from certification import services
from certification.forms import ReferentielImportForm
from qualite.organisation import access, audit

CLE_SESSION = "referentiel_en_attente"
DUREE_CONSERVATION = 24 * 3600
APERCU_MAX = 300
PERMISSION = "certification.gerer"


def _dossier() -> Path:
    dossier = Path(settings.IMPORT_TEMP_DIR)
    dossier.mkdir(parents=True, exist_ok=True, mode=0o700)
    limite = time.time() - DUREE_CONSERVATION
    for f in dossier.glob("*.referentiel"):
        if f.stat().st_mtime < limite:
            f.unlink(missing_ok=True)
    return dossier


def _en_attente(request) -> tuple[Path | None, dict]:
    attente = request.session.get(CLE_SESSION) or {}
    try:
        chemin = _dossier() / f"{uuid.UUID(hex=attente.get('jeton', '')).hex}.referentiel"
    except ValueError:
        return None, {}
    return (chemin, attente) if chemin.is_file() else (None, {})


def _oublier(request) -> None:
    chemin, _ = _en_attente(request)
    request.session.pop(CLE_SESSION, None)
    if chemin is not None:
        chemin.unlink(missing_ok=True)


@login_required
@require_http_methods(["GET", "POST"])
def importer(request):
    access.exiger(request.user, PERMISSION)
    form = ReferentielImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        contenu = form.cleaned_data["fichier"].read()
        analyse = services.referentiel_analyser(contenu)
        _oublier(request)
        if not analyse.erreurs:
            jeton = uuid.uuid4().hex
            (_dossier() / f"{jeton}.referentiel").write_bytes(contenu)
            request.session[CLE_SESSION] = {
                "jeton": jeton, "nom": form.cleaned_data["fichier"].name, "version": form.cleaned_data["version"],
                "libelle": form.cleaned_data["libelle"], "activer": form.cleaned_data["activer"]}
        return render(request, "certification/referentiel_apercu.html", {
            "analyse": analyse, "nom": form.cleaned_data["fichier"].name, "form": form,
            "lignes": analyse.lignes[:APERCU_MAX], "tronque": len(analyse.lignes) > APERCU_MAX,
            "version": form.cleaned_data["version"]})
    if request.method == "POST":
        messages.error(request, "Rien n'a été chargé : corrigez les champs signalés.")
    return render(request, "certification/referentiel_import.html", {"form": form})


@login_required
@require_POST
def confirmer(request):
    access.exiger(request.user, PERMISSION)
    chemin, attente = _en_attente(request)
    if chemin is None:
        messages.error(request, "Aucun import en attente : déposez de nouveau le fichier.")
        return redirect("certification:referentiel_importer")
    try:
        ref = services.referentiel_importer(contenu=chemin.read_bytes(), version=attente["version"],
                                            libelle=attente["libelle"], activer=attente["activer"], par=request.user)
    except services.ErreurImport as exc:
        _oublier(request)
        messages.error(request, f"Rien n'a été chargé — {exc}")
        return redirect("certification:referentiel_importer")
    _oublier(request)
    audit.tracer(request, audit.Action.CREATION, ref)
    messages.success(request, f"Référentiel « {ref} » chargé : {ref.criteres.count()} critère(s)"
                              + (" ; c'est désormais le référentiel actif." if ref.actif else "."))
    return redirect("certification:referentiel")
