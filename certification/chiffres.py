from django.db.models import Q

from qualite.pilotage.chiffres import Chiffre, enregistrer


def enregistrer_chiffres():
    from certification.models import EPP, Audit, EnqueteSatisfaction, Evaluation, Processus

    enregistrer(Chiffre(
        "patients_traceurs", "patients traceurs réalisés dans les pôles",
        "Évaluations par la méthode du patient traceur datées de l'année.", "qualite", 40,
        lambda: Evaluation.objects.filter(methode=Evaluation.Methode.PATIENT_TRACEUR), "etablissement", "date",
        "service__pole"))
    enregistrer(Chiffre(
        "epp", "évaluations des pratiques professionnelles actives",
        "EPP en cours ou terminées dont la période (début – fin) recoupe l'année ; les EPP en projet ou abandonnées "
        "ne comptent pas.", "qualite", 50,
        lambda: EPP.objects.filter(etat__in=[EPP.Etat.EN_COURS, EPP.Etat.TERMINEE]), "etablissement", None, "pole",
        actif_pendant=("date_debut", "date_fin")))
    enregistrer(Chiffre(
        "processus", "processus",
        "Processus actifs de la cartographie, à la date du calcul (registre des processus).", "qualite", 60,
        lambda: Processus.objects.filter(actif=True), "etablissement", None))
    enregistrer(Chiffre(
        "binomes", "binômes pilotes de processus",
        "Processus actifs dotés de leurs deux pilotes (médical et soignant / administratif), à la date du calcul.",
        "qualite", 61,
        lambda: Processus.objects.filter(actif=True).filter(~Q(pilote_medical=None) & ~Q(pilote_soignant=None)),
        "etablissement", None))
    enregistrer(Chiffre(
        "audits", "audits", "Audits datés de l'année (registre des audits).", "qualite", 70,
        lambda: Audit.objects.all(), "etablissement", "date", "service__pole"))
    enregistrer(Chiffre(
        "enquetes", "enquêtes de satisfaction",
        "Enquêtes de satisfaction (e-Satis et internes) dont la période de recueil se termine dans l'année.", "qualite", 80,
        lambda: EnqueteSatisfaction.objects.all(), "etablissement", "periode_fin"))
