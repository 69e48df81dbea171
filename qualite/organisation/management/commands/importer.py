"""python manage.py importer <registre> <fichier> --utilisateur LOGIN [--dry-run]"""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from qualite.outils import importation
from qualite.outils.importation import lecture


class Command(BaseCommand):
    help = "Importe un registre (CSV ou XLSX) : tout ou rien, chaque erreur signalée par ligne et colonne."

    def add_arguments(self, parser):
        parser.add_argument("registre", help="evenements, reclamations, dossiers, actions…")
        parser.add_argument("fichier")
        parser.add_argument("--utilisateur", required=True, help="identifiant de l'utilisateur au nom duquel importer")
        parser.add_argument("--dry-run", action="store_true", help="vérifier le fichier sans rien enregistrer")

    def handle(self, *args, registre, fichier, utilisateur, dry_run, **options):
        reg = importation.REGISTRES.get(registre)
        if reg is None:
            raise CommandError(f"Registre inconnu « {registre} » ; registres : {', '.join(sorted(importation.REGISTRES))}.")
        try:
            user = get_user_model().objects.get(username=utilisateur, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"Utilisateur inconnu ou inactif : « {utilisateur} ».") from None
        if not reg.peut_importer(user):
            raise CommandError(f"{user.username} n'a pas le droit d'importer le registre « {reg.libelle} ».")
        chemin = Path(fichier)
        if not chemin.is_file():
            raise CommandError(f"Fichier introuvable : {fichier}")
        if chemin.stat().st_size > settings.IMPORT_TAILLE_MAX_COMMANDE:
            raise CommandError(f"Fichier trop volumineux : {settings.IMPORT_TAILLE_MAX_COMMANDE // (1024 * 1024)} Mo au plus.")
        try:
            with chemin.open("rb") as contenu:  # read as a stream, never whole in memory
                analyse = importation.analyser(reg, contenu, utilisateur=user, nom_fichier=chemin.name,
                                               limites=lecture.Limites.commande())
        except lecture.FichierRefuse as exc:
            raise CommandError(f"Fichier refusé : {exc} Rien n'a été enregistré.") from None
        bilan = importation.ecrire(analyse, utilisateur=user, essai=dry_run)
        if bilan.erreurs:
            for erreur in bilan.erreurs:
                self.stderr.write(str(erreur))
            raise CommandError(f"{len(bilan.erreurs)} erreur(s) : rien n'a été enregistré.")
        verbe = "seraient" if dry_run else "ont été"
        self.stdout.write(f"{bilan.crees} création(s), {bilan.modifies} modification(s), {bilan.inchanges} ligne(s) "
                          f"inchangée(s) {verbe} importées." + (" (essai : rien n'a été enregistré)" if dry_run else ""))
