"""Bientraitance self-assessment: the team's answers saved all at once, scores per theme in SQL, compared
between services and years, and a weak theme raised as one PAQSS action, never two."""

import uuid

import pytest

from conftest import texte
from qualite.paqss.models import ActionAmelioration
from usagers.impact import referentiels, services
from usagers.impact.models import CampagneBientraitance, Grille, ItemGrille, ReponseBientraitance
from usagers.impact.selectors import comparaison_bientraitance, scores_par_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def grille():
    referentiels.synchroniser()
    return Grille.objects.get(type="bientraitance")


def _campagne(monde, grille, service, annee):
    return services.bientraitance_enregistrer(par=monde.users["gestionnaire_risques"],
                                              donnees={"service": service, "annee": annee, "grille": grille})


def _valeurs(grille, par_theme: dict[int, list[int]]):
    """{item_id: valeur} from the answers of each theme, in the order of its criteria."""
    valeurs = {}
    for numero, reponses in par_theme.items():
        items = ItemGrille.objects.filter(theme__grille=grille, theme__numero=numero).order_by("id")
        valeurs.update({i.pk: v for i, v in zip(items, reponses, strict=True)})
    return valeurs


PLEIN = {1: [2, 2, 1], 2: [0, 0, 1], 3: [2, 2, 2], 4: [1, 1, 1]}  # scores 83, 17, 100, 50


def test_scores_per_theme_out_of_100(monde, grille):
    c = _campagne(monde, grille, monde.service_a, 2025)
    services.bientraitance_repondre(campagne=c, valeurs=_valeurs(grille, PLEIN), participants="IDE", par=None, revision=None)
    scores = scores_par_theme([c.pk])[c.pk]
    par_numero = {t.numero: scores[t.pk] for t in grille.themes.all()}
    assert par_numero == {1: 83, 2: 17, 3: 100, 4: 50}


def test_services_and_years_compared(monde, grille, client_de, django_assert_max_num_queries):
    a25 = _campagne(monde, grille, monde.service_a, 2025)
    a24 = _campagne(monde, grille, monde.service_a, 2024)
    a2 = _campagne(monde, grille, monde.service_a2, 2025)
    b = _campagne(monde, grille, monde.service_b, 2025)
    for c, valeurs in ((a25, PLEIN), (a24, {1: [0, 0, 0], 2: [0, 0, 0], 3: [1, 1, 1], 4: [2, 2, 2]}),
                       (a2, {1: [2, 2, 2], 2: [2, 2, 2], 3: [2, 2, 2], 4: [2, 2, 2]}), (b, PLEIN)):
        services.bientraitance_repondre(campagne=c, valeurs=_valeurs(grille, valeurs), participants="", par=None,
                                        revision=None)
    d = comparaison_bientraitance(monde.users["gestionnaire_risques"], 2025)
    lignes = {(ligne["campagne"].service.nom, ligne["campagne"].annee): ligne["scores"] for ligne in d["lignes"]}
    assert lignes == {("Cardiologie A", 2025): [83, 17, 100, 50], ("Cardiologie A", 2024): [0, 0, 50, 100],
                      ("Orthopédie A", 2025): [100, 100, 100, 100]}  # nothing of the other établissement
    # a cadre sees his pôle only
    cadre = comparaison_bientraitance(monde.users["cadre_pole"], 2025)
    assert {ligne["campagne"].service.nom for ligne in cadre["lignes"]} == {"Cardiologie A"}
    client = client_de(monde.users["gestionnaire_risques"])
    with django_assert_max_num_queries(20):
        page = texte(client.get("/usagers/impact/bientraitance/?annee=2025"))
    assert "Orthopédie A" in page and "Cardiologie B" not in page and "<svg" in page


def test_the_team_answers_all_at_once(monde, grille, client_de):
    c = _campagne(monde, grille, monde.service_a, 2025)
    client = client_de(monde.users["cadre_pole"])
    donnees = {f"item_{pk}": str(v) for pk, v in _valeurs(grille, PLEIN).items()}
    incomplet = dict(donnees)
    incomplet.pop(next(iter(incomplet)))
    reponse = client.post(f"/usagers/impact/bientraitance/{c.pk}/", {**incomplet, "participants": "IDE", "revision": 1})
    assert reponse.status_code == 200 and "Choisissez une réponse." in texte(reponse)
    assert not ReponseBientraitance.objects.exists()
    reponse = client.post(f"/usagers/impact/bientraitance/{c.pk}/", {**donnees, "participants": "IDE, AS", "revision": 1})
    assert reponse.status_code == 302
    assert ReponseBientraitance.objects.filter(campagne=c).count() == len(donnees)
    assert CampagneBientraitance.objects.get(pk=c.pk).participants == "IDE, AS"


def test_a_cadre_of_another_pole_does_not_find_the_campaign(monde, grille, client_de):
    c = _campagne(monde, grille, monde.service_a2, 2025)
    assert client_de(monde.users["cadre_pole"]).get(f"/usagers/impact/bientraitance/{c.pk}/").status_code == 404
    assert client_de(monde.user_b).get(f"/usagers/impact/bientraitance/{c.pk}/").status_code == 404
    # a CDU member reads the scores but answers nothing
    reponse = client_de(monde.users["membre_cdu"]).post(f"/usagers/impact/bientraitance/{c.pk}/", {})
    assert reponse.status_code == 403


def test_a_weak_theme_raises_one_action_whatever_the_clicks(monde, grille, client_de):
    c = _campagne(monde, grille, monde.service_a, 2025)
    services.bientraitance_repondre(campagne=c, valeurs=_valeurs(grille, PLEIN), participants="", par=None, revision=None)
    faible = grille.themes.get(numero=2)
    client = client_de(monde.users["cadre_pole"])
    url = f"/usagers/impact/bientraitance/{c.pk}/themes/{faible.pk}/action/"
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # double click
    actions = ActionAmelioration.objects.filter(titre__contains="Information et participation")
    assert actions.count() == 1
    action = actions.get()
    assert (action.service_id, action.pole_id, action.origine) == (monde.service_a.pk, monde.pole_a.pk, "evaluation")
    page = texte(client.get(f"/usagers/impact/bientraitance/{c.pk}/"))
    assert "Action : Bientraitance — Information et participation" in page
    # a theme at or above the threshold (50) raises nothing
    client.post(f"/usagers/impact/bientraitance/{c.pk}/themes/{grille.themes.get(numero=4).pk}/action/")
    assert ActionAmelioration.objects.count() == 1


def test_opening_a_campaign_twice_with_one_key(monde, grille, client_de):
    client = client_de(monde.users["gestionnaire_risques"])
    donnees = {"service": monde.service_a.pk, "annee": 2026, "grille": grille.pk, "cle_creation": str(uuid.uuid4())}
    premiere, seconde = client.post("/usagers/impact/bientraitance/", donnees), client.post("/usagers/impact/bientraitance/", donnees)
    assert premiere.status_code == seconde.status_code == 302 and premiere["Location"] == seconde["Location"]
    assert CampagneBientraitance.objects.count() == 1
    reponse = client.post("/usagers/impact/bientraitance/", {**donnees, "cle_creation": str(uuid.uuid4())})
    assert "déjà son auto-évaluation" in texte(reponse)


def test_campaign_page_query_count_and_history(monde, grille, client_de, django_assert_max_num_queries):
    for annee, valeurs in ((2024, {1: [0, 0, 0], 2: [2, 2, 2], 3: [2, 2, 2], 4: [2, 2, 2]}), (2025, PLEIN)):
        c = _campagne(monde, grille, monde.service_a, annee)
        services.bientraitance_repondre(campagne=c, valeurs=_valeurs(grille, valeurs), participants="", par=None,
                                        revision=None)
    client = client_de(monde.users["cadre_pole"])
    with django_assert_max_num_queries(25):
        reponse = client.get(f"/usagers/impact/bientraitance/{c.pk}/")
    page = texte(reponse)
    assert "2024 : 0 ; 2025 : 83" in page  # theme 1 over the years
    assert page.count("Lever une action") == 1  # theme 2 only (17/100); theme 4 is at the threshold
