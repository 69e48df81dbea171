from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "usagers.impact"
    label = "impact"
    verbose_name = "Apport des représentants des usagers"

    def ready(self):
        from qualite.echeances import referentiels
        from qualite.organisation import demo
        from qualite.organisation.navigation import Entree, enregistrer
        from usagers.impact import referentiels as referentiels_impact
        from usagers.impact.demo import charger_demo
        from usagers.impact.indicateurs import enregistrer_indicateurs

        enregistrer_indicateurs()
        referentiels.enregistrer(referentiels_impact.synchroniser)
        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
        rel = "Relations avec les usagers"
        for perm in ("impact.consulter", "impact.repondre"):
            enregistrer(Entree(rel, "Apport des représentants des usagers", "impact:indicateurs", perm,
                               "Indicateurs par représentant et par année, tendances sur 5 ans.", 7))
            enregistrer(Entree(rel, "Mesure d'impact avant / après", "impact:campagnes", perm,
                               "Questionnaire de la cohorte de représentants volontaires, comparaison avant / après.", 8))
        enregistrer(Entree(rel, "Auto-évaluation de la bientraitance", "impact:bientraitance", "bientraitance.voir",
                           "Grille du kit bientraitance par service, scores par thème, actions sur les points faibles.", 9))
