"""Charts are checked by parsing their SVG: well-formed XML, accessible, and the
geometry actually encodes the data (not just "some markup came out")."""

import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from qualite.pilotage import charts

NS = "{http://www.w3.org/2000/svg}"
MOIS = ["janv.", "févr.", "mars", "avr."]


def zones_produit(gravite: int, vraisemblance: int) -> str:
    criticite = gravite * vraisemblance
    if criticite >= 15:
        return "inacceptable"
    return "a_surveiller" if criticite >= 6 else "acceptable"


def parse(svg: str) -> ET.Element:
    racine = ET.fromstring(svg)  # raises if not well-formed
    assert racine.tag == f"{NS}svg"
    return racine


def classes(racine: ET.Element, tag: str, classe: str) -> list[ET.Element]:
    return [e for e in racine.iter(f"{NS}{tag}") if e.get("class") == classe]


def textes(racine: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in racine.iter(f"{NS}text")]


def tous_les_graphes():
    return [
        charts.barres(titre="Évènements", etiquettes=MOIS, valeurs=[3, 5, 0, 10]),
        charts.barres_empilees(titre="Statuts", etiquettes=MOIS, series=[("Ouverts", [1, 2, 3, 4], "#dc3545")]),
        charts.matrice(titre="Risques", comptes={(3, 3): 1}, zones=zones_produit),
        charts.courbe(titre="Taux", etiquettes=MOIS, valeurs=[80, None, 90, 95], cible=90, unite="%"),
        charts.barres(titre="Vide", etiquettes=[], valeurs=[]),
    ]


@pytest.mark.parametrize("indice", range(5))
def test_chaque_graphe_est_un_svg_accessible(indice):
    svg = tous_les_graphes()[indice]
    assert isinstance(svg, SafeString)
    racine = parse(svg)
    assert racine.get("role") == "img"
    titre, desc = racine.find(f"{NS}title"), racine.find(f"{NS}desc")
    assert titre is not None and titre.text
    assert desc is not None and desc.text
    assert racine.get("aria-labelledby") == f"{titre.get('id')} {desc.get('id')}"


def test_identifiants_distincts_entre_deux_graphes():
    a = parse(charts.barres(titre="A", etiquettes=["x"], valeurs=[1]))
    b = parse(charts.barres(titre="A", etiquettes=["x"], valeurs=[1]))
    assert a.find(f"{NS}title").get("id") != b.find(f"{NS}title").get("id")


def test_barres_une_barre_par_valeur_et_hauteurs_proportionnelles():
    racine = parse(charts.barres(titre="T", etiquettes=["a", "b", "c"], valeurs=[5, 10, 0]))
    barres = classes(racine, "rect", "barre")
    assert len(barres) == 3
    h5, h10, h0 = (float(b.get("height")) for b in barres)
    assert h5 > 0
    assert h10 == pytest.approx(2 * h5, abs=0.02)
    assert h0 == 0
    # Bars stand on the same baseline.
    bases = {round(float(b.get("y")) + float(b.get("height")), 1) for b in barres}
    assert len(bases) == 1
    assert [t.text for t in classes(racine, "text", "valeur")] == ["5", "10", "0"]


def test_barres_graduations_propres_et_entieres():
    racine = parse(charts.barres(titre="T", etiquettes=["a", "b"], valeurs=[3, 7]))
    graduations = [t for t in textes(racine) if t not in {"a", "b", "3", "7"}]
    assert graduations == ["0", "2", "4", "6", "8"]


def test_barres_etiquettes_inclinees_au_dela_de_douze():
    douze = parse(charts.barres(titre="T", etiquettes=[f"m{i}" for i in range(12)], valeurs=[1] * 12))
    treize = parse(charts.barres(titre="T", etiquettes=[f"m{i}" for i in range(13)], valeurs=[1] * 13))
    assert not any("rotate" in (t.get("transform") or "") for t in douze.iter(f"{NS}text"))
    assert sum("rotate" in (t.get("transform") or "") for t in treize.iter(f"{NS}text")) == 13


def test_texte_echappe_partout():
    piege = '<script>alert("x")</script>'
    sorties = [
        charts.barres(titre=piege, etiquettes=[piege], valeurs=[1], couleur=piege),
        charts.barres_empilees(titre=piege, etiquettes=[piege], series=[(piege, [1], "#000"), ("b", [2], "#fff")]),
        charts.courbe(titre=piege, etiquettes=[piege], valeurs=[1.0], cible=2.0, unite=piege),
        charts.matrice(titre=piege, comptes={(1, 1): 1}, zones=zones_produit),
        charts.tableau_donnees(titre=piege, etiquettes=[piege], valeurs=[1]),
    ]
    for sortie in sorties:
        assert "<script>" not in sortie
        assert "&lt;script&gt;" in sortie
        ET.fromstring(sortie)


def test_longueurs_incoherentes_refusees():
    with pytest.raises(ValueError):
        charts.barres(titre="T", etiquettes=["a", "b"], valeurs=[1])
    with pytest.raises(ValueError):
        charts.barres_empilees(titre="T", etiquettes=["a"], series=[("s", [1, 2], "#000")])


def test_barres_empilees_segments_et_legende():
    racine = parse(charts.barres_empilees(
        titre="Statuts", etiquettes=["a", "b"],
        series=[("Ouverts", [2, 4], "#dc3545"), ("Clos", [2, 0], "#198754")],
    ))
    segments = classes(racine, "rect", "barre")
    assert [s.get("fill") for s in segments] == ["#dc3545", "#198754", "#dc3545", "#198754"]
    bas_ouverts, haut_clos = segments[0], segments[1]
    # The second series sits on top of the first.
    assert float(haut_clos.get("y")) + float(haut_clos.get("height")) == pytest.approx(float(bas_ouverts.get("y")), abs=0.02)
    assert float(segments[0].get("height")) == pytest.approx(float(segments[1].get("height")), abs=0.02)
    assert float(segments[2].get("height")) == pytest.approx(2 * float(segments[0].get("height")), abs=0.02)
    assert [t.text for t in classes(racine, "text", "valeur")] == ["4", "4"]
    assert len(classes(racine, "rect", "legende")) == 2
    assert {"Ouverts", "Clos"} <= set(textes(racine))


def test_matrice_25_cases_comptes_et_zones():
    comptes = {(5, 1): 2, (3, 3): 4, (5, 5): 1}
    racine = parse(charts.matrice(titre="Risques", comptes=comptes, zones=zones_produit))
    cases = classes(racine, "rect", "case")
    assert len(cases) == 25
    valeurs = [int(t.text) for t in classes(racine, "text", "compte")]
    assert sorted(valeurs) == [0] * 22 + [1, 2, 4]
    par_position = {(int(c.get("data-gravite")), int(c.get("data-vraisemblance"))): c for c in cases}
    assert par_position[(1, 1)].get("fill") == "#d1e7dd"
    assert par_position[(3, 3)].get("fill") == "#fff3cd"
    assert par_position[(5, 5)].get("fill") == "#f8d7da"
    # Gravité 5 is the top row, vraisemblance 5 the right column.
    assert float(par_position[(5, 1)].get("y")) < float(par_position[(1, 1)].get("y"))
    assert float(par_position[(1, 5)].get("x")) > float(par_position[(1, 1)].get("x"))
    # Each count is drawn inside its own cell.
    for (g, v), n in comptes.items():
        case = par_position[(g, v)]
        x0, y0 = float(case.get("x")), float(case.get("y"))
        dedans = [t for t in classes(racine, "text", "compte")
                  if x0 < float(t.get("x")) < x0 + float(case.get("width"))
                  and y0 < float(t.get("y")) < y0 + float(case.get("height"))]
        assert [t.text for t in dedans] == [str(n)]
    assert {"Vraisemblance", "Gravité"} <= set(textes(racine))


def test_matrice_refuse_hors_bornes_et_zone_inconnue():
    with pytest.raises(ValueError):
        charts.matrice(titre="R", comptes={(6, 1): 1}, zones=zones_produit)
    with pytest.raises(ValueError):
        charts.matrice(titre="R", comptes={(1, 1): 1}, zones=lambda g, v: "rouge")


def test_courbe_cible_pointillee_et_trous():
    racine = parse(charts.courbe(
        titre="Taux", etiquettes=["a", "b", "c", "d", "e"], valeurs=[80, 85, None, 90, 95], cible=90, unite="%",
    ))
    cibles = classes(racine, "line", "cible")
    assert len(cibles) == 1 and cibles[0].get("stroke-dasharray")
    assert any(t.startswith("Cible") for t in textes(racine))
    points = classes(racine, "circle", "point")
    assert len(points) == 4
    # The None splits the line into two segments of two points each.
    traces = classes(racine, "polyline", "trace")
    assert [len(t.get("points").split()) for t in traces] == [2, 2]
    # The target sits at the same height as a point worth 90.
    assert float(cibles[0].get("y1")) == pytest.approx(float(points[2].get("cy")), abs=0.02)


def test_courbe_sans_cible_ni_ligne_pointillee():
    racine = parse(charts.courbe(titre="T", etiquettes=["a", "b"], valeurs=[1.5, 2.5]))
    assert classes(racine, "line", "cible") == []
    assert not any(t.startswith("Cible") for t in textes(racine))
    assert len(classes(racine, "polyline", "trace")) == 1


def test_courbe_point_isole_sans_segment():
    racine = parse(charts.courbe(titre="T", etiquettes=["a", "b", "c"], valeurs=[None, 4.0, None]))
    assert len(classes(racine, "circle", "point")) == 1
    assert classes(racine, "polyline", "trace") == []


@pytest.mark.parametrize("svg", [
    lambda: charts.barres(titre="T", etiquettes=[], valeurs=[]),
    lambda: charts.barres(titre="T", etiquettes=["a", "b"], valeurs=[0, 0]),
    lambda: charts.barres_empilees(titre="T", etiquettes=["a"], series=[("s", [0], "#000")]),
    lambda: charts.barres_empilees(titre="T", etiquettes=["a"], series=[]),
    lambda: charts.matrice(titre="T", comptes={}, zones=zones_produit),
    lambda: charts.matrice(titre="T", comptes={(1, 1): 0}, zones=zones_produit),
    lambda: charts.courbe(titre="T", etiquettes=[], valeurs=[]),
    lambda: charts.courbe(titre="T", etiquettes=["a"], valeurs=[None], cible=3),
])
def test_donnees_vides_aucune_donnee(svg):
    racine = parse(svg())
    assert "Aucune donnée" in textes(racine)
    assert racine.get("role") == "img"
    assert not list(racine.iter(f"{NS}rect"))


def test_courbe_toute_a_zero_reste_une_courbe():
    racine = parse(charts.courbe(titre="T", etiquettes=["a", "b"], valeurs=[0.0, 0.0]))
    assert "Aucune donnée" not in textes(racine)
    assert len(classes(racine, "circle", "point")) == 2


def test_nombres_a_la_francaise():
    racine = parse(charts.courbe(titre="T", etiquettes=["a"], valeurs=[1234.5], unite="%"))
    assert "1\u00a0234,5\u00a0%" in [t.text for t in classes(racine, "text", "valeur")]


def test_tableau_donnees():
    html = charts.tableau_donnees(titre="Par mois", etiquettes=["janv.", "févr."], valeurs=[3, None])
    table = ET.fromstring(html)
    assert table.tag == "table" and table.get("class") == "visually-hidden"
    assert table.find("caption").text == "Par mois"
    lignes = table.findall("tbody/tr")
    assert [(r.find("th").text, r.find("td").text) for r in lignes] == [("janv.", "3"), ("févr.", "non renseigné")]
    vide = ET.fromstring(charts.tableau_donnees(titre="Vide", etiquettes=[], valeurs=[]))
    assert vide.find("tbody/tr/td").text == "Aucune donnée"


def test_les_graphes_n_ont_aucun_style_en_ligne_bloque_par_la_csp():
    from qualite.pilotage import charts

    svg = charts.barres(titre="t", etiquettes=["a", "b"], valeurs=[1, 2])
    assert "style=" not in svg and 'class="graphique"' in svg
