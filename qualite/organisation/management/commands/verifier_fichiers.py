"""Après une restauration : chaque fichier nommé en base existe-t-il dans son stockage (MEDIA_ROOT) ?

Parcourt tous les champs FileField / ImageField de tous les modèles ; code de sortie 1 s'il en manque.
"""

import sys

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models


def references_fichiers():
    """(modèle, champ) pour chaque champ fichier d'une table réelle."""
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for champ in model._meta.concrete_fields:
            if isinstance(champ, models.FileField):
                yield model, champ


def fichiers_absents():
    """Nombre de références vérifiées, et (modèle, clé, champ, chemin) de chaque fichier absent."""
    verifies = 0
    absents = []
    for model, champ in references_fichiers():
        lignes = (model._base_manager.exclude(**{champ.name: ""}).exclude(**{f"{champ.name}__isnull": True})
                  .values_list("pk", champ.name).order_by("pk"))
        for pk, nom in lignes.iterator(chunk_size=2000):
            verifies += 1
            if not champ.storage.exists(nom):
                absents.append((model, pk, champ.name, nom))
    return verifies, absents


class Command(BaseCommand):
    help = "Liste les fichiers nommés en base mais absents du stockage (MEDIA_ROOT) ; sortie en erreur s'il en manque."

    def handle(self, *args, **options):
        verifies, absents = fichiers_absents()
        for model, pk, champ, nom in absents:
            self.stdout.write(f"absent : {model._meta.label} n° {pk}, champ « {champ} » : {nom}")
        if absents:
            self.stderr.write(f"{len(absents)} fichier(s) absent(s) sur {verifies} référencé(s) en base.")
            sys.exit(1)
        self.stdout.write(f"{verifies} fichier(s) référencé(s) en base, tous présents.")
