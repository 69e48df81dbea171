"""The review-date rule of quality documents, as data: declared at import, written after every `migrate`
(qualite/echeances/referentiels.py). Its due date is the review date set on each document."""

from datetime import timedelta

from qualite.echeances.delais import Decompte
from qualite.echeances.referentiels import regle_declarer, regles_ecrire

REGLE_REVISION = "documents-revision"
MODULE = "Documents qualité"

regle_declarer(
    REGLE_REVISION, module=MODULE, libelle="Document qualité : date de révision",
    base_legale="Règle interne (maîtrise documentaire, certification HAS : gestion documentaire)",
    a_verifier=False, alerte_avant=timedelta(days=30), decompte=Decompte.DATE,
    satisfaite_par="Nouvelle date de révision fixée sur le document (la révision faite)",
    roles=["gestionnaire_risques"])


def synchroniser() -> None:
    regles_ecrire(MODULE)
