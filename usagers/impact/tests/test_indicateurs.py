"""Indicators per representative and per year, on a hand-built data set (expected values counted by hand)."""

from datetime import date

import pytest

from conftest import texte
from qualite.paqss.models import ActionAmelioration
from qualite.pilotage import indicateurs_ru
from qualite.pilotage.indicateurs_ru import Indicateur
from usagers.impact.tests.outils import membre
from usagers.relations.models import (
    CampagneDialogue,
    EntretienDialogue,
    MembreCDU,
    Reclamation,
    RecommandationCDU,
    SeanceCDU,
)

pytestmark = pytest.mark.django_db


def _reclamation(etab, ref, recue, **champs):
    return Reclamation.objects.create(reference=ref, etablissement=etab, nature="reclamation", canal="courrier",
                                      categories=["soins"], auteur_nom="Auteur", lien_patient="fils", objet="Objet",
                                      recue_le=recue, **champs)


def _seance(etab, jour, presents, statut="tenue"):
    s = SeanceCDU.objects.create(etablissement=etab, date=jour, statut=statut)
    s.presents.set(presents)
    return s


@pytest.fixture
def jeu(monde):
    a = monde.etab_a
    ru1 = membre(a, "Alice RU", utilisateur=monde.users["representant_usagers"])
    ru2 = membre(a, "Bruno RU", role=MembreCDU.Role.RU_SUPPLEANT)
    president = membre(a, "Dr Président", role=MembreCDU.Role.PRESIDENT)
    ru_b = membre(monde.etab_b, "Zoé RU de B")
    # Sessions: 2025 held S1 (Alice, Bruno, president), S2 (Alice); S3 planned only (not counted); 2024 S4 (Bruno)
    s1 = _seance(a, date(2025, 3, 10), [ru1, ru2, president])
    _seance(a, date(2025, 6, 10), [ru1])
    _seance(a, date(2025, 9, 10), [ru1, ru2], statut="planifiee")
    _seance(a, date(2024, 9, 10), [ru2])
    _seance(monde.etab_b, date(2025, 3, 10), [ru_b])
    # Complaints: R1 followed by Alice, Bruno at its mediation; R2 archived (not counted); R3 meeting refused
    _reclamation(a, "R1", date(2025, 2, 1), ru_referent=ru1, ru_accompagnant=ru2, mediateur_saisi_le=date(2025, 2, 5),
                 rencontre_le=date(2025, 2, 10))
    _reclamation(a, "R2", date(2025, 2, 2), ru_referent=ru1, archivee=True)
    _reclamation(a, "R3", date(2025, 2, 3), ru_accompagnant=ru1, mediateur_saisi_le=date(2025, 2, 5),
                 rencontre_le=date(2025, 2, 12), mediation_refusee=True)
    # Recommendations at S1: two by Alice (one action done, one in progress), one by Bruno without action
    fait = ActionAmelioration.objects.create(titre="A1", origine="cdu", etablissement=a, statut="realisee")
    en_cours = ActionAmelioration.objects.create(titre="A2", origine="cdu", etablissement=a, statut="en_cours")
    RecommandationCDU.objects.create(seance=s1, texte="Reco 1", proposee_par=ru1, action=fait)
    RecommandationCDU.objects.create(seance=s1, texte="Reco 2", proposee_par=ru1, action=en_cours)
    RecommandationCDU.objects.create(seance=s1, texte="Reco 3", proposee_par=ru2)
    # Dialogue interviews: two with Alice, one of them with Bruno too
    campagne = CampagneDialogue.objects.create(etablissement=a, titre="Dialogue", debut=date(2025, 1, 1))
    e1 = EntretienDialogue.objects.create(campagne=campagne, date=date(2025, 4, 1), fonction="Cadre")
    e1.ru_presents.set([ru1, ru2])
    e2 = EntretienDialogue.objects.create(campagne=campagne, date=date(2025, 5, 1), fonction="Médecin")
    e2.ru_presents.set([ru1])
    return {"ru1": ru1, "ru2": ru2, "ru_b": ru_b, "president": president}


ATTENDU_2025 = {
    "seances": {"ru1": 2, "ru2": 1},
    "reclamations_suivies": {"ru1": 1, "ru2": 0},
    "mediations": {"ru1": 0, "ru2": 1},
    "recommandations": {"ru1": 2, "ru2": 1},
    "actions_issues": {"ru1": 2, "ru2": 0},
    "actions_realisees": {"ru1": 1, "ru2": 0},
    "entretiens": {"ru1": 2, "ru2": 1},
}


def test_each_indicator_counts_what_its_definition_says(monde, jeu):
    comptes = indicateurs_ru.calculer(annees=[2024, 2025], etablissements=[monde.etab_a.pk])
    for code, attendus in ATTENDU_2025.items():
        for cle, n in attendus.items():
            assert comptes[code].get((jeu[cle].pk, 2025), 0) == n, (code, cle)
    assert comptes["seances"][(jeu["ru2"].pk, 2024)] == 1
    # the president is no representative; the other établissement is not counted
    assert not any(k[0] in (jeu["president"].pk, jeu["ru_b"].pk) for c in comptes.values() for k in c)


def test_one_query_per_indicator(monde, jeu, django_assert_num_queries):
    with django_assert_num_queries(len(indicateurs_ru.catalogue())):
        indicateurs_ru.calculer(annees=range(2021, 2026), etablissements=[monde.etab_a.pk])


def test_trends_sum_every_representative_over_five_years(monde, jeu):
    tendances = {t["code"]: t for t in indicateurs_ru.tendances(annee=2025, etablissements=[monde.etab_a.pk])}
    assert tendances["seances"]["serie"] == [(2021, 0), (2022, 0), (2023, 0), (2024, 1), (2025, 3)]
    assert tendances["recommandations"]["serie"][-1] == (2025, 3)
    assert "<svg" in tendances["seances"]["svg"]


def test_an_app_registers_an_indicator_by_account(monde, jeu, monkeypatch, client_de):
    """The espaces d'échanges register theirs keyed by user account: it lands on the member of that account."""
    ru_user = monde.users["representant_usagers"]
    monkeypatch.setitem(indicateurs_ru._REGISTRE, "espaces", Indicateur(
        "espaces", "Espaces d'échanges fréquentés", "Réunions des espaces d'échanges où il était présent.",
        lambda *, annees, etablissements: {(ru_user.pk, 2025): 4}, ordre=80, cle="utilisateur"))
    reponse = client_de(monde.users["membre_cdu"]).get("/usagers/impact/?annee=2025")
    page = texte(reponse)
    assert "Espaces d'échanges fréquentés" in page and "Réunions des espaces d'échanges" in page
    ligne_alice = page.split("Alice RU")[1].split("</tr>")[0]
    assert ligne_alice.count("<td>") == 8 and "<td>4</td>" in ligne_alice


def test_page_shows_the_cdu_the_indicators_with_their_definitions(monde, jeu, client_de, django_assert_max_num_queries):
    client = client_de(monde.users["membre_cdu"])
    from qualite.pilotage import indicateurs_ru

    with django_assert_max_num_queries(14 + len(indicateurs_ru.catalogue())):  # one query per indicator
        reponse = client.get("/usagers/impact/?annee=2025")
    assert reponse.status_code == 200
    page = texte(reponse)
    assert "Alice RU" in page and "Bruno RU" in page
    assert "Zoé RU de B" not in page and "Dr Président" not in page
    assert "Séances de la CDU tenues dans l'année" in page  # a definition
    ligne_alice = page.split("Alice RU")[1].split("</tr>")[0]
    # the seven CDU registers' indicators, then the espaces d'échanges (none in this data set)
    assert [int(x.split("</td>")[0]) for x in ligne_alice.split("<td>")[1:]] == [2, 1, 0, 2, 2, 1, 2, 0]


def test_it_refuses_a_declarant(monde, client_de):
    assert client_de(monde.users["declarant"]).get("/usagers/impact/").status_code == 403


def test_cdu_dashboard_and_annual_report_show_the_trends(monde, jeu, client_de):
    import io

    from pypdf import PdfReader

    client = client_de(monde.users["membre_cdu"])
    page = texte(client.get("/pilotage/tableaux/cdu/?annee=2025"))
    assert "Ce qu'apportent les représentants des usagers" in page and "Médiations assistées" in page
    pdf = client.get("/usagers/cdu/rapport-annuel/?annee=2025&format=pdf")
    assert pdf.status_code == 200
    extrait = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "tendances sur 5 ans" in extrait
    assert "Recommandations faites" in extrait and "2021" in extrait


def test_the_complaint_form_records_who_follows_it(monde, jeu, client_de):
    client = client_de(monde.users["relations_usagers"])
    reponse = client.post("/usagers/reclamations/nouvelle/", {
        "etablissement": monde.etab_a.pk, "nature": "plainte", "canal": "courrier", "categories": ["soins"],
        "auteur_nom": "Auteur", "lien_patient": "fils", "objet": "Objet", "recue_le": "2025-03-01",
        "ru_referent": jeu["ru2"].pk})
    assert reponse.status_code == 302
    assert Reclamation.objects.get(recue_le=date(2025, 3, 1)).ru_referent == jeu["ru2"]
    comptes = indicateurs_ru.calculer(annees=[2025], etablissements=[monde.etab_a.pk])
    assert comptes["reclamations_suivies"][(jeu["ru2"].pk, 2025)] == 1
    # a representative of the other établissement is not offered
    reponse = client.post("/usagers/reclamations/nouvelle/", {
        "etablissement": monde.etab_a.pk, "nature": "plainte", "canal": "courrier", "categories": ["soins"],
        "auteur_nom": "Autre", "lien_patient": "fils", "objet": "Objet", "recue_le": "2025-03-02",
        "ru_referent": jeu["ru_b"].pk})
    assert reponse.status_code == 200 and not Reclamation.objects.filter(recue_le=date(2025, 3, 2)).exists()
