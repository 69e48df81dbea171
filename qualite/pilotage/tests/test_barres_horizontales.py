"""Horizontal bars of the annual report: one bar per row, in the given order, labels wrapped never cut,
thousands separated; the 5-year mini curve; the natural order of the breakdowns."""

import re

import pytest

from qualite.pilotage import charts
from qualite.pilotage.chiffres import _alphabetique


def test_une_barre_par_ligne_dans_l_ordre_et_libelles_complets():
    libelles = ["1 — Mineur", "2 — Significatif", "Erreur médicamenteuse lors de l'administration au patient", "Z"]
    svg = str(charts.barres_horizontales(titre="Gravité", etiquettes=libelles, valeurs=[3, 1234, 0, 7]))
    assert svg.count('<rect class="barre"') == 4
    assert "…" not in svg
    mots = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    assert mots.startswith("1 — Mineur 2 — Significatif Erreur médicamenteuse")
    assert "administration au patient" in mots.replace("l&#x27;", "l'")
    assert len(re.findall(r"<tspan", svg)) > 4  # the long label took several lines
    assert '<text class="valeur"' in svg and "1\u00a0234" in svg


def test_barre_masquee_a_hauteur_conventionnelle():
    svg = str(charts.barres_horizontales(titre="t", etiquettes=["a", "b"], valeurs=["< 3", 10]))
    assert 'class="barre masquee"' in svg and "&lt; 3" in svg


def test_sans_donnee():
    assert "Aucune donnée" in charts.barres_horizontales(titre="t", etiquettes=["a"], valeurs=[0])


def test_mini_courbe():
    svg = str(charts.mini_courbe(titre="EI", etiquettes=["2021", "2022", "2023"], valeurs=[1, 1500, "< 3"]))
    assert svg.count("<circle") == 3 and "2022 : 1\u00a0500" in svg and 'stroke-dasharray="2 1"' in svg
    assert "<polyline" not in svg  # a segment to a masked point would give its height away


@pytest.mark.parametrize("valeur, attendu", [(1234567, "1\u00a0234\u00a0567"), (999, "999"), ("< 3", "< 3")])
def test_nombre_a_la_francaise(valeur, attendu):
    from qualite.pilotage.templatetags.pilotage_format import nombre

    assert nombre(valeur) == attendu


def test_ordre_alphabetique_sans_accents():
    assert sorted(["Fugue", "Évasion", "Escarre", "chute"], key=_alphabetique) == ["chute", "Escarre", "Évasion", "Fugue"]
