"""No lost update, no double record.

- An edit form carries the revision its record had when the page was loaded (`FormulaireRevise`). The
  service locks the row (`verrouiller`), refuses a stale revision with the other user's values beside the
  user's own (`ConflitDeRevision`, shown at the form's top, nothing written), and writes only the fields
  the form changed (`appliquer`).
- A creation form carries a one-time key (`FormulaireCreationUnique`); `creer_une_fois` files the record
  once: a replay or a double click gets the record the first submission created."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import capfirst


class FormulaireRevise:
    """Mixin for a ModelForm editing a record: a hidden `revision` and the fields the user changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
        if self.instance.pk:
            self.fields["revision"].initial = self.instance.revision

    def modifications(self, donnees: dict | None = None) -> dict:
        donnees = self.cleaned_data if donnees is None else donnees
        return {champ: v for champ, v in donnees.items() if champ in self.changed_data and champ != "revision"}

    def a_ecrire(self, *, sauf=(), champs=None) -> dict:
        """What a service writes: every field for a new record, the changed ones for an edit; never the
        form's own keys nor `sauf` (written apart: many-to-many), and only `champs` when given."""
        donnees = self.modifications() if self.instance.pk else self.cleaned_data
        return {k: v for k, v in donnees.items()
                if k not in ("revision", "cle_creation", *sauf) and (champs is None or k in champs)}


class FormulaireCreationUnique:
    """Mixin for a creation form: a hidden one-time key, new at each page load."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if getattr(getattr(self, "instance", None), "pk", None) is None:
            self.fields["cle_creation"] = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


def _affiche(valeur, champ=None) -> str:
    """A value as the page shows it: a choice by its label, never its stored code."""
    choix = getattr(getattr(champ, "base_field", None), "flatchoices", None) or getattr(champ, "flatchoices", None)
    if choix:
        libelles = {str(code): libelle for code, libelle in choix}
        if isinstance(valeur, (list, tuple)):
            return ", ".join(libelles.get(str(v), str(v)) for v in valeur) or "vide"
        if valeur not in (None, ""):
            return str(libelles.get(str(valeur), valeur))
    if valeur in (None, "") or valeur == []:
        return "vide"
    if hasattr(valeur, "all"):
        return ", ".join(str(v) for v in valeur.all()) or "vide"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if hasattr(valeur, "tzinfo") and hasattr(valeur, "hour"):
        return f"{timezone.localtime(valeur):%d/%m/%Y %H:%M}"
    if hasattr(valeur, "strftime"):
        return f"{valeur:%d/%m/%Y}"
    return str(valeur)


class ConflitDeRevision(ValidationError):
    def __init__(self, actuel, modifications: dict):
        self.revision = actuel.revision
        qui = actuel.modifie_par or getattr(actuel, "created_by", None) or "un autre utilisateur"
        quand = timezone.localtime(actuel.updated_at)
        ecarts = []
        for nom, votre in modifications.items():
            champ = actuel._meta.get_field(nom)
            leur, votre = _affiche(getattr(actuel, nom, None), champ), _affiche(votre, champ)
            if leur != votre:
                ecarts.append(f"{capfirst(champ.verbose_name)} : « {leur} » (votre saisie : « {votre} »)")
        detail = (" Valeurs enregistrées entre-temps : " + " ; ".join(ecarts) + ".") if ecarts else ""
        super().__init__(
            f"Modifié entre-temps par {qui} le {quand:%d/%m/%Y à %H:%M} : rien n'a été enregistré.{detail} "
            "Vérifiez, puis enregistrez à nouveau pour garder votre saisie.")


def verrouiller(modele, pk, revision: int | None, modifications: dict):
    """The row, locked until the transaction ends; ConflitDeRevision if it moved since the form was loaded.
    No revision (an import, an older page): no check."""
    actuel = modele.objects.select_for_update().get(pk=pk)
    if revision is not None and actuel.revision != revision:
        raise ConflitDeRevision(actuel, modifications)
    return actuel


def appliquer(objet, modifications: dict, par) -> None:
    for champ, valeur in modifications.items():
        setattr(objet, champ, valeur)
    if objet.pk:  # a new record starts at revision 1
        objet.revision += 1
        objet.modifie_par = par


def creer_une_fois(cle, creer: Callable[[], object]) -> tuple[object, bool]:
    """(record, True) when `creer()` ran; (the record of the first submission, False) for a replay. A
    concurrent replay waits on the key's unique index until the first one commits, then finds its record."""
    from qualite.organisation.models import CreationUnique

    if cle is None:
        return creer(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                marque = CreationUnique.objects.create(cle=cle)
        except IntegrityError:
            marque = CreationUnique.objects.get(cle=cle)
            if marque.objet is None:
                raise ValidationError("Ce formulaire a déjà été envoyé : rechargez la page.") from None
            return marque.objet, False
        objet = creer()
        marque.content_type = ContentType.objects.get_for_model(objet)
        marque.object_id = objet.pk
        marque.save(update_fields=["content_type", "object_id"])
        return objet, True
