"""The involuntary-care sources of « À traiter »: certificates and decisions, isolation and restraint renewals,
from the deadline engine (scope by unit for a psychiatrist, by établissement for the admissions office)."""

from datetime import timedelta

from qualite.echeances.a_traiter import source_echeances
from qualite.organisation.a_traiter import enregistrer

ISOLEMENT = ("ssc-isolement", "ssc-contention")


def enregistrer_a_traiter() -> None:
    # Legal calendars to the hour: shown from the rule's alert window (else 3 days before), overdue ones always.
    enregistrer(source_echeances(
        "ssc-isolement", "Isolement et contention : renouvellements et évaluations",
        permissions=("ssc.isolement", "ssc.evaluations", "ssc.juge_isolement"), bouton="Ouvrir la mesure", ordre=30,
        prefixes=ISOLEMENT, horizon=timedelta(days=1)))
    enregistrer(source_echeances(
        "ssc-certificats-decisions", "Soins sans consentement : certificats et décisions",
        permissions=("ssc.certificats", "ssc.decisions", "ssc.gerer"), bouton="Ouvrir la mesure", ordre=31,
        prefixes=("ssc-",), exclus=ISOLEMENT, horizon=timedelta(days=3)))
