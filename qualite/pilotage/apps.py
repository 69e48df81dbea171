from django.apps import AppConfig


class PilotageConfig(AppConfig):
    name = "qualite.pilotage"
    label = "pilotage"
    verbose_name = "Pilotage : chiffres clés, rapport, tableaux de bord"

    def ready(self):
        from qualite.organisation.navigation import Entree, enregistrer

        for perm in ("rapports.generer", "rapports.telecharger_anonyme"):
            enregistrer(Entree("Pilotage", "Rapport annuel (PDF)", "pilotage:rapports", perm,
                               "Chiffres clés de l'année, par pôle, avec leurs définitions.", 60))
        enregistrer(Entree("Pilotage", "Tableau de bord de la direction", "pilotage:tableau_direction",
                           "tableaux.direction", "Chaque chiffre clé et sa tendance sur 5 ans.", 61))
        for perm in ("tableaux.cdu", "tableaux.direction"):
            enregistrer(Entree("Pilotage", "Tableau de bord de la CDU", "pilotage:tableau_cdu", perm,
                               "Chiffres anonymisés pour la Commission des usagers.", 62))
        for perm in ("tableaux.pole", "tableaux.direction"):
            enregistrer(Entree("Pilotage", "Tableau de bord de pôle", "pilotage:tableau_pole", perm,
                               "Les chiffres d'un pôle : évènements, réclamations, plan d'actions.", 63))
