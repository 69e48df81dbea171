"""Fichiers du stockage des pièces jointes qu'aucune ligne ne nomme : un dépôt dont la transaction a été
annulée après l'écriture du fichier (le service retire lui-même le fichier quand sa propre écriture échoue).

Liste seulement, ou supprime avec --supprimer ; les fichiers plus récents que --age-minimum minutes
(défaut 60) sont laissés : leur dépôt est peut-être en cours."""

from datetime import timedelta

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models
from django.utils import timezone

from qualite.pieces.stockage import STOCKAGE, stockage


def _parcourir(dossier=""):
    dossiers, fichiers = STOCKAGE.listdir(dossier)
    for nom in fichiers:
        yield f"{dossier}/{nom}" if dossier else nom
    for sous in dossiers:
        yield from _parcourir(f"{dossier}/{sous}" if dossier else sous)


def _connus() -> set[str]:
    """Every name a row keeps in this storage: attachments, quality-document versions, any later user of it."""
    connus = set()
    for modele in apps.get_models():
        for champ in modele._meta.concrete_fields:
            if isinstance(champ, models.FileField) and (
                    getattr(champ, "_storage_callable", None) is stockage or champ.storage is STOCKAGE):
                connus |= set(modele._default_manager.values_list(champ.name, flat=True))
    return connus


def pieces_orphelines(age_minimum: timedelta) -> list[str]:
    connus = _connus()
    limite = timezone.now() - age_minimum
    try:
        noms = list(_parcourir())
    except FileNotFoundError:  # nothing stored yet
        return []
    return [n for n in noms if n not in connus and STOCKAGE.get_modified_time(n) < limite]


class Command(BaseCommand):
    help = "Liste (ou supprime avec --supprimer) les fichiers de pièces jointes qu'aucune ligne ne nomme."

    def add_arguments(self, parser):
        parser.add_argument("--supprimer", action="store_true", help="Supprimer les fichiers orphelins.")
        parser.add_argument("--age-minimum", type=int, default=60, help="En minutes (défaut 60).")

    def handle(self, *args, supprimer=False, age_minimum=60, **options):
        orphelins = pieces_orphelines(timedelta(minutes=age_minimum))
        for nom in orphelins:
            if supprimer:
                STOCKAGE.delete(nom)
            self.stdout.write(f"{'supprimé' if supprimer else 'orphelin'} : {nom}")
        self.stdout.write(f"{len(orphelins)} fichier(s) orphelin(s){' supprimé(s)' if supprimer and orphelins else ''}.")
