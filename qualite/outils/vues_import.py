"""Staff page to import a register: upload, preview every error or every row, confirm, follow.

Between preview and confirmation the file waits in IMPORT_TEMP_DIR under a random name;
the session holds only that name, so a user confirms only the file they uploaded. The confirmation
creates one ImportFichier per file (a double click finds it again): a small file is written at once,
a larger one by the worker, whose progress the import's page follows."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from qualite.organisation import access
from qualite.outils import importation
from qualite.outils.formulaires import ImportForm
from qualite.outils.importation import lecture
from qualite.outils.importation.attente import dossier as _dossier
from qualite.outils.importation.attente import purger as _purger
from qualite.taches import services as taches
from qualite.taches.models import ImportFichier

CLE_SESSION = "import_en_attente"
APERCU_MAX = 500
# Above this, the preview checks the file only; the business rules run at confirmation (still all or nothing).
ESSAI_MAX = 3000
# Up to this many rows the confirmation writes within the request (a second or two); above, the worker does.
SYNCHRONE_MAX = 1000


def _registres(user):
    access.exiger(user, "import.registres")
    registres = importation.registres_pour(user)
    if not registres:
        raise PermissionDenied
    return registres


def _en_attente(request):
    """The registre and file of this session's pending import, or (None, None)."""
    attente = request.session.get(CLE_SESSION) or {}
    jeton = attente.get("jeton", "")
    registre = importation.REGISTRES.get(attente.get("registre", ""))
    try:
        chemin = importation.chemin_en_attente(jeton)
    except ValueError:
        return None, None, None
    if registre is None or not chemin.is_file() or not registre.peut_importer(request.user):
        return None, None, None
    return registre, chemin, attente.get("nom", "")


def _oublier(request, chemin: Path | None) -> None:
    request.session.pop(CLE_SESSION, None)
    if chemin is not None:
        chemin.unlink(missing_ok=True)


def _apercu(request, registre, analyse, bilan, nom):
    erreurs = bilan.erreurs
    return render(request, "qualite/outils/import/apercu.html", {
        "registre": registre, "nom": nom, "erreurs": erreurs, "bilan": bilan, "regles_a_la_confirmation": len(analyse.operations) > ESSAI_MAX,
        "operations": [] if erreurs else analyse.operations[:APERCU_MAX], "tronque": len(analyse.operations) > APERCU_MAX,
    }, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def importer(request):
    registres = _registres(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, registres=registres)
    if request.method == "POST" and form.is_valid():
        registre = importation.REGISTRES[form.cleaned_data["registre"]]
        fichier = form.cleaned_data["fichier"]
        contenu = fichier.read()
        try:
            analyse = importation.analyser(registre, contenu, utilisateur=request.user, nom_fichier=fichier.name)
        except lecture.FichierRefuse as exc:
            form.add_error("fichier", f"Fichier refusé : {exc} Rien n'a été enregistré.")
            return render(request, "qualite/outils/import/formulaire.html", {"form": form, "registres": registres})
        if len(analyse.operations) <= ESSAI_MAX:
            bilan = importation.ecrire(analyse, utilisateur=request.user, request=request, essai=True)
        else:
            bilan = importation.Bilan(crees=analyse.compte("création"), modifies=analyse.compte("modification"),
                                      inchanges=analyse.compte("inchangée"), erreurs=list(analyse.erreurs))
        _, ancien, _ = _en_attente(request)
        _oublier(request, ancien)
        if not bilan.erreurs:
            dossier = _dossier()
            _purger(dossier)
            jeton = uuid.uuid4().hex
            (dossier / f"{jeton}.fichier").write_bytes(contenu)
            request.session[CLE_SESSION] = {"jeton": jeton, "registre": registre.code, "nom": fichier.name,
                                            "lignes": len(analyse.operations)}
        return _apercu(request, registre, analyse, bilan, fichier.name)
    return render(request, "qualite/outils/import/formulaire.html", {"form": form, "registres": registres})


@login_required
@require_POST
def confirmer(request):
    _registres(request.user)
    registre, chemin, nom = _en_attente(request)
    if registre is None:
        messages.error(request, "Aucun import en attente : déposez de nouveau le fichier.")
        return redirect("qualite:importer")
    attente = request.session[CLE_SESSION]
    lignes = int(attente.get("lignes") or 0)
    demande, nouvelle = taches.import_demander(par=request.user, registre=registre.code, jeton=attente["jeton"],
                                               nom_fichier=nom, lignes=lignes)
    if not nouvelle:  # a second click: the import already asked for
        return redirect("qualite:import_suivi", pk=demande.pk)
    if lignes > SYNCHRONE_MAX:
        try:
            taches.import_lancer(demande=demande)
        except taches.ServiceIndisponible as exc:
            messages.error(request, str(exc))
            return redirect("qualite:importer")
        request.session.pop(CLE_SESSION, None)  # the file now belongs to the import
        return redirect("qualite:import_suivi", pk=demande.pk)
    request.session.pop(CLE_SESSION, None)
    demande = taches.import_executer(demande_id=demande.pk, suivre=False, request=request)
    if demande.statut != ImportFichier.Statut.TERMINE:
        return redirect("qualite:import_suivi", pk=demande.pk)
    messages.success(request, f"{registre.libelle} : {demande.crees} création(s), {demande.modifies} modification(s), "
                              f"{demande.inchanges} ligne(s) inchangée(s).")
    return redirect("qualite:importer")


@login_required
@require_GET
def suivi(request, pk: int):
    """The import's state, refreshed every few seconds without JavaScript until it ends (done or failed)."""
    _registres(request.user)
    demande = access.objet_ou_404(ImportFichier.objects.filter(demande_par=request.user), pk=pk)
    if not demande.fini and taches.imports_bloques_terminer(pk=demande.pk):
        demande.refresh_from_db()
    return render(request, "qualite/outils/import/suivi.html", {
        "demande": demande, "registre": importation.REGISTRES.get(demande.registre),
        "erreurs": demande.erreurs[:500], "tronque": len(demande.erreurs) > 500})


@login_required
@require_POST
def abandonner(request):
    _registres(request.user)
    _, chemin, _ = _en_attente(request)
    _oublier(request, chemin)
    messages.info(request, "Import abandonné : rien n'a été enregistré.")
    return redirect("qualite:importer")
