from django.apps import AppConfig


class EcheancesConfig(AppConfig):
    name = "qualite.echeances"
    label = "echeances"
    verbose_name = "Échéances"

    def ready(self):
        from qualite.echeances import referentiels

        referentiels.connecter(self)
