from django.apps import AppConfig


class EcheancesConfig(AppConfig):
    name = "qualite.echeances"
    label = "echeances"
    verbose_name = "Échéances"

    def ready(self):
        from qualite.api import registre as api
        from qualite.echeances.api import EcheanceViewSet

        api.enregistrer("echeances", EcheanceViewSet, "echeance")
        from qualite.echeances import referentiels

        referentiels.connecter(self)
        from qualite.echeances.models import Echeance, RegleEcheance
        from qualite.outils import registres

        registres.suivre(Echeance, RegleEcheance)  # « À traiter » counts open deadlines
