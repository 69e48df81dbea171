"""La règle unique des petits effectifs (qualite/pilotage/anonymat.py) et son dessin (charts)."""

import re

import pytest

from qualite.pilotage import charts
from qualite.pilotage.anonymat import MASQUE, SECRET, masquer_bloc


@pytest.mark.parametrize(("valeurs", "affiche", "total"), [
    ([0, 5, 10], [0, 5, 10], 15),  # rien de petit, 0 reste 0
    ([1, 5, 10], [MASQUE, SECRET, 10], 16),  # une seule case masquée : le plus petit voisin aussi
    ([1, 1, 10], [MASQUE, MASQUE, SECRET], 12),  # 1 + 1 = 2 se retrouverait : un voisin ≥ 3 aussi
    ([2, 2], [MASQUE, MASQUE], SECRET),  # aucun voisin ≥ 3 : le total est masqué
    ([1, 0], [MASQUE, 0], MASQUE),
])
def test_masquer_bloc(valeurs, affiche, total):
    bloc = masquer_bloc(valeurs)
    assert (bloc.valeurs, bloc.total) == (affiche, total)


def test_version_exacte_inchangee():
    bloc = masquer_bloc([1, 5], anonyme=False)
    assert (bloc.valeurs, bloc.total) == ([1, 5], 6)


def test_barre_masquee_a_hauteur_conventionnelle_et_etiquette_masquee():
    def dessin(valeurs):
        return re.sub(r"graphe-\d+", "", str(charts.barres(titre="t", etiquettes=["a", "b"], valeurs=valeurs)))

    svg = dessin([MASQUE, 10])
    assert 'class="barre masquee"' in svg and "&lt; 3</text>" in svg
    assert not re.search(r'class="valeur"[^>]*>[12]<', svg)
    bloc_1, bloc_2 = masquer_bloc([1, 10]), masquer_bloc([2, 10])
    assert dessin(bloc_1.valeurs) == dessin(bloc_2.valeurs)
