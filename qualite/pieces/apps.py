from django.apps import AppConfig


class PiecesConfig(AppConfig):
    name = "qualite.pieces"
    label = "pieces"
    verbose_name = "Pièces jointes"
