from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "qualite.organisation"
    label = "organisation"
    verbose_name = "Organisation, comptes et audit"

    def ready(self):
        from qualite.organisation import navigation

        navigation.enregistrer_socle()
        from django.contrib.contenttypes.models import ContentType

        from qualite.organisation.models import Etablissement, Pole, Service, Utilisateur
        from qualite.outils import registres

        registres.suivre(Etablissement, Pole, Service)  # the filters' cached choice lists follow them
        registres.suivre(Utilisateur)  # « À traiter » counts read accounts and their établissements
        registres.suivre(ContentType)  # read once per process by the audit of a kept page (cache_pages)
        _choix_vide_en_francais()


CHOIX_VIDE = "Sélectionner…"


def _choix_vide_en_francais() -> None:
    """Django's empty choice « --------- » is read aloud as « tiret tiret… » and means nothing to a user:
    every select list of the product (model choices and foreign keys alike) opens on « Sélectionner… »."""
    from django import forms
    from django.db.models import fields

    fields.BLANK_CHOICE_DASH[:] = [("", CHOIX_VIDE)]
    forms.ModelChoiceField.__init__.__kwdefaults__["empty_label"] = CHOIX_VIDE
