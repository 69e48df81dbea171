"""Attaching and archiving files. The stored file and its row live or die together."""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from qualite.pieces.models import PieceJointe, chemin_stockage
from qualite.pieces.stockage import STOCKAGE
from qualite.pieces.verification import Controle

logger = logging.getLogger(__name__)


def supprimer_fichier(nom: str) -> None:
    """Remove a stored file whose row could not be written; never raises."""
    try:
        STOCKAGE.delete(nom)
    except Exception:  # the row's failure is the error to report; a stray file is logged for the sweep
        logger.exception("Pièce jointe : fichier %s resté dans le stockage après un échec.", nom)


def piece_deposer(*, objet, fichier, nom: str, controle: Controle, par) -> PieceJointe:
    """Store the (already checked) file, then write its row; if the row cannot be written, the file is
    removed (nothing half-saved). Called from a view, outside any caller's transaction: a file whose row
    a later rollback undid is found by `manage.py pieces_orphelines`."""
    piece = PieceJointe(content_type=ContentType.objects.get_for_model(objet), object_id=objet.pk, nom=nom,
                        taille=controle.taille, type_mime=controle.type_mime, sha256=controle.sha256, created_by=par)
    fichier.seek(0)
    nom_stocke = STOCKAGE.save(chemin_stockage(piece, nom), fichier)
    try:
        with transaction.atomic():
            piece.fichier.name = nom_stocke
            piece.save()
    except BaseException:
        supprimer_fichier(nom_stocke)
        raise
    return piece


@transaction.atomic
def piece_archiver(*, piece: PieceJointe, par, motif: str) -> tuple[PieceJointe, bool]:
    """Archiving hides the file from ordinary lists; it stays in storage, with its history. (piece, False)
    when someone archived it first: their date, author and reason are kept."""
    piece = PieceJointe.objects.select_for_update(of=("self",)).select_related("archivee_par").get(pk=piece.pk)
    if piece.archivee:
        return piece, False
    piece.archivee, piece.archivee_le, piece.archivee_par, piece.motif_archivage = True, timezone.now(), par, motif
    piece.save(update_fields=["archivee", "archivee_le", "archivee_par", "motif_archivage", "updated_at"])
    return piece, True
