from datetime import date

from django.db.models import Q

from qualite.pilotage.chiffres import Chiffre, enregistrer


def _epp_active(annee: int) -> Q:
    from certification.models import EPP, StatutEPP

    fin = date(annee, 12, 31)
    return (StatutEPP.couvre("statuts__", fin) & Q(statuts__etat__in=[EPP.Etat.EN_COURS, EPP.Etat.TERMINEE])
            & Q(date_debut__lte=fin) & (Q(date_fin__isnull=True) | Q(date_fin__gte=date(annee, 1, 1))))


def _processus(annee: int) -> Q:
    from certification.models import PilotageProcessus

    return PilotageProcessus.couvre("periodes__", date(annee, 12, 31))


def _binome(annee: int) -> Q:
    return _processus(annee) & Q(periodes__pilote_medical__isnull=False, periodes__pilote_soignant__isnull=False)


def enregistrer_chiffres():
    from certification.models import EPP, Audit, EnqueteSatisfaction, Evaluation, Processus

    enregistrer(Chiffre(
        "patients_traceurs", "patients traceurs réalisés dans les pôles",
        "Évaluations par la méthode du patient traceur datées de l'année.", "qualite", 40,
        lambda: Evaluation.objects.filter(methode=Evaluation.Methode.PATIENT_TRACEUR), "etablissement", "date",
        "service__pole", singulier="patient traceur réalisé dans les pôles"))
    enregistrer(Chiffre(
        "epp", "évaluations des pratiques professionnelles actives",
        "EPP en cours ou terminées au 31 décembre (historique des états) dont la période (début – fin) recoupe "
        "l'année ; les EPP en projet ou abandonnées à cette date ne comptent pas.", "qualite", 50,
        lambda: EPP.objects.all(), "etablissement", None, "pole", au_31_decembre=_epp_active,
        singulier="évaluation des pratiques professionnelles active"))
    enregistrer(Chiffre(
        "processus", "processus",
        "Processus de la cartographie en service au 31 décembre de l'année (historique du registre des processus).",
        "qualite", 60, lambda: Processus.objects.all(), "etablissement", None, au_31_decembre=_processus,
        singulier="processus"))
    enregistrer(Chiffre(
        "binomes", "binômes pilotes de processus",
        "Processus en service au 31 décembre dotés à cette date de leurs deux pilotes (médical et soignant / "
        "administratif).", "qualite", 61, lambda: Processus.objects.all(), "etablissement", None,
        au_31_decembre=_binome, singulier="binôme pilote de processus"))
    enregistrer(Chiffre(
        "audits", "audits", "Audits datés de l'année (registre des audits).", "qualite", 70,
        lambda: Audit.objects.all(), "etablissement", "date", "service__pole", singulier="audit"))
    enregistrer(Chiffre(
        "enquetes", "enquêtes de satisfaction",
        "Enquêtes de satisfaction (e-Satis et internes) dont la période de recueil se termine dans l'année.", "qualite", 80,
        lambda: EnqueteSatisfaction.objects.all(), "etablissement", "periode_fin",
        singulier="enquête de satisfaction"))
