"""The API's input shapes, derived from the pages' forms: the schema documents exactly the fields the form
takes, DRF checks their types, then the form itself validates them as on the page (French messages)."""

from __future__ import annotations

from django import forms
from rest_framework import serializers

ID_MAX = 2**31 - 1


def _champ(champ: forms.Field, *, partiel: bool) -> serializers.Field:
    requis = champ.required and not partiel
    commun = {"required": requis, "help_text": str(champ.help_text or "") or None,
              "label": str(champ.label) if champ.label else None}
    if isinstance(champ, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=ID_MAX), **commun)
    if isinstance(champ, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, max_value=ID_MAX, allow_null=not champ.required, **commun)
    if isinstance(champ, forms.MultipleChoiceField):
        choix = [(c, libelle) for c, libelle in champ.choices if c != ""]
        return serializers.ListField(child=serializers.ChoiceField(choices=choix), **commun)
    if isinstance(champ, forms.NullBooleanField):
        return serializers.BooleanField(allow_null=True, **commun)
    if isinstance(champ, forms.TypedChoiceField) and champ.empty_value is None and {"true", "false"} <= {
            c for c, _ in champ.choices}:
        return serializers.BooleanField(allow_null=True, **commun)
    if isinstance(champ, forms.ChoiceField):
        choix = [(c, libelle) for c, libelle in champ.choices if c not in ("", None)]
        return serializers.ChoiceField(choices=choix, allow_blank=not champ.required, allow_null=not champ.required,
                                       **commun)
    if isinstance(champ, forms.BooleanField):
        return serializers.BooleanField(**commun)
    if isinstance(champ, forms.DateTimeField):
        return serializers.DateTimeField(allow_null=not champ.required, **commun)
    if isinstance(champ, forms.DateField):
        return serializers.DateField(allow_null=not champ.required, **commun)
    if isinstance(champ, forms.DecimalField):
        return serializers.DecimalField(max_digits=champ.max_digits, decimal_places=champ.decimal_places,
                                        coerce_to_string=False, allow_null=not champ.required, **commun)
    if isinstance(champ, forms.IntegerField):
        return serializers.IntegerField(min_value=champ.min_value if champ.min_value is not None else -ID_MAX,
                                        max_value=champ.max_value if champ.max_value is not None else ID_MAX,
                                        allow_null=not champ.required, **commun)
    if isinstance(champ, forms.EmailField):
        return serializers.EmailField(allow_blank=not champ.required, max_length=champ.max_length, **commun)
    if isinstance(champ, forms.CharField):
        return serializers.CharField(allow_blank=not champ.required, max_length=champ.max_length,
                                     trim_whitespace=False, **commun)
    raise TypeError(f"Champ de formulaire sans équivalent dans l'API : {type(champ).__name__}")


def serializer_depuis_formulaire(classe_formulaire, nom: str, *, partiel: bool = False,
                                 exclure: tuple[str, ...] = (), revision: bool = False) -> type[serializers.Serializer]:
    attributs = {n: _champ(c, partiel=partiel) for n, c in classe_formulaire.base_fields.items() if n not in exclure}
    if revision:
        # Required: without it a change made meanwhile by someone else would be overwritten unseen.
        attributs["revision"] = serializers.IntegerField(
            required=True, min_value=1, max_value=ID_MAX,
            help_text="La révision lue : une modification faite entre-temps est refusée (rien n'est écrit).")
    attributs["__doc__"] = f"Les champs du formulaire de la page ({classe_formulaire.__name__})."
    return type(nom, (serializers.Serializer,), attributs)
