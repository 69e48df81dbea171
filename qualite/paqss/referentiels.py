"""The PAQSS action deadline rule, as data: declared at import, written after every `migrate`
(qualite/echeances/referentiels.py). Its due date is the one set on each action."""

from datetime import timedelta

from qualite.echeances.delais import Decompte
from qualite.echeances.referentiels import regle_declarer, regles_ecrire

REGLE_PAQSS = "paqss-action-echeance"
MODULE = "PAQSS"

regle_declarer(
    REGLE_PAQSS, module=MODULE, libelle="Action du PAQSS : échéance de réalisation",
    base_legale="Règle interne (programme d'amélioration de la qualité et de la sécurité des soins)",
    a_verifier=False, alerte_avant=timedelta(days=15), decompte=Decompte.DATE,
    satisfaite_par="Passage de l'action à « Réalisée » ; sans objet si l'action est abandonnée",
    roles=["gestionnaire_risques", "cadre_pole"])


def synchroniser() -> None:
    regles_ecrire(MODULE)
