"""Default scales and thresholds of the risk map, copied into the database after every `migrate`
(qualite/echeances/referentiels.py). A level already there is never overwritten: the admin's edits stay."""

from decimal import Decimal

# (échelle, valeur, libellé, description, coefficient)
NIVEAUX = [
    ("frequence", 1, "Très rare", "Moins d'une fois tous les 5 ans", Decimal("1")),
    ("frequence", 2, "Rare", "Une fois tous les 1 à 5 ans", Decimal("1")),
    ("frequence", 3, "Peu fréquent", "Quelques fois par an", Decimal("1")),
    ("frequence", 4, "Fréquent", "Tous les mois", Decimal("1")),
    ("frequence", 5, "Très fréquent", "Toutes les semaines ou plus", Decimal("1")),
    ("gravite", 1, "Mineure", "Sans conséquence pour le patient ni pour l'organisation", Decimal("1")),
    ("gravite", 2, "Significative", "Incident sans dommage, prise en charge retardée", Decimal("1")),
    ("gravite", 3, "Majeure", "Dommage réversible, prolongation du séjour", Decimal("1")),
    ("gravite", 4, "Critique", "Dommage irréversible ou incapacité", Decimal("1")),
    ("gravite", 5, "Catastrophique", "Décès ou mise en jeu du pronostic vital", Decimal("1")),
    ("maitrise", 1, "Maîtrise insuffisante", "Aucune barrière, ou des barrières inopérantes", Decimal("1.00")),
    ("maitrise", 2, "Maîtrise partielle", "Barrières en place mais non formalisées ni évaluées", Decimal("0.75")),
    ("maitrise", 3, "Bonne maîtrise", "Barrières formalisées et appliquées", Decimal("0.50")),
    ("maitrise", 4, "Maîtrise optimale", "Barrières formalisées, évaluées et efficaces", Decimal("0.25")),
]


def synchroniser() -> None:
    from qualite.risques.models import NiveauEchelle, ReglagesRisques

    if not NiveauEchelle.objects.exists():  # a scale the établissement shortened (1–4) stays so
        NiveauEchelle.objects.bulk_create([
            NiveauEchelle(echelle=e, valeur=v, libelle=lib, description=desc, poids=poids)
            for e, v, lib, desc, poids in NIVEAUX])
    if not ReglagesRisques.objects.exists():
        ReglagesRisques.objects.create()
