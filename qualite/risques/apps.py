from django.apps import AppConfig


class RisquesConfig(AppConfig):
    name = "qualite.risques"
    label = "risques"
    verbose_name = "Cartographie des risques a priori"

    def ready(self):
        from qualite.echeances import referentiels
        from qualite.organisation import demo
        from qualite.organisation.navigation import Entree, enregistrer
        from qualite.outils import importation
        from qualite.risques import referentiels as referentiels_risques
        from qualite.risques.chiffres import enregistrer_chiffres
        from qualite.risques.demo import charger_demo
        from qualite.risques.importation import REGISTRE

        enregistrer_chiffres()
        from certification.models import Processus
        from qualite.outils import registres
        from qualite.risques.models import Cotation, FamilleRisque, ReglagesRisques, Risque, RisqueEvenement

        registres.suivre(Risque)  # the list's cached count and caches follow this register
        # The register's page, kept by cache_pages, reads its ratings, families, settings, links and processes.
        registres.suivre(Cotation, FamilleRisque, ReglagesRisques, RisqueEvenement, Processus)
        importation.enregistrer(REGISTRE)
        referentiels.enregistrer(referentiels_risques.synchroniser)
        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
        enregistrer(Entree("Programme qualité", "Cartographie des risques", "risques:carte", "risques.voir",
                           "Risques a priori par fréquence et gravité, à une date, par pôle et processus.", 55))
        enregistrer(Entree("Programme qualité", "Registre des risques", "risques:liste", "risques.voir",
                           "Chaque risque, ses cotations successives, ses barrières, actions et évènements.", 56))
        enregistrer(Entree("Programme qualité", "Évènements à rattacher aux risques", "risques:suggestions",
                           "risques.modifier", "Rattachements proposés d'après le type de l'évènement, à confirmer.",
                           57))
        enregistrer(Entree("Programme qualité", "Familles de risques", "risques:familles", "risques.modifier",
                           "Les familles de chaque établissement et les types d'évènement qui leur sont rattachés.", 58))
