"""The heat map: one SVG for the page and the PDF, counts per cell, filters by pôle and process."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certification.models import Processus
from qualite.risques import services
from qualite.risques.carte import carte_chaleur
from qualite.risques.models import ReglagesRisques
from qualite.risques.tests.factories import RisqueFactory

pytestmark = pytest.mark.django_db


def _cases(svg: str) -> dict[tuple[int, int], int]:
    return {(int(f), int(g)): int(n) for f, g, n in
            re.findall(r'data-frequence="(\d+)" data-gravite="(\d+)" data-compte="(\d+)"', str(svg))}


def _coter(risque, f, g, m=1):
    services.risque_coter(risque=risque, par=None, frequence=f, gravite=g, maitrise=m, date=date(2026, 2, 1))


class TestSvg:
    def test_compte_par_case_et_grille_complete(self):
        reglages = ReglagesRisques()
        svg = carte_chaleur(titre="Carte <test>", comptes={(4, 5): 2, (1, 1): 1}, zone=reglages.zone)
        cases = _cases(svg)
        assert len(cases) == 25 and cases[4, 5] == 2 and cases[1, 1] == 1 and cases[2, 2] == 0
        assert 'role="img"' in svg and "Carte &lt;test&gt;" in svg
        assert "Fréquence 4, gravité 5 (criticité 20, inacceptable) : 2 risque(s)" in svg

    def test_une_echelle_de_4_niveaux_donne_une_grille_4x4(self):
        svg = carte_chaleur(titre="t", comptes={(4, 4): 1}, zone=ReglagesRisques().zone, nb_frequence=4,
                            nb_gravite=4)
        assert len(_cases(svg)) == 16
        with pytest.raises(ValueError):
            carte_chaleur(titre="t", comptes={(5, 1): 1}, zone=ReglagesRisques().zone, nb_frequence=4, nb_gravite=4)


class TestPage:
    def test_la_page_compte_les_risques_par_case_filtres_par_pole_et_processus(self, monde, client_de):
        processus = Processus.objects.create(nom="Circuit du médicament", etablissement=monde.etab_a)
        for f, g, pole, proc in ((3, 4, monde.pole_a, processus), (3, 4, monde.pole_a, None), (2, 5, monde.pole_a2, None)):
            _coter(RisqueFactory(etablissement=monde.etab_a, pole=pole, processus=proc), f, g)
        _coter(RisqueFactory(etablissement=monde.etab_b), 1, 1)
        client = client_de(monde.users["direction"])
        response = client.get(reverse("risques:carte"))
        assert _cases(response.context["svg"])[3, 4] == 2 and _cases(response.context["svg"])[2, 5] == 1
        assert _cases(response.context["svg"])[1, 1] == 0  # the other établissement's risk
        assert _cases(client.get(reverse("risques:carte"), {"pole": monde.pole_a2.pk}).context["svg"]) [2, 5] == 1
        filtre = client.get(reverse("risques:carte"), {"processus": processus.pk}).context["svg"]
        assert sum(_cases(filtre).values()) == 1

    def test_le_pdf_est_un_vrai_pdf_avec_le_titre_et_la_meme_carte(self, monde, client_de):
        _coter(RisqueFactory(etablissement=monde.etab_a, titre="Chute de nuit"), 4, 3)
        client = client_de(monde.users["gestionnaire_risques"])
        response = client.get(reverse("risques:carte_pdf"), {"date": "2026-03-01"})
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        pages = PdfReader(io.BytesIO(response.content)).pages
        texte = " ".join(p.extract_text() for p in pages)
        assert "Cartographie des risques au 01/03/2026" in texte and "Chute de nuit" in texte
        page = client.get(reverse("risques:carte"), {"date": "2026-03-01"})
        assert _cases(page.context["svg"])[4, 3] == 1


def test_la_carte_a_un_nombre_de_requetes_fixe(monde, client_de, django_assert_max_num_queries):
    for i in range(20):
        _coter(RisqueFactory(etablissement=monde.etab_a, pole=monde.pole_a if i % 2 else None), 1 + i % 5, 2)
    client = client_de(monde.users["gestionnaire_risques"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("risques:carte"))
    carte = response.context["carte"]
    assert sum(carte.comptes.values()) == 20 and dict(carte.par_pole) == {"": 10, "Pôle médecine A": 10}


@pytest.mark.parametrize("valeur", ["9999-01-01", "abc", "2026-02-30", "0001-01-01"])
def test_une_date_erronee_n_est_jamais_une_erreur_500(monde, client_de, valeur):
    from django.utils import timezone

    client = client_de(monde.users["gestionnaire_risques"])
    response = client.get(reverse("risques:carte"), {"date": valeur})
    assert response.status_code == 200 and response.context["carte"].jour == timezone.localdate()
    assert client.get(reverse("risques:carte_pdf"), {"date": valeur}).status_code == 200


def test_les_totaux_par_zone_comptent_tous_les_risques_au_dela_des_500_listes(monde, client_de):
    """The list under the grid stops at 500; the grid and the zone totals count every risk of the map."""
    from qualite.risques.models import Cotation, Risque

    famille = RisqueFactory(etablissement=monde.etab_a).famille
    risques = Risque.objects.bulk_create([
        Risque(etablissement=monde.etab_a, famille=famille, titre=f"Risque en masse {i:03d}") for i in range(520)])
    # 130 scored 5×5 (inacceptable), 390 scored 1×1 (acceptable), one scoring each, maîtrise level 1.
    poids = services.niveaux("maitrise")[1].poids
    Cotation.objects.bulk_create([
        Cotation(risque=r, date=date(2026, 2, 1), frequence=5 if i % 4 == 0 else 1, gravite=5 if i % 4 == 0 else 1,
                 maitrise=1, poids_maitrise=poids) for i, r in enumerate(risques)])
    carte = client_de(monde.users["gestionnaire_risques"]).get(reverse("risques:carte")).context["carte"]
    assert len(carte.risques) == 500
    assert sum(carte.comptes.values()) == 520 and carte.comptes[5, 5] == 130 and carte.comptes[1, 1] == 390
    attendu = {"inacceptable": 0, "a_surveiller": 0, "acceptable": 0}
    reglages = ReglagesRisques.courants()
    attendu[reglages.zone(25 * poids)] += 130
    attendu[reglages.zone(1 * poids)] += 390
    assert carte.zones == attendu
