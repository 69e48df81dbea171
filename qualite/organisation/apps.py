from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "qualite.organisation"
    label = "organisation"
    verbose_name = "Organisation, comptes et audit"

    def ready(self):
        from qualite.organisation import navigation

        navigation.enregistrer_socle()
        from qualite.organisation.models import Etablissement, Pole, Service
        from qualite.outils import registres

        for modele in (Etablissement, Pole, Service):
            registres.suivre(modele)  # the filters' cached choice lists follow them
