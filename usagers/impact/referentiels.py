"""The impact questionnaire and the bientraitance grid, as data: copied into the database after every
`migrate` (qualite/echeances/referentiels.py), created or updated by their codes, never duplicated."""

import json
from pathlib import Path

DONNEES = Path(__file__).resolve().parent / "donnees"
FICHIERS = {"impact": DONNEES / "questionnaire_impact.json", "bientraitance": DONNEES / "grille_bientraitance.json"}


def charger(type_: str, chemin: Path):
    from usagers.impact.models import Grille, ItemGrille, ThemeGrille

    d = json.loads(chemin.read_text(encoding="utf-8"))
    grille, _ = Grille.objects.update_or_create(code=d["code"], defaults={
        "type": type_, "titre": d["titre"], "source": d.get("source", ""), "echelle": d["echelle"],
        "seuil": d.get("seuil", 50)})
    for t in d["themes"]:
        theme, _ = ThemeGrille.objects.update_or_create(grille=grille, numero=t["numero"], defaults={"titre": t["titre"]})
        for i in t["items"]:
            ItemGrille.objects.update_or_create(theme=theme, numero=i["numero"], defaults={"texte": i["texte"]})
    return grille


def synchroniser() -> None:
    for type_, chemin in FICHIERS.items():
        charger(type_, chemin)
