from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = "Certification HAS et programme qualité"

    def ready(self):
        from certification.api import IndicateurViewSet, ValeurViewSet
        from qualite.api import registre as api

        api.enregistrer("indicateurs", IndicateurViewSet, "indicateur")
        api.enregistrer("valeurs-indicateurs", ValeurViewSet, "valeur_indicateur")
        from certification.chiffres import enregistrer_chiffres
        from certification.pieces import enregistrer_pieces
        from qualite.organisation.navigation import Entree, enregistrer

        enregistrer_chiffres()
        from certification.espaces import enregistrer_source

        enregistrer_source()
        from certification.importation import REGISTRES
        from qualite.outils import importation

        for registre in REGISTRES:
            importation.enregistrer(registre)

        enregistrer(Entree("Certification", "Référentiel et auto-évaluation", "certification:referentiel",
                           "certification.consulter", "Critères HAS, niveau atteint et preuves par établissement.", 60))
        enregistrer(Entree("Certification", "Évaluations", "certification:evaluations", "certification.consulter",
                           "Patients traceurs, parcours traceurs, traceurs ciblés, audits système, observations.", 61))
        enregistrer(Entree("Certification", "Audits, EPP, processus, enquêtes", "certification:registres",
                           "certification.consulter", "Les démarches qualité suivies chaque année.", 62))
        enregistrer(Entree("Certification", "Indicateurs", "certification:indicateurs", "certification.consulter",
                           "Évolution de chaque indicateur par rapport à sa cible.", 63))
        enregistrer(Entree("Certification", "Visites de certification", "certification:visites",
                           "certification.consulter", "Visites des experts, constats par critère, décision et conditions.", 64))
        enregistrer(Entree("Certification", "Préparation de la certification", "certification:preparation",
                           "certification.consulter", "Par chapitre et objectif : les preuves de chaque critère et ce "
                           "qui manque, impératifs d'abord.", 65))
        enregistrer_pieces()

        from certification.demo import charger_demo, charger_historique
        from qualite.organisation import demo

        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
        demo.enregistrer_historique("CERT", charger_historique)
        from certification.demo_epp_processus import charger_historique as charger_epp_processus

        demo.enregistrer_historique("EPPPROC", charger_epp_processus)
