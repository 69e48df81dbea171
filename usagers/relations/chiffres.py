from qualite.pilotage.chiffres import Chiffre, Repartition, enregistrer, enregistrer_repartition


def enregistrer_chiffres():
    from usagers.relations.models import DemandeDossier, Reclamation, SeanceCDU

    enregistrer(Chiffre(
        "cdu", "séances de la Commission des usagers",
        "Séances de la CDU tenues dans l'année (les séances planifiées ou annulées ne comptent pas).", "usagers", 20,
        lambda: SeanceCDU.objects.filter(statut=SeanceCDU.Statut.TENUE), "etablissement", "date",
        singulier="séance de la Commission des usagers"))
    enregistrer(Chiffre(
        "dossiers", "demandes de dossiers médicaux",
        "Demandes de communication du dossier médical reçues dans l'année, quel que soit le demandeur.", "usagers", 30,
        lambda: DemandeDossier.objects.all(), "etablissement", "recue_le",
        singulier="demande de dossier médical"))
    enregistrer(Chiffre(
        "reclamations", "plaintes, réclamations, éloges",
        "Courriers du registre des relations avec les usagers reçus dans l'année (plaintes, réclamations et éloges).",
        "usagers", 40, lambda: Reclamation.objects.non_archivees(), "etablissement", "recue_le", "services__pole",
        singulier="plainte, réclamation ou éloge"))
    from usagers.relations.models import NatureReclamation

    enregistrer_repartition(Repartition(
        "reclamations_nature", "Plaintes, réclamations, éloges concernant le pôle", 30,
        lambda: Reclamation.objects.non_archivees(), "services__pole", "recue_le", "nature",
        dict(NatureReclamation.choices)))
