"""Patient-safety dialogue campaigns: the synthesis (1 month) and the closing meeting with the director (2 months) are
internal targets (« à vérifier »: the national kit sets no delay), counted from the campaign's end, else from its last
interview; satisfied once written / held; listed in « Mes échéances » for the relations staff."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from qualite.echeances.models import Echeance, RegleEcheance
from qualite.echeances.moteur import echeances_de
from usagers.relations.models import CampagneDialogue, MembreCDU


def _dues(c):
    return {e.regle.code: e for e in echeances_de(c)}


@pytest.fixture
def relations(monde):
    return monde.users["relations_usagers"]


def _campagne(client, monde, **kw):
    donnees = {"etablissement": monde.etab_a.pk, "titre": "Dialogue 2026", "debut": "2026-01-05", "fin": "2026-03-31"}
    donnees.update(kw)
    response = client.post(reverse("usagers:campagnes"), donnees)
    assert response.status_code == 302, response.context["form"].errors
    return CampagneDialogue.objects.get(titre=donnees["titre"])


def test_les_regles_sont_des_objectifs_internes_a_verifier(db):
    for code, mois in (("dialogue-synthese", 1), ("dialogue-cloture", 2)):
        regle = RegleEcheance.objects.get(code=code)
        assert regle.a_verifier and regle.delai_mois == mois
        assert "Dialogue sécurité patients" in regle.base_legale
        assert set(regle.roles) >= {"relations_usagers"}


def test_echeances_creees_depuis_la_fin_de_la_campagne(monde, client_de, relations):
    c = _campagne(client_de(relations), monde)
    dues = _dues(c)
    assert timezone.localtime(dues["dialogue-synthese"].echeance).date() == date(2026, 4, 30)
    assert timezone.localtime(dues["dialogue-cloture"].echeance).date() == date(2026, 5, 31)
    assert "fin de la campagne le 31/03/2026" in dues["dialogue-synthese"].debut_compte
    assert all(e.satisfaite_le is None for e in dues.values())


def test_sans_fin_depuis_le_dernier_entretien_et_rien_avant(monde, client_de, relations):
    client = client_de(relations)
    c = _campagne(client, monde, fin="")
    assert _dues(c) == {}
    ru = MembreCDU.objects.create(etablissement=monde.etab_a, nom="R. U.", role="ru_titulaire",
                                  debut_mandat=date(2025, 1, 1), fin_mandat=date(2028, 1, 1))
    response = client.post(reverse("usagers:campagne", args=[c.pk]), {
        "quoi": "entretien", "date": "2026-02-10", "fonction": "Cadre de santé", "ru_presents": [ru.pk], "notes": "x"})
    assert response.status_code == 302
    dues = _dues(c)
    assert timezone.localtime(dues["dialogue-synthese"].echeance).date() == date(2026, 3, 10)
    assert timezone.localtime(dues["dialogue-cloture"].echeance).date() == date(2026, 4, 10)
    assert "dernier entretien le 10/02/2026" in dues["dialogue-cloture"].debut_compte


def test_satisfaites_quand_la_synthese_et_la_reunion_sont_renseignees(monde, client_de, relations):
    client = client_de(relations)
    c = _campagne(client, monde)
    donnees = {"quoi": "campagne", "etablissement": monde.etab_a.pk, "titre": c.titre, "debut": "2026-01-05",
               "fin": "2026-03-31", "synthese": "Trois axes : identitovigilance, information, sortie."}
    assert client.post(reverse("usagers:campagne", args=[c.pk]), donnees).status_code == 302
    dues = _dues(c)
    synthese_le = dues["dialogue-synthese"].satisfaite_le
    assert synthese_le is not None and dues["dialogue-cloture"].satisfaite_le is None
    donnees.update(reunion_cloture_le="2026-05-12", reunion_cloture_notes="Directeur présent.")
    assert client.post(reverse("usagers:campagne", args=[c.pk]), donnees).status_code == 302
    dues = _dues(c)
    assert timezone.localtime(dues["dialogue-cloture"].satisfaite_le).date() == date(2026, 5, 12)
    assert dues["dialogue-synthese"].satisfaite_le == synthese_le  # the synthesis keeps the day it was written
    assert {e.statut for e in dues.values()} == {Echeance.Statut.SATISFAIT}


def test_listees_dans_mes_echeances_du_service_des_relations(monde, client_de, relations):
    c = _campagne(client_de(relations), monde)
    response = client_de(relations).get(reverse("qualite:mes_echeances"))
    codes = {e.regle.code for e in response.context["page"] if e.object_id == c.pk}
    assert codes == {"dialogue-synthese", "dialogue-cloture"}
    autre = client_de(monde.users["declarant"]).get(reverse("qualite:mes_echeances"))
    assert autre.status_code == 403 or not any(e.regle.code.startswith("dialogue-") for e in autre.context["page"])
