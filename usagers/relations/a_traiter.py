"""The user-relations sources of « À traiter »: complaint steps, record requests, the patient-safety dialogue
campaigns' synthesis and closing meeting, and the CDU mandates to renew, from the deadline engine (each deadline
knows its record, its scope and the roles that answer for it)."""

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
    # A campaign's synthesis and closing meeting (internal targets): the user representatives write them with the
    # user-relations office, so both see them once in their alert window.
    enregistrer(source_echeances(
        "dialogue-campagnes", "Dialogue sécurité des patients", permissions=("ru.campagnes",),
        bouton="Ouvrir la campagne", ordre=22, prefixes=("dialogue-",)))
    # A CDU seat whose mandate ends within three months: its renewal is prepared by the user-relations office.
    enregistrer(source_echeances(
        "cdu-mandats", "Mandats de la CDU à renouveler", permissions=("cdu.gerer",),
        bouton="Ouvrir la composition de la CDU", ordre=23, codes=("cdu-mandat",)))
