"""What a French user must never read on a page: a stored code instead of its label, « None », Django's English
strings. Used by the access matrix on every page it renders as every role (qualite/organisation/tests/
test_matrice_acces.py), so that a new page is checked the day it is added."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from django.apps import apps

ANGLAIS = ("This field is required", "Enter a valid", "Select a valid choice", "Page not found", "Forbidden",
           "Server Error", "Ensure this value", "Not Found")
NONE = re.compile(r"(?<![\w-])None(?![\w-])")
# A field's label made from its name (« Etablissement* »): the word without its accent.
SANS_ACCENT = re.compile(r"(?<![\w-])(Etablissements?|Poles?|Evenements?|Echeances?|Reclamations?)(?![\w-])")


@cache
def codes_bruts() -> frozenset[str]:
    """Every stored choice value whose label says something else (« eloge » is shown « Éloge »)."""
    codes = set()
    for modele in apps.get_models():
        for champ in modele._meta.get_fields():
            for valeur, libelle in getattr(champ, "flatchoices", None) or ():
                if isinstance(valeur, str) and len(valeur) > 2 and valeur.lower() != str(libelle).lower():
                    codes.add(valeur)
    return frozenset(codes)


class _Textes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.textes: list[str] = []
        self._ignorer = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea", "code", "pre"):
            self._ignorer += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea", "code", "pre") and self._ignorer:
            self._ignorer -= 1

    def handle_data(self, data):
        if not self._ignorer and data.strip():
            self.textes.append(data.strip())


def fautes(html: str) -> list[str]:
    """The slips a page shows: raw codes (a whole text node equal to a code), « None », English strings."""
    lecteur = _Textes()
    lecteur.feed(html)
    codes = codes_bruts()
    trouve = [f"code brut « {t} »" for t in lecteur.textes if t in codes]
    trouve += [f"« None » dans « {t[:80]} »" for t in lecteur.textes if NONE.search(t)]
    trouve += [f"anglais « {a} »" for a in ANGLAIS if any(a in t for t in lecteur.textes)]
    trouve += [f"sans accent « {t[:80]} »" for t in lecteur.textes if SANS_ACCENT.search(t)]
    return trouve
