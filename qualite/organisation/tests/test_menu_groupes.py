"""The menu bar groups the sections into a few drop-downs: every entry a user may open is there, once, under
its section's heading; the bar of the busiest account holds few enough items to stay on one line."""

import pytest

from qualite.organisation.navigation import entrees_pour, menu_pour
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_chaque_entree_est_dans_un_seul_groupe_sous_sa_section(monde):
    tous = UtilisateurFactory(roles=[r.value for r in Role], etablissements=[monde.etab_a], pole=monde.pole_a,
                              service=monde.service_a)
    for user in (monde.users["administrateur"], monde.users["gestionnaire_risques"], tous):
        entrees = entrees_pour(user)
        menu = menu_pour(entrees)
        dans_le_menu = [(s["libelle"], e["url"]) for g in menu for s in g["sections"] for e in s["entrees"]]
        assert sorted(dans_le_menu) == sorted((e["section"], e["url"]) for e in entrees)
        assert len(menu) <= 6, [g["libelle"] for g in menu]
    groupes = {g["libelle"]: [s["libelle"] for s in g["sections"]] for g in menu_pour(entrees_pour(tous))}
    assert sorted(groupes["Usagers"]) == ["Relations avec les usagers", "Soins sans consentement"]
    assert "Évènements indésirables" in groupes["Qualité et risques"]


def test_le_menu_de_la_page_montre_les_titres_des_sections(monde, client_de):
    page = client_de(monde.users["gestionnaire_risques"]).get("/").content.decode()
    assert 'class="dropdown-header">Évènements indésirables</span>' in page
    assert '>Qualité et risques</a>' in page
