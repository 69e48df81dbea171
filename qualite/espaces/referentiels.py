"""The meeting deadline rule, as data (docs/echeances.md): each planned meeting is due for its binôme, met
when its minutes are validated. Seed 003 sets no delay for the minutes: an internal target to confirm."""

from datetime import timedelta

from qualite.echeances.delais import Decompte
from qualite.echeances.referentiels import regle_declarer, regles_ecrire

REGLE_REUNION = "espace-reunion-compte-rendu"
MODULE = "Espaces d'échanges"

regle_declarer(
    REGLE_REUNION, module=MODULE,
    libelle="Espace d'échanges : réunion prévue, compte rendu validé (objectif interne, 15 jours)",
    base_legale="Fiche méthode « S'organiser pour pérenniser » (calendrier annuel des rencontres) : "
                "aucun délai fixé, objectif de l'établissement",
    a_verifier=True, delai=timedelta(days=15), alerte_avant=timedelta(days=7), decompte=Decompte.JOURS,
    satisfaite_par="Compte rendu de la réunion validé ; sans objet si la réunion est annulée",
    roles=["cadre_pole"])  # the doctor of the binôme by name, the cadres of the pôle by this role


def synchroniser() -> None:
    regles_ecrire(MODULE)
