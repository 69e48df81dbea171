from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from qualite.pieces.models import PieceJointe


def pieces_de(objet, *, archivees: bool = False) -> list[PieceJointe]:
    """A record's files, newest first; archived ones only for whoever may see them."""
    qs = PieceJointe.objects.de(objet).select_related("created_by", "archivee_par")
    if not archivees:
        qs = qs.actives()
    return list(qs)


@dataclass(frozen=True)
class EvenementPiece:
    """One line of a record's timeline: a file attached or archived."""

    le: datetime
    libelle: str
    par: object
    par_id: int | None
    piece: PieceJointe


def chronologie(pieces: list[PieceJointe]) -> list[EvenementPiece]:
    lignes = []
    for p in pieces:
        lignes.append(EvenementPiece(p.created_at, f"Pièce jointe ajoutée : {p.nom}", p.created_by, p.created_by_id, p))
        if p.archivee:
            lignes.append(EvenementPiece(p.archivee_le, f"Pièce jointe archivée : {p.nom} ({p.motif_archivage})",
                                         p.archivee_par, p.archivee_par_id, p))
    return lignes
