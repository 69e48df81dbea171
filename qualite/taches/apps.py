from django.apps import AppConfig


class TachesConfig(AppConfig):
    name = "qualite.taches"
    label = "taches"
    verbose_name = "Travaux en arrière-plan"
