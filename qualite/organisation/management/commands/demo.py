from django.core.management.base import BaseCommand

from qualite.organisation.demo import MOT_DE_PASSE_DEMO, charger_demo


class Command(BaseCommand):
    help = "Crée (ou met à jour) les données de démonstration : un GHT, deux établissements, un compte par rôle."

    def handle(self, *args, **options):
        comptes = charger_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration à jour."))
        self.stdout.write(f"Comptes (mot de passe commun : {MOT_DE_PASSE_DEMO}) :")
        for login, roles in comptes:
            self.stdout.write(f"  {login:<16} {roles}")
