import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_le_titre_de_l_onglet_des_statistiques_est_un_texte_et_le_tableau_des_eigs_n_y_est_qu_une_fois(
        monde, client_de):
    corps = client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:statistiques")).content.decode()
    titre = re.search(r"<title>(.*?)</title>", corps, re.S).group(1)
    assert "<" not in titre and "statistiques" in titre
    assert corps.count("EIGS — résumés anonymisés") == 1
