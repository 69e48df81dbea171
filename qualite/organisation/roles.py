"""The catalogue of roles (docs/acces.md). Permissions live in access.py."""

from django.db import models


class Role(models.TextChoices):
    DECLARANT = "declarant", "Déclarant"
    CADRE_POLE = "cadre_pole", "Cadre / chef de pôle"
    GESTIONNAIRE_RISQUES = "gestionnaire_risques", "Gestionnaire des risques / qualiticien"
    RELATIONS_USAGERS = "relations_usagers", "Chargé des relations avec les usagers"
    BUREAU_ADMISSIONS = "bureau_admissions", "Bureau des admissions (soins sans consentement)"
    PSYCHIATRE = "psychiatre", "Psychiatre"
    MEDIATEUR = "mediateur", "Médiateur (médical ou non médical)"
    MEMBRE_CDU = "membre_cdu", "Membre de la CDU"
    REPRESENTANT_USAGERS = "representant_usagers", "Représentant des usagers"
    DIRECTION = "direction", "Direction"
    ADMINISTRATEUR = "administrateur", "Administrateur"
