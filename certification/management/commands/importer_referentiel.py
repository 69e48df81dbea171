from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from certification.services import ErreurImport, referentiel_importer


class Command(BaseCommand):
    help = "Charge un référentiel de certification HAS depuis un CSV (voir docs/import/referentiel.md). Tout ou rien."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # "--version" names the référentiel's version here, not Django's.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("fichier")
        parser.add_argument("--version", dest="version_ref", required=True, help="Version du référentiel (unique).")
        parser.add_argument("--libelle", default="", help="Libellé affiché (par défaut : la version).")
        parser.add_argument("--activer", action="store_true", help="En faire le référentiel actif.")

    def handle(self, *args, fichier, version_ref, libelle, activer, **options):
        try:
            with open(fichier, "rb") as f:
                contenu = f.read(settings.IMPORT_TAILLE_MAX + 1)
            if len(contenu) > settings.IMPORT_TAILLE_MAX:
                raise CommandError(f"Fichier trop volumineux : {settings.IMPORT_TAILLE_MAX // (1024 * 1024)} Mo au plus.")
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {exc}") from None
        try:
            ref = referentiel_importer(contenu=contenu, version=version_ref, libelle=libelle, activer=activer)
        except ErreurImport as exc:
            raise CommandError(f"Rien n'a été chargé — {exc}") from None
        n = ref.criteres.count()
        self.stdout.write(self.style.SUCCESS(f"Référentiel « {ref} » chargé : {n} critère(s)."))
