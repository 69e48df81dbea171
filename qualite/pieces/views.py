"""A record's files: list, add, download, archive. Every view gets the record through its domain's own
access rule (qualite/pieces/registre.py): out of scope is 404, as on the record's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from qualite.organisation import access, audit
from qualite.outils.formulaires import erreurs_vers_formulaire
from qualite.outils.revisions import creer_une_fois
from qualite.pieces import registre, services
from qualite.pieces.forms import ArchivageForm, PieceForm
from qualite.pieces.models import PieceJointe
from qualite.pieces.selectors import pieces_de
from qualite.pieces.stockage import STOCKAGE


def _contexte(request, rattachable, objet, **extra):
    ecrire = rattachable.ecrire(request.user, objet)
    voir_archives = ecrire and request.GET.get("archives") == "1"
    contexte = {"objet": objet, "rattachable": rattachable, "ecrire": ecrire, "voir_archives": voir_archives,
                "pieces": pieces_de(objet, archivees=voir_archives), "piece_form": PieceForm() if ecrire else None,
                "url_objet": rattachable.url(objet) if rattachable.url(objet) != request.path else None}
    contexte.update(extra)
    return contexte


def _page(request, rattachable, objet, **extra):
    """The record's files page, also shown again with a form's errors: each showing is a traced read."""
    audit.tracer(request, audit.Action.LECTURE, objet, details={"page": "pièces jointes"})
    return render(request, "qualite/pieces/liste.html", _contexte(request, rattachable, objet, **extra))


@login_required
@require_GET
def liste(request, cle, pk):
    rattachable = registre.par_cle(cle)
    return _page(request, rattachable, registre.obtenir(rattachable, request.user, pk))


@login_required
@require_POST
def ajouter(request, cle, pk):
    rattachable = registre.par_cle(cle)
    objet = registre.obtenir(rattachable, request.user, pk)
    if not rattachable.ecrire(request.user, objet):
        raise PermissionDenied
    form = PieceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            piece, cree = creer_une_fois(form.cleaned_data.get("cle_creation"), lambda: services.piece_deposer(
                objet=objet, fichier=form.cleaned_data["fichier"], nom=form.nom, controle=form.controle,
                par=request.user))
        except ValidationError as exc:
            erreurs_vers_formulaire(form, exc)
        else:
            if cree:
                audit.tracer(request, audit.Action.CREATION, objet,
                             details={"piece_jointe": piece.pk, "fichier": piece.nom, "sha256": piece.sha256})
                messages.success(request, f"Pièce jointe « {piece.nom} » enregistrée.")
            else:
                messages.info(request, f"Pièce jointe « {piece.nom} » déjà enregistrée par ce formulaire.")
            return redirect(f"{rattachable.url(objet)}#pieces-jointes-{rattachable.cle}-{objet.pk}")
    messages.error(request, "Le fichier n'a pas été enregistré : voyez le motif sous le champ.")
    return _page(request, rattachable, objet, piece_form=form)


def _piece_pour(request, pk):
    """The file and its record, if the user may see that record's files; an archived file only for its writers."""
    piece = access.objet_ou_404(PieceJointe.objects.select_related("content_type"), pk=pk)
    rattachable = registre.pour_modele(piece.content_type.model_class())
    if rattachable is None:
        raise Http404
    objet = registre.obtenir(rattachable, request.user, piece.object_id)
    ecrire = rattachable.ecrire(request.user, objet)
    if piece.archivee and not ecrire:
        raise Http404
    return piece, rattachable, objet, ecrire


@login_required
@require_GET
def telecharger(request, pk):
    piece, _, objet, _ = _piece_pour(request, pk)
    try:
        contenu = STOCKAGE.open(piece.fichier.name, "rb")
    except FileNotFoundError:
        return render(request, "qualite/pieces/fichier_absent.html", {"piece": piece}, status=404)
    audit.tracer(request, audit.Action.LECTURE, objet,
                 details={"telechargement": True, "piece_jointe": piece.pk, "fichier": piece.nom})
    return FileResponse(contenu, as_attachment=True, filename=piece.nom, content_type=piece.type_mime)


@login_required
@require_POST
def archiver(request, pk):
    piece, rattachable, objet, ecrire = _piece_pour(request, pk)
    if not ecrire:
        raise PermissionDenied
    form = ArchivageForm(request.POST)
    if form.is_valid():
        piece, fait = services.piece_archiver(piece=piece, par=request.user, motif=form.cleaned_data["motif"])
        if fait:
            audit.tracer(request, audit.Action.ARCHIVAGE, objet,
                         details={"piece_jointe": piece.pk, "fichier": piece.nom, "motif": piece.motif_archivage})
            messages.success(request, f"Pièce jointe « {piece.nom} » archivée.")
        else:
            messages.info(request, f"Pièce jointe « {piece.nom} » déjà archivée par {piece.archivee_par or '—'} "
                                   f"le {timezone.localtime(piece.archivee_le):%d/%m/%Y à %H:%M} "
                                   f"(motif : {piece.motif_archivage}) : rien n'a été modifié.")
        return redirect(f"{rattachable.url(objet)}#pieces-jointes-{rattachable.cle}-{objet.pk}")
    messages.error(request, "La pièce jointe n'a pas été archivée : indiquez le motif.")
    return _page(request, rattachable, objet, archivage=form, archivage_piece=piece.pk)
