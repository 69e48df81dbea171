import time

from django.conf import settings
from django.core.management.base import BaseCommand

from qualite.organisation.demo import ANNEES_HISTORIQUE, ECHELLES, MOT_DE_PASSE_DEMO, charger_demo, charger_historique


class Command(BaseCommand):
    help = ("Crée (ou met à jour) les données de démonstration : un GHT, deux établissements, un compte par rôle, "
            f"puis {ANNEES_HISTORIQUE} ans d'historique au volume d'un hôpital réel (une seule fois).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--historique", choices=sorted(ECHELLES), default=getattr(settings, "DEMO_HISTORIQUE", "complet"),
            help="complet : volumes d'un hôpital réel ; leger : 2 %% de ces volumes (tests) ; aucun : sans historique.")

    def handle(self, *args, historique, **options):
        debut = time.monotonic()
        comptes = charger_demo()
        bilan = charger_historique(historique)
        total = time.monotonic() - debut
        self.stdout.write(self.style.SUCCESS(f"Données de démonstration à jour en {total:.1f} s."))
        if bilan:
            self.stdout.write(f"Historique chargé ({historique}, {ANNEES_HISTORIQUE} ans, deux établissements) :")
            for chiffres, duree in bilan:
                self.stdout.write("  " + " ; ".join(f"{libelle} : {n}" for libelle, n in chiffres.items())
                                  + f"  ({duree:.1f} s)")
        self.stdout.write(f"Comptes (mot de passe commun : {MOT_DE_PASSE_DEMO}) :")
        for login, roles in comptes:
            self.stdout.write(f"  {login:<20} {roles}")
