from django.apps import AppConfig


class QualiteConfig(AppConfig):
    name = "qualite"
    verbose_name = "Qualité et organisation"

    def ready(self):
        from . import navigation

        navigation.enregistrer_socle()
        from . import importation
        from .importation_actions import REGISTRE

        importation.enregistrer(REGISTRE)
        e = navigation.Entree
        for perm in ("rapports.generer", "rapports.telecharger_anonyme"):
            navigation.enregistrer(e("Pilotage", "Rapport annuel (PDF)", "pilotage:rapports", perm,
                                     "Chiffres clés de l'année, par pôle, avec leurs définitions.", 60))
        navigation.enregistrer(e("Pilotage", "Tableau de bord de la direction", "pilotage:tableau_direction",
                                 "tableaux.direction", "Chaque chiffre clé et sa tendance sur 5 ans.", 61))
        for perm in ("tableaux.cdu", "tableaux.direction"):
            navigation.enregistrer(e("Pilotage", "Tableau de bord de la CDU", "pilotage:tableau_cdu", perm,
                                     "Chiffres anonymisés pour la Commission des usagers.", 62))
        for perm in ("tableaux.pole", "tableaux.direction"):
            navigation.enregistrer(e("Pilotage", "Tableau de bord de pôle", "pilotage:tableau_pole", perm,
                                     "Les chiffres d'un pôle : évènements, réclamations, plan d'actions.", 63))
