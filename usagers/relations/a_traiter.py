"""The user-relations sources of « À traiter »: complaint steps and record requests, from the deadline engine
(each deadline knows its record, its scope and the roles that answer for it)."""

from qualite.echeances.a_traiter import source_echeances
from qualite.organisation.a_traiter import enregistrer


def enregistrer_a_traiter() -> None:
    # A complaint or a request awaits its answer from the day it arrives: every open step is shown.
    enregistrer(source_echeances(
        "reclamations-etapes", "Étapes de réclamation", permissions=("reclamations.gerer", "reclamations.voir_nominatif"),
        bouton="Ouvrir la réclamation", ordre=20, prefixes=("rec-",), horizon=None))
    enregistrer(source_echeances(
        "dossiers-demandes", "Demandes de dossier médical", permissions=("dossiers.gerer",),
        bouton="Traiter la demande", ordre=21, prefixes=("dossier-",), horizon=None))
