from django.apps import AppConfig


class UsagersConfig(AppConfig):
    name = "usagers"
    verbose_name = "Relations avec les usagers"

    def ready(self):
        from .chiffres import enregistrer_chiffres

        enregistrer_chiffres()
        from qualite import importation

        from .importation import DOSSIERS, RECLAMATIONS, SEANCES_CDU

        importation.enregistrer(RECLAMATIONS)
        importation.enregistrer(DOSSIERS)
        importation.enregistrer(SEANCES_CDU)
        from .importation_ssc import ACTES_SSC, ISOLEMENTS_SSC, MESURES_SSC

        importation.enregistrer(MESURES_SSC)
        importation.enregistrer(ACTES_SSC)
        importation.enregistrer(ISOLEMENTS_SSC)
        from qualite import demo
        from qualite.navigation import Entree, enregistrer

        from .demo import charger_demo
        from .demo_relations import charger_demo as charger_demo_relations

        for chargeur in (charger_demo, charger_demo_relations):
            if chargeur not in demo.CHARGEURS_MODULES:
                demo.CHARGEURS_MODULES.append(chargeur)

        section = "Soins sans consentement"
        enregistrer(Entree(section, "Échéances du jour", "usagers:ssc_journal", "ssc.voir",
                           "En retard, aujourd'hui, 7 prochains jours, par unité.", 5))
        enregistrer(Entree(section, "Mesures", "usagers:ssc_mesures", "ssc.voir", "Admissions, certificats, décisions.", 6))
        enregistrer(Entree(section, "Registre isolement et contention", "usagers:ssc_registre", "ssc.voir",
                           "Le registre légal (L3222-5-1) et son export.", 7))
        rel = "Relations avec les usagers"
        for perm in ("reclamations.voir_nominatif", "reclamations.voir_anonymise"):
            enregistrer(Entree(rel, "Plaintes, réclamations, éloges", "usagers:reclamations", perm,
                               "Du courrier reçu à la réponse finale, médiation et CDU comprises.", 1))
        enregistrer(Entree(rel, "Demandes de dossier médical", "usagers:dossiers", "dossiers.gerer",
                           "Vérifications, délais de 8 jours / 2 mois, statistiques pour la CDU.", 2))
        enregistrer(Entree(rel, "Commission des usagers", "usagers:cdu", "cdu.consulter",
                           "Membres et mandats, séances, recommandations.", 3))
        enregistrer(Entree(rel, "Rapport annuel de la CDU", "usagers:rapport_cdu", "cdu.consulter",
                           "Les données du rapport annuel sur une page imprimable.", 4))
        enregistrer(Entree(rel, "Activité des représentants des usagers", "usagers:representants", "cdu.consulter",
                           "Séances, médiations, recommandations et leurs suites, par année.", 5))
        enregistrer(Entree(rel, "Dialogue sur la sécurité des patients", "usagers:campagnes", "ru.campagnes",
                           "Le kit national : campagnes, entretiens, synthèse, réunion de clôture.", 6))
        enregistrer(Entree(section, "Chiffres annuels", "usagers:ssc_statistiques", "ssc.statistiques",
                           "Mesures par mode, isolement et contention : chiffres pour la CDU.", 8))
