from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "qualite.organisation"
    label = "organisation"
    verbose_name = "Organisation, comptes et audit"

    def ready(self):
        from qualite.organisation import navigation

        navigation.enregistrer_socle()
