"""python manage.py importer_documents <dossier> <index.csv> --utilisateur LOGIN [--dry-run]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from qualite.documents import importation


class Command(BaseCommand):
    help = ("Importe une base documentaire (un dossier de fichiers et un index CSV) : tout ou rien, chaque "
            "erreur signalée par ligne et colonne. Colonnes : docs/documents.md.")

    def add_arguments(self, parser):
        parser.add_argument("dossier", help="dossier contenant les fichiers cités par l'index")
        parser.add_argument("index", help="index CSV (séparateur « ; » ou « , », UTF-8 ou Windows-1252)")
        parser.add_argument("--utilisateur", required=True, help="identifiant de l'utilisateur au nom duquel importer")
        parser.add_argument("--dry-run", action="store_true", help="vérifier sans rien enregistrer")

    def handle(self, *args, dossier, index, utilisateur, dry_run, **options):
        try:
            user = get_user_model().objects.get(username=utilisateur, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Utilisateur inconnu ou inactif : « {utilisateur} ».") from None
        dossier, index = Path(dossier), Path(index)
        if not dossier.is_dir():
            raise CommandError(f"Dossier introuvable : {dossier}")
        if not index.is_file():
            raise CommandError(f"Index introuvable : {index}")
        if index.stat().st_size > 20 * 1024 * 1024:
            raise CommandError("Index trop volumineux : 20 Mo au plus.")
        analyse = importation.analyser(dossier, index.read_bytes(), par=user)
        if analyse.erreurs:
            for erreur in analyse.erreurs:
                self.stderr.write(str(erreur))
            raise CommandError(f"{len(analyse.erreurs)} erreur(s) : rien n'a été enregistré.")
        if dry_run:
            self.stdout.write(f"{len(analyse.lignes)} document(s) seraient importés (essai : rien n'a été enregistré).")
            return
        crees = importation.ecrire(analyse, par=user)
        self.stdout.write(f"{len(crees)} document(s) importé(s), chacun « approuvé, à diffuser ».")
