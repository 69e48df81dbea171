"""Reference data of adverse events: the types, the criticité matrix, the EIGS part-2 rule.
Synchronised after every `migrate` (qualite/echeances/referentiels.py)."""

from datetime import timedelta

from qualite.echeances.delais import Decompte
from qualite.echeances.referentiels import regle_declarer, regles_ecrire

TYPES = [
    "Soins", "Médicament", "Chute", "Infection associée aux soins", "Identitovigilance", "Dispositif médical",
    "Violence, agression", "Biens et personnes", "Organisation, parcours", "Système d'information",
    "Transfusion", "Fugue, disparition", "Suicide, tentative de suicide", "Autre",
]

regle_declarer(
    "eigs-partie2", module="Évènements indésirables", libelle="EIGS : partie 2 de la déclaration à l'ARS",
    base_legale="CSP R1413-69", a_verifier=True, delai_mois=3, decompte=Decompte.MOIS, alerte_avant=timedelta(days=15),
    satisfaite_par="Date d'envoi de la partie 2 (point de départ retenu : envoi de la partie 1)",
    roles=["gestionnaire_risques"])


# No legal delay: the establishment's target, read live from the table by « À traiter » (evenements/a_traiter.py).
regle_declarer(
    "ei-qualification", module="Évènements indésirables",
    libelle="Évènement déclaré : qualification par le gestionnaire des risques (objectif interne)",
    base_legale="Objectif de l'établissement", a_verifier=False, delai=timedelta(days=7), decompte=Decompte.JOURS,
    satisfaite_par="Qualification de l'évènement", roles=["gestionnaire_risques"])


def synchroniser() -> None:
    from evenements.models import MatriceCriticite, TypeEvenement

    for i, libelle in enumerate(TYPES):
        TypeEvenement.objects.get_or_create(libelle=libelle, defaults={"ordre": (i + 1) * 10})
    if not MatriceCriticite.objects.exists():
        MatriceCriticite.objects.create(seuil_a_surveiller=5, seuil_inacceptable=10)
    regles_ecrire("Évènements indésirables")
