from django.apps import AppConfig


class EspacesConfig(AppConfig):
    name = "qualite.espaces"
    label = "espaces"
    verbose_name = "Espaces d'échanges des services"

    def ready(self):
        from qualite.echeances import referentiels
        from qualite.echeances.moteur import recalcul_enregistrer
        from qualite.espaces import referentiels as referentiels_espaces
        from qualite.espaces import sources
        from qualite.espaces.demo import charger_demo
        from qualite.espaces.models import ReunionEspace
        from qualite.espaces.points import points_actions, points_succes
        from qualite.espaces.selectors import presences_representants_par_annee
        from qualite.espaces.services import reunion_synchroniser_echeances
        from qualite.organisation import demo
        from qualite.organisation.navigation import Entree, enregistrer
        from qualite.pilotage import indicateurs_ru

        referentiels.enregistrer(referentiels_espaces.synchroniser)
        recalcul_enregistrer(ReunionEspace, reunion_synchroniser_echeances)
        # The core's own sources; the domains register theirs in their ready().
        sources.enregistrer(sources.Source("paqss", "Plan d'actions : actions dues ou en retard", points_actions, 20))
        sources.enregistrer(sources.Source("succes", "Succès de l'équipe", points_succes, 90))
        indicateurs_ru.enregistrer(indicateurs_ru.Indicateur(
            "espaces", "Espaces d'échanges fréquentés",
            "Réunions tenues d'un espace d'échanges de service où le représentant était présent (invité comme "
            "représentant des usagers ou titulaire de ce rôle), d'après les comptes rendus.",
            presences_representants_par_annee, ordre=80, cle="utilisateur"))
        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
        enregistrer(Entree("Programme qualité", "Espaces d'échanges des services", "espaces:liste", "espaces.voir",
                           "Calendrier des réunions du binôme, ordre du jour, comptes rendus, bilan annuel.", 52))
