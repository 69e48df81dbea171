from django.apps import AppConfig


class IdentiteConfig(AppConfig):
    name = "qualite.identite"
    label = "identite"
    verbose_name = "Identité : annuaire, correspondances de groupes, jetons d'API"

    def ready(self):
        from qualite.organisation import navigation

        navigation.enregistrer(navigation.Entree(
            "Administration", "Groupes de l'annuaire et rôles", "qualite:correspondances", "organisation.administrer",
            "Quel groupe de l'annuaire donne quels rôles, établissements et pôle.", 93))
        navigation.enregistrer(navigation.Entree(
            "Mon espace", "Mon jeton d'API", "qualite:jeton_api", "api.utiliser",
            "Un jeton personnel pour interroger l'API REST depuis un autre logiciel.", 15))
