import unicodedata

from django import forms

from qualite.outils.revisions import FormulaireCreationUnique
from qualite.pieces.verification import controler, en_mo, types_acceptes


def nom_propre(nom: str) -> str:
    """The name as shown and sent back in Content-Disposition: no path, no control character."""
    nom = nom.replace("\\", "/").rsplit("/", 1)[-1]
    nom = "".join(c for c in nom if unicodedata.category(c)[0] != "C").strip()
    return nom[:255] or "fichier"


class PieceForm(FormulaireCreationUnique, forms.Form):
    fichier = forms.FileField(label="Fichier à joindre")

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = (f"{en_mo(settings.PIECES_TAILLE_MAX)} au plus. "
                                            f"Types acceptés : {types_acceptes()}.")
        self.fields["fichier"].error_messages["required"] = "Choisissez un fichier."
        self.controle = None

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        self.controle = controler(fichier)
        return fichier

    @property
    def nom(self) -> str:
        return nom_propre(self.cleaned_data["fichier"].name)


class ArchivageForm(forms.Form):
    motif = forms.CharField(label="Motif de l'archivage", max_length=255,
                            error_messages={"required": "Indiquez le motif de l'archivage."})
