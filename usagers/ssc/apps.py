from django.apps import AppConfig


class SscConfig(AppConfig):
    name = "usagers.ssc"
    label = "ssc"
    verbose_name = "Soins sans consentement"

    def ready(self):
        from usagers.ssc.a_traiter import enregistrer_a_traiter

        enregistrer_a_traiter()
        from qualite.echeances import referentiels
        from qualite.organisation import demo
        from qualite.organisation.navigation import Entree, enregistrer
        from qualite.outils import importation
        from usagers.ssc import referentiels as referentiels_ssc
        from usagers.ssc.chiffres import enregistrer_chiffres
        from usagers.ssc.demo import charger_demo, charger_historique
        from usagers.ssc.importation import ACTES_SSC, ISOLEMENTS_SSC, MESURES_SSC
        from usagers.ssc.pieces import enregistrer_pieces

        enregistrer_chiffres()
        referentiels.enregistrer(referentiels_ssc.synchroniser)
        from qualite.echeances.moteur import recalcul_enregistrer
        from usagers.ssc.models import EvaluationIsolement, MesureIsolement, MesureSoinsSansConsentement, PatientSSC
        from usagers.ssc.services import mesure_recalculer

        recalcul_enregistrer(MesureSoinsSansConsentement, mesure_recalculer)
        for registre in (MESURES_SSC, ACTES_SSC, ISOLEMENTS_SSC):
            importation.enregistrer(registre)
        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
        demo.enregistrer_historique("SSC", charger_historique)
        from usagers.ssc.demo_isolement import charger_historique as charger_isolements

        demo.enregistrer_historique("ISOL", charger_isolements)  # after the measures it draws on
        section = "Soins sans consentement"
        enregistrer(Entree(section, "Échéances du jour", "usagers:ssc_journal", "ssc.voir",
                           "En retard, aujourd'hui, 7 prochains jours, par unité.", 5))
        enregistrer(Entree(section, "Mesures", "usagers:ssc_mesures", "ssc.voir", "Admissions, certificats, décisions.", 6))
        enregistrer(Entree(section, "Registre isolement et contention", "usagers:ssc_registre", "ssc.voir",
                           "Le registre légal (L3222-5-1) et son export.", 7))
        enregistrer(Entree(section, "Chiffres annuels", "usagers:ssc_statistiques", "ssc.statistiques",
                           "Mesures par mode, isolement et contention : chiffres pour la CDU.", 8))
        enregistrer_pieces()
        from qualite.outils import registres
        from usagers.ssc.models import MesureSoinsSansConsentement

        registres.suivre(MesureSoinsSansConsentement)  # the list's cached count and caches follow this register
        registres.suivre(PatientSSC)  # kept pages show the patients' names (cache_pages)
        registres.suivre(MesureIsolement, EvaluationIsolement)  # the isolation register, kept by cache_pages
