"""Impact campaigns: a representative answers before and after, only for himself, until the measure closes;
the CDU reads the mean per question, before against after."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import texte
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory
from usagers.impact import referentiels, services
from usagers.impact.models import CampagneImpact, Grille, ItemGrille, ReponsesImpact, Temps, ValeurImpact
from usagers.impact.selectors import comparaison
from usagers.impact.tests.outils import membre

pytestmark = pytest.mark.django_db


@pytest.fixture
def campagne(monde):
    referentiels.synchroniser()
    jour = timezone.localdate()
    autre = UtilisateurFactory(username="ru_deux", roles=[Role.REPRESENTANT_USAGERS], etablissements=[monde.etab_a])
    cohorte = [membre(monde.etab_a, "Alice RU", utilisateur=monde.users["representant_usagers"]),
               membre(monde.etab_a, "Bruno RU", utilisateur=autre), membre(monde.etab_a, "Chloé RU")]
    c = services.campagne_impact_enregistrer(par=monde.users["relations_usagers"], cohorte=cohorte, donnees={
        "etablissement": monde.etab_a, "titre": "Cohorte 2025", "grille": Grille.objects.get(type="impact"),
        "avant_le": jour - timedelta(days=100), "apres_le": jour - timedelta(days=5)})
    c.membres = cohorte
    c.autre_user = autre
    c.items = list(ItemGrille.objects.filter(theme__grille=c.grille).order_by("theme__numero", "id"))
    return c


def _toutes(c, valeur, **autres):
    return {f"item_{i.pk}": str(autres.get(i.numero, valeur)) for i in c.items}


def test_reference_data_loads_once_whatever_the_number_of_runs():
    referentiels.synchroniser()
    avant = ItemGrille.objects.count()
    referentiels.synchroniser()
    assert ItemGrille.objects.count() == avant > 10
    assert Grille.objects.get(type="impact").echelle[0] == [1, "Pas du tout d'accord"]


def test_a_representative_answers_then_changes_his_answers(monde, campagne, client_de):
    client = client_de(monde.users["representant_usagers"])
    url = f"/usagers/impact/campagnes/{campagne.pk}/avant/"
    assert client.get(url).status_code == 200
    reponse = client.post(url, _toutes(campagne, 2))
    assert reponse.status_code == 302
    r = ReponsesImpact.objects.get(campagne=campagne, temps="avant")
    assert r.membre.nom == "Alice RU" and r.valeurs.count() == len(campagne.items)
    client.post(url, {**_toutes(campagne, 4), "revision": r.revision})
    assert set(ValeurImpact.objects.filter(reponses=r).values_list("valeur", flat=True)) == {4}
    from qualite.organisation.models import AuditEntry

    traces = AuditEntry.objects.filter(object_id=str(r.pk), utilisateur=monde.users["representant_usagers"])
    assert sorted(traces.values_list("action", flat=True)) == ["creation", "modification"]


def test_a_stale_page_is_refused_with_nothing_written(monde, campagne, client_de):
    client = client_de(monde.users["representant_usagers"])
    url = f"/usagers/impact/campagnes/{campagne.pk}/avant/"
    client.post(url, _toutes(campagne, 2))
    client.post(url, {**_toutes(campagne, 3), "revision": 1})  # revision 1 -> 2
    reponse = client.post(url, {**_toutes(campagne, 5), "revision": 1})  # loaded before the previous save
    assert reponse.status_code == 200 and "Modifié entre-temps" in texte(reponse)
    assert set(ValeurImpact.objects.values_list("valeur", flat=True)) == {3}


def test_a_missing_answer_is_shown_beside_the_question_and_nothing_is_saved(monde, campagne, client_de):
    donnees = _toutes(campagne, 3)
    del donnees[f"item_{campagne.items[1].pk}"]
    reponse = client_de(monde.users["representant_usagers"]).post(
        f"/usagers/impact/campagnes/{campagne.pk}/avant/", donnees)
    page = texte(reponse)
    assert reponse.status_code == 200 and "Choisissez une réponse." in page and "Rien n'a été enregistré" in page
    assert not ReponsesImpact.objects.exists()


def test_a_representative_never_sees_another_ones_answers(monde, campagne, client_de):
    client_de(monde.users["representant_usagers"]).post(f"/usagers/impact/campagnes/{campagne.pk}/avant/",
                                                        _toutes(campagne, 5))
    client = client_de(campagne.autre_user)
    page = texte(client.get(f"/usagers/impact/campagnes/{campagne.pk}/avant/"))
    assert "Bruno RU" in page and "checked" not in page
    client.post(f"/usagers/impact/campagnes/{campagne.pk}/avant/", _toutes(campagne, 1))
    assert set(ReponsesImpact.objects.values_list("membre__nom", flat=True)) == {"Alice RU", "Bruno RU"}
    assert set(ValeurImpact.objects.filter(reponses__membre__nom="Alice RU").values_list("valeur", flat=True)) == {5}


def test_who_may_answer(monde, campagne, client_de):
    url = f"/usagers/impact/campagnes/{campagne.pk}/avant/"
    hors_cohorte = UtilisateurFactory(username="ru_hors", roles=[Role.REPRESENTANT_USAGERS], etablissements=[monde.etab_a])
    ru_b = UtilisateurFactory(username="ru_b", roles=[Role.REPRESENTANT_USAGERS], etablissements=[monde.etab_b])
    assert client_de(hors_cohorte).get(url).status_code == 404
    assert client_de(ru_b).get(url).status_code == 404
    assert client_de(monde.users["membre_cdu"]).get(url).status_code == 403
    assert client_de(monde.users["representant_usagers"]).get(
        f"/usagers/impact/campagnes/{campagne.pk}/pendant/").status_code == 404


def test_closing_a_measure_freezes_its_answers(monde, campagne, client_de):
    url = f"/usagers/impact/campagnes/{campagne.pk}/avant/"
    ru = client_de(monde.users["representant_usagers"])
    ru.post(url, _toutes(campagne, 2))
    gestion = client_de(monde.users["relations_usagers"])
    assert gestion.post(f"/usagers/impact/campagnes/{campagne.pk}/", {"clore": "avant"}).status_code == 302
    assert CampagneImpact.objects.get(pk=campagne.pk).avant_close_le == timezone.localdate()
    ru = client_de(monde.users["representant_usagers"])
    ru.post(url, {**_toutes(campagne, 5), "revision": 1})
    assert set(ValeurImpact.objects.values_list("valeur", flat=True)) == {2}


def test_an_after_measure_not_yet_open_takes_no_answer(monde, campagne):
    CampagneImpact.objects.filter(pk=campagne.pk).update(apres_le=timezone.localdate() + timedelta(days=30))
    campagne.refresh_from_db()
    with pytest.raises(Exception, match="close ou pas encore ouverte"):
        services.reponses_impact_enregistrer(campagne=campagne, membre=campagne.membres[0], temps=Temps.APRES,
                                             valeurs={}, par=monde.users["representant_usagers"])


def test_comparison_per_question_before_and_after(monde, campagne, client_de, django_assert_max_num_queries):
    q1, q2 = campagne.items[0], campagne.items[1]
    # before: 1, 2, 3 (mean 2.00); after: 4, 5, 5 (mean 4.67); q2 after: only two answers -> withheld
    for m, avant, apres in zip(campagne.membres, (1, 2, 3), (4, 5, 5), strict=True):
        valeurs = {i.pk: 3 for i in campagne.items}
        services.reponses_impact_enregistrer(campagne=campagne, membre=m, temps=Temps.AVANT, par=None,
                                             valeurs={**valeurs, q1.pk: avant})
        apres_valeurs = {**valeurs, q1.pk: apres}
        if m.nom == "Chloé RU":
            del apres_valeurs[q2.pk]
        services.reponses_impact_enregistrer(campagne=campagne, membre=m, temps=Temps.APRES, par=None,
                                             valeurs=apres_valeurs)
    questions = {q["item"].pk: q for q in comparaison(campagne)["questions"]}
    assert questions[q1.pk]["avant"] == 2.0 and questions[q1.pk]["apres"] == 4.67 and questions[q1.pk]["ecart"] == 2.67
    assert questions[q2.pk]["avant"] == 3.0 and questions[q2.pk]["apres"] is None and questions[q2.pk]["n_apres"] == 2
    client = client_de(monde.users["membre_cdu"])
    with django_assert_max_num_queries(25):
        reponse = client.get(f"/usagers/impact/campagnes/{campagne.pk}/")
    page = texte(reponse)
    assert reponse.status_code == 200 and 'id="graphique-avant-apres"' in page
    assert "1.1 : Avant 2" in page and "1.1 : Après 4,67" in page  # the chart's bars, in words
    assert "Répondre" not in page  # a CDU member answers nothing


def test_campaign_list_query_count(monde, campagne, client_de, django_assert_max_num_queries):
    client = client_de(monde.users["relations_usagers"])
    with django_assert_max_num_queries(20):
        reponse = client.get("/usagers/impact/campagnes/")
    assert "Cohorte 2025" in texte(reponse)


def test_creating_twice_with_one_key_makes_one_campaign(monde, campagne, client_de):
    import uuid

    client = client_de(monde.users["relations_usagers"])
    jour = timezone.localdate()
    donnees = {"etablissement": monde.etab_a.pk, "titre": "Nouvelle cohorte", "grille": campagne.grille_id,
               "avant_le": jour.isoformat(), "apres_le": (jour + timedelta(days=365)).isoformat(),
               "cohorte": [campagne.membres[0].pk], "cle_creation": str(uuid.uuid4())}
    premiere, seconde = client.post("/usagers/impact/campagnes/", donnees), client.post("/usagers/impact/campagnes/", donnees)
    assert premiere.status_code == seconde.status_code == 302 and premiere["Location"] == seconde["Location"]
    assert CampagneImpact.objects.filter(titre="Nouvelle cohorte").count() == 1


def test_a_cohort_member_of_another_establishment_is_refused(monde, campagne, client_de):
    ru_b = membre(monde.etab_b, "Zoé RU de B")
    jour = timezone.localdate()
    reponse = client_de(monde.users["administrateur"]).post("/usagers/impact/campagnes/", {
        "etablissement": monde.etab_a.pk, "titre": "Mélangée", "grille": campagne.grille_id,
        "avant_le": jour.isoformat(), "apres_le": jour.isoformat(), "cohorte": [ru_b.pk]})
    assert reponse.status_code == 200
    assert "La mesure après suit la mesure avant." in texte(reponse)
    assert not CampagneImpact.objects.filter(titre="Mélangée").exists()
