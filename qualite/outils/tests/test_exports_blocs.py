"""The CSV export sends its rows by blocks: every row once, in order, whatever the block size, and the
memory of one block only (the file is never built whole)."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from qualite.outils import exports


def _lire(reponse) -> tuple[list[bytes], list[list[str]]]:
    morceaux = [m for m in reponse.streaming_content]
    texte = b"".join(morceaux).decode("utf-8")
    assert texte.startswith("\ufeff")
    return morceaux, list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))


@pytest.mark.parametrize("par_bloc, lignes", [(2, 0), (2, 1), (2, 4), (2, 5), (500, 1001)])
def test_chaque_ligne_une_fois_dans_l_ordre(monkeypatch, par_bloc, lignes):
    monkeypatch.setattr(exports, "LIGNES_PAR_BLOC", par_bloc)
    quand = datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("UTC"))  # 03:30 à Paris, le jour du passage à l'heure d'été
    donnees = ([f"EI-{i}", i, quand, True, None, "=1+1"] for i in range(lignes))
    morceaux, rangees = _lire(exports.reponse_export("csv", "essai", ["ref", "n", "quand", "oui", "vide", "texte"],
                                                    donnees))
    assert rangees[0] == ["ref", "n", "quand", "oui", "vide", "texte"]
    assert rangees[1:] == [[f"EI-{i}", str(i), "29/03/2026 03:30", "oui", "", "'=1+1"] for i in range(lignes)]
    assert len(morceaux) == lignes // par_bloc + 1  # a block per LIGNES_PAR_BLOC rows, then the rest
