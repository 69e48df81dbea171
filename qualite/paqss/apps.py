from django.apps import AppConfig


class PaqssConfig(AppConfig):
    name = "qualite.paqss"
    label = "paqss"
    verbose_name = "Programme d'amélioration (PAQSS)"

    def ready(self):
        from qualite.paqss.a_traiter import enregistrer_a_traiter

        enregistrer_a_traiter()
        from qualite.api import registre as api
        from qualite.paqss.api import ActionViewSet

        api.enregistrer("actions", ActionViewSet, "action")
        from qualite.echeances import referentiels
        from qualite.outils import importation
        from qualite.paqss import referentiels as referentiels_paqss
        from qualite.paqss.importation import REGISTRE
        from qualite.paqss.pieces import enregistrer_pieces

        importation.enregistrer(REGISTRE)
        referentiels.enregistrer(referentiels_paqss.synchroniser)
        enregistrer_pieces()
        from qualite.outils import registres
        from qualite.paqss.models import ActionAmelioration

        registres.suivre(ActionAmelioration)  # the list's cached count and caches follow this register
        from qualite.organisation import demo
        from qualite.paqss.demo import charger_demo

        if charger_demo not in demo.CHARGEURS_MODULES:
            demo.CHARGEURS_MODULES.append(charger_demo)
