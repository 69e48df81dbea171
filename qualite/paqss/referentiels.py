"""The PAQSS action deadline rule, as data. Synchronised after every `migrate` (qualite/echeances/referentiels.py)."""

from datetime import timedelta

from qualite.echeances.referentiels import regle_synchroniser

REGLE_PAQSS = "paqss-action-echeance"


def synchroniser() -> None:
    regle_synchroniser(
        REGLE_PAQSS, module="PAQSS", libelle="Action du PAQSS : échéance de réalisation",
        base_legale="Règle interne (programme d'amélioration de la qualité et de la sécurité des soins)",
        a_verifier=False, alerte_avant=timedelta(days=15),
        satisfaite_par="Passage de l'action à « Réalisée » ; sans objet si l'action est abandonnée",
        roles=["gestionnaire_risques", "cadre_pole"])
