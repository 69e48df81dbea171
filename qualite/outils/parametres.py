"""Typed readers for query-string parameters, and the date bounds of every form.

A query parameter is typed by hand in a URL: whatever it holds (a superscript "²" that
str.isdigit() accepts, 22 digits, a NUL byte), a reader returns a value within bounds or
the default, never an exception. Form dates are bounded the same way (DatesBornees), so
no date arithmetic downstream can leave Python's or PostgreSQL's range."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection, Mapping
from datetime import date, datetime

import django_filters
from django import forms

ANNEE_MIN, ANNEE_MAX = 1900, 2100
DATE_MIN, DATE_MAX = date(ANNEE_MIN, 1, 1), date(ANNEE_MAX, 12, 31)
LONGUEUR_MAX = 200
ENTIER = re.compile(r"-?[0-9]{1,18}")


def _brut(params: Mapping, nom: str) -> str | None:
    valeur = params.get(nom)
    if not isinstance(valeur, str) or "\x00" in valeur:
        return None
    return valeur.strip()


def entier(params: Mapping, nom: str, *, defaut: int | None = None, min: int | None = None,
           max: int | None = None) -> int | None:
    """A plain ASCII integer within [min, max]; anything else is the default."""
    texte = _brut(params, nom)
    if not texte or not ENTIER.fullmatch(texte):  # not str.isdigit(): "²" passes it and int() refuses it
        return defaut
    valeur = int(texte)
    if (min is not None and valeur < min) or (max is not None and valeur > max):
        return defaut
    return valeur


def annee(params: Mapping, nom: str = "annee", *, defaut: int | None = None, min: int = ANNEE_MIN,
          max: int = ANNEE_MAX) -> int | None:
    return entier(params, nom, defaut=defaut, min=min, max=max)


def identifiant(params: Mapping, nom: str, *, defaut: int | None = None) -> int | None:
    """A primary key: a positive integer that fits PostgreSQL's bigint."""
    return entier(params, nom, defaut=defaut, min=1, max=2**63 - 1)


def date_iso(params: Mapping, nom: str, *, defaut: date | None = None) -> date | None:
    texte = _brut(params, nom)
    if not texte or len(texte) != 10:
        return defaut
    try:
        valeur = date.fromisoformat(texte)
    except ValueError:
        return defaut
    return valeur if DATE_MIN <= valeur <= DATE_MAX else defaut


def choix(params: Mapping, nom: str, valeurs: Collection[str], *, defaut: str | None = None) -> str | None:
    texte = _brut(params, nom)
    return texte if texte in valeurs else defaut


def texte(params: Mapping, nom: str, *, defaut: str = "", longueur_max: int = LONGUEUR_MAX) -> str:
    valeur = _brut(params, nom)
    if valeur is None or len(valeur) > longueur_max:
        return defaut
    return valeur


def ip(params: Mapping, nom: str = "ip", *, defaut: str | None = None) -> str | None:
    valeur = _brut(params, nom)
    if not valeur or len(valeur) > 45:
        return defaut
    try:
        return str(ipaddress.ip_address(valeur))
    except ValueError:
        return defaut


MESSAGE_HORS_BORNES = f"Saisissez une date comprise entre {ANNEE_MIN} et {ANNEE_MAX}."


def valider_date_bornee(valeur) -> None:
    if valeur is None:
        return
    jour = valeur.date() if isinstance(valeur, datetime) else valeur
    if not DATE_MIN <= jour <= DATE_MAX:
        raise forms.ValidationError(MESSAGE_HORS_BORNES, code="date_hors_bornes")


def borner_dates(champs) -> None:
    """Add the 1900–2100 bound to every date and date-time field of a form."""
    for champ in champs.values():
        if isinstance(champ, forms.DateField | forms.DateTimeField) and valider_date_bornee not in champ.validators:
            champ.validators.append(valider_date_bornee)


class DatesBornees:
    """Form mixin: every DateField / DateTimeField refuses dates outside 1900–2100, with an
    error next to the field (year 1 or 9999 would overflow the deadline arithmetic)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        borner_dates(self.fields)


class FiltresBornes:
    """FilterSet mixin: the same 1900–2100 bound on date filters; an out-of-range date is an
    error under the filter and the filter is ignored."""

    @property
    def form(self):
        form = super().form
        borner_dates(form.fields)
        return form


class IPFilter(django_filters.CharFilter):
    """An address filter that validates the address (a GenericIPAddressField column refuses anything else)."""

    field_class = forms.GenericIPAddressField
