"""« À traiter » in involuntary care: certificate deadlines reach the unit's psychiatrist and the admissions office."""

import pytest

from qualite.organisation import a_traiter

pytestmark = pytest.mark.django_db


def _codes(user):
    lignes, _ = a_traiter.boite(user)
    return {(li.source.code, li.element.reference) for li in lignes}


def test_certificats_en_retard_au_psychiatre_de_l_unite_et_au_bureau_des_admissions(monde, admettre):
    mesure = admettre("sdt")
    bureau, psychiatre = monde.users["bureau_admissions"], monde.users["psychiatre"]
    du_bureau = {ref for code, ref in _codes(bureau) if code == "ssc-certificats-decisions"}
    assert du_bureau, "les certificats de 24 h et 72 h d'une admission d'il y a 10 jours sont en retard"
    assert {ref for code, ref in _codes(psychiatre) if code == "ssc-certificats-decisions"} == du_bureau
    lignes, _ = a_traiter.boite(bureau)
    assert all(li.statut == "en_retard" for li in lignes if li.source.code == "ssc-certificats-decisions"
               and "Certificat de 24 heures" in li.element.titre)
    for role in ("gestionnaire_risques", "relations_usagers", "membre_cdu", "cadre_pole", "declarant"):
        assert not any(code.startswith("ssc-") for code, _ref in _codes(monde.users[role])), role
    assert mesure is not None


def test_hors_de_l_unite_du_psychiatre(monde, admettre):
    admettre("sdt", service=monde.service_a2)
    assert not any(code.startswith("ssc-") for code, _ref in _codes(monde.users["psychiatre"]))
    assert any(code.startswith("ssc-") for code, _ref in _codes(monde.users["bureau_admissions"]))
