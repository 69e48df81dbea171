"""Files waiting between the preview and the end of their import: IMPORT_TEMP_DIR, under a random name."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from django.conf import settings

DUREE_CONSERVATION = 24 * 3600


def dossier() -> Path:
    chemin = Path(settings.IMPORT_TEMP_DIR)
    chemin.mkdir(parents=True, exist_ok=True, mode=0o700)
    return chemin


def purger(chemin: Path) -> None:
    limite = time.time() - DUREE_CONSERVATION
    for f in chemin.glob("*.fichier"):
        if f.stat().st_mtime < limite:
            f.unlink(missing_ok=True)


def chemin_en_attente(jeton: str) -> Path:
    """Raises ValueError for anything but a uuid: the name never comes from the user as is."""
    return dossier() / f"{uuid.UUID(hex=jeton).hex}.fichier"
