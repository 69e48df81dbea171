"""Demo référentiel: the example file of the repository, loaded by the same import as the référentiel page."""

from pathlib import Path

from certification.models import Referentiel
from certification.services import referentiel_importer

FICHIER_EXEMPLE = Path(__file__).resolve().parent / "donnees" / "referentiel_exemple.csv"
VERSION_EXEMPLE = "exemple-demo"


def charger_demo():
    """Only in a database with no référentiel: a real one imported by the quality team is never shadowed."""
    if Referentiel.objects.exists():
        return
    referentiel_importer(contenu=FICHIER_EXEMPLE.read_bytes(), version=VERSION_EXEMPLE, activer=True,
                         libelle="Référentiel d'exemple (démonstration : structure HAS, textes à remplacer)")
