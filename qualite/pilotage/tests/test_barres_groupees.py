import pytest

from qualite.pilotage import charts


def test_bars_side_by_side_with_a_gap_for_a_missing_measure():
    svg = charts.barres_groupees(titre="Avant / après", etiquettes=["1.1", "1.2"],
                                 series=[("Avant", [2.0, 3.0], "#111111"), ("Après", [4.5, None], "#222222")], maximum=5)
    assert svg.count('class="barre"') == 3  # no bar where the measure is withheld
    assert "1.1 : Avant 2, Après 4,5 ; 1.2 : Avant 3, Après non renseigné." in svg
    assert ">5<" in svg  # the scale reaches the top of the answer scale


def test_labels_are_escaped_and_empty_data_says_so():
    svg = charts.barres_groupees(titre="<b>", etiquettes=["<x>"], series=[("<s>", [1], "#000")])
    assert "&lt;b&gt;" in svg and "<title id" in svg
    assert "&lt;x&gt;" in svg and "<x>" not in svg
    assert "Aucune donnée" in charts.barres_groupees(titre="t", etiquettes=["a"], series=[("s", [None], "#000")])
    with pytest.raises(ValueError):
        charts.barres_groupees(titre="t", etiquettes=["a", "b"], series=[("s", [1], "#000")])
