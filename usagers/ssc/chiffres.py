from qualite.pilotage.chiffres import Chiffre, enregistrer


def enregistrer_chiffres():
    from usagers.ssc.models import MesureSoinsSansConsentement

    enregistrer(Chiffre(
        "ssc", "mesures de soins sans consentement",
        "Mesures du registre des soins sans consentement dont la décision d'admission (T0) est dans l'année, tous modes.",
        "usagers", 10, lambda: MesureSoinsSansConsentement.objects.all(), "etablissement", "t0", "pole",
        singulier="mesure de soins sans consentement"))
