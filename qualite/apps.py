from django.apps import AppConfig


class QualiteConfig(AppConfig):
    name = "qualite"
    verbose_name = "Qualité et organisation"

    def ready(self):
        from . import navigation

        navigation.enregistrer_socle()
