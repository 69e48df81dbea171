"""The register's pages at volume: a page's count and the statistics come from the cache until the
register changes; paging keeps the sort and the filters; the scope holds on every page."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evenements.tests.factories import EvenementFactory

pytestmark = pytest.mark.django_db


def _registre(monde, n=70):
    """n events in pôle A with every criticité (ties included) and a few unqualified; others elsewhere."""
    maintenant = timezone.now()
    for i in range(n):
        qualifie = i % 7 != 0
        EvenementFactory(service=monde.service_a, survenu_le=maintenant - timedelta(hours=i),
                         gravite=(i % 5) + 1 if qualifie else None, vraisemblance=(i % 3) + 1 if qualifie else None)
    EvenementFactory(service=monde.service_a2, gravite=5, vraisemblance=5)
    EvenementFactory(service=monde.service_b, gravite=5, vraisemblance=5)


def _lien(html, libelle):
    m = re.search(r'href="\?([^"]*)">' + libelle, html)
    return m and m.group(1).replace("&amp;", "&")


def test_suivante_et_precedente_gardent_tri_et_filtres_sans_doublon_ni_trou(monde, client_de, settings):
    settings.PAGES_EN_CACHE = False  # the same URL asked again: read its context, which a kept page has not
    _registre(monde)
    client = client_de(monde.users["gestionnaire_risques"])
    url = reverse("evenements:liste")
    r1 = client.get(url, {"pole": monde.pole_a.pk, "tri": "-criticite"})
    suivante = _lien(r1.content.decode(), "Suivante")
    assert f"pole={monde.pole_a.pk}" in suivante and "tri=-criticite" in suivante and "page=2" in suivante
    r2 = client.get(f"{url}?{suivante}")
    precedente = _lien(r2.content.decode(), "Précédente")
    assert f"pole={monde.pole_a.pk}" in precedente and "page=1" in precedente
    lignes = list(r1.context["page"]) + list(r2.context["page"])
    assert len(lignes) == len({e.pk for e in lignes}) == 70
    assert {e.pole_id for e in lignes} == {monde.pole_a.pk}
    criticites = [e.criticite_calc for e in lignes]
    qualifiees = [c for c in criticites if c is not None]
    assert criticites[:len(qualifiees)] == qualifiees == sorted(qualifiees, reverse=True)  # unqualified last
    # Ties broken by date then id: the same request gives the same page.
    assert [e.pk for e in client.get(f"{url}?{suivante}").context["page"]] == [e.pk for e in r2.context["page"]]


def test_le_compte_est_en_cache_et_suit_le_registre(monde, client_de):
    _registre(monde, n=3)
    client = client_de(monde.users["gestionnaire_risques"])
    url = reverse("evenements:liste")
    assert client.get(url).context["page"].paginator.count == 4  # A and A2, not B
    with CaptureQueriesContext(connection) as capture:
        assert client.get(url).context["page"].paginator.count == 4
    # the paginator's count is not run again (the menu's « À traiter » counts are another query)
    assert not any('"__count"' in q["sql"] for q in capture.captured_queries)
    EvenementFactory(service=monde.service_a)
    assert client.get(url).context["page"].paginator.count == 5
    assert client.get(url, {"pole": monde.pole_a2.pk}).context["page"].paginator.count == 1


def test_le_perimetre_vaut_pour_le_compte_en_cache(monde, client_de):
    _registre(monde, n=3)
    url = reverse("evenements:liste")
    assert client_de(monde.users["gestionnaire_risques"]).get(url).context["page"].paginator.count == 4
    page_b = client_de(monde.user_b).get(url).context["page"]
    assert page_b.paginator.count == 1 and {e.etablissement_id for e in page_b} == {monde.etab_b.pk}


def test_les_listes_de_choix_sont_en_cache_par_perimetre(monde, client_de):
    url = reverse("evenements:liste")
    client_de(monde.users["gestionnaire_risques"]).get(url)
    with CaptureQueriesContext(connection) as capture:
        corps = client_de(monde.users["gestionnaire_risques"]).get(url).content.decode()
    # no choice list read again (the event list itself joins the services)
    assert not any('FROM "organisation_service"' in q["sql"] and "ORDER BY" in q["sql"] for q in capture.captured_queries)
    assert "Cardiologie A" in corps and "Cardiologie B" not in corps
    assert "Cardiologie B" in client_de(monde.user_b).get(url).content.decode()


def test_nombre_de_requetes_de_la_liste_page_2_triee(monde, client_de, django_assert_max_num_queries):
    _registre(monde)
    client = client_de(monde.users["gestionnaire_risques"])
    # First visit: the menu's count, the count of the list and its choice lists are read, then kept in the cache.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("evenements:liste"), {"tri": "-criticite", "page": 2}).status_code == 200
    with django_assert_max_num_queries(6):  # session, user, établissements, matrix, rows (and savepoints)
        assert client.get(reverse("evenements:liste"), {"tri": "-criticite", "page": 2}).status_code == 200


def test_les_statistiques_en_cache_changent_quand_un_evenement_change(monde, client_de):
    _registre(monde, n=3)
    client = client_de(monde.users["gestionnaire_risques"])
    url = reverse("evenements:statistiques")
    avant = client.get(url).context["stats"]
    with CaptureQueriesContext(connection) as capture:
        assert client.get(url).context["stats"] == avant
    assert not any("GROUP BY" in q["sql"] for q in capture.captured_queries)
    ev = EvenementFactory(service=monde.service_a, gravite=4, vraisemblance=4, est_eigs=True)
    apres = client.get(url).context["stats"]
    assert apres["total"] == avant["total"] + 1 and apres["eigs"] == avant["eigs"] + 1
    assert apres["matrice"].get((4, 4), 0) == avant["matrice"].get((4, 4), 0) + 1
    ev.gravite = 1
    ev.save()
    encore = client.get(url).context["stats"]
    assert encore["matrice"].get((4, 4), 0) == avant["matrice"].get((4, 4), 0)
    assert sum(r["n"] for r in encore["par_mois"]) == encore["total"]  # all events are in the months shown


def test_les_statistiques_ne_comptent_par_mois_que_les_mois_montres(monde, client_de):
    EvenementFactory(service=monde.service_a, survenu_le=timezone.now() - timedelta(days=5 * 365))
    EvenementFactory(service=monde.service_a)
    stats = client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:statistiques")).context["stats"]
    assert stats["total"] == 2 and sum(r["n"] for r in stats["par_mois"]) == 1


def test_nombre_de_requetes_des_statistiques(monde, client_de, django_assert_max_num_queries):
    _registre(monde, n=10)
    client = client_de(monde.users["gestionnaire_risques"])
    with django_assert_max_num_queries(8):  # session, user, scope, 2 aggregates, matrix, EIGS, +1 spare
        assert client.get(reverse("evenements:statistiques")).status_code == 200
    with django_assert_max_num_queries(5):  # from the cache: session, user, scope, matrix, the menu's counts
        assert client.get(reverse("evenements:statistiques")).status_code == 200


def test_une_page_lointaine_lue_en_deux_temps_donne_les_memes_lignes(monde, client_de, monkeypatch):
    from qualite.outils import pagination

    _registre(monde)
    client = client_de(monde.users["gestionnaire_risques"])
    params = {"tri": "-criticite", "page": 2}
    directe = [e.pk for e in client.get(reverse("evenements:liste"), params).context["page"]]
    monkeypatch.setattr(pagination, "LOINTAINE", 0)
    with CaptureQueriesContext(connection) as capture:
        page = client.get(reverse("evenements:liste"), params).context["page"]
    assert [e.pk for e in page] == directe and len(directe) == 21  # 71 in the scope of CH A
    assert any("IN (" in q["sql"] and "organisation_service" in q["sql"] for q in capture.captured_queries)
    assert page[0].service.nom  # the rows come with their joins


def test_sans_redis_les_pages_se_calculent_et_un_enregistrement_passe(monde, client_de, settings):
    client = client_de(monde.users["gestionnaire_risques"])
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}  # nothing listens on port 1
    EvenementFactory(service=monde.service_a)
    assert client.get(reverse("evenements:liste")).context["page"].paginator.count == 1
    assert client.get(reverse("evenements:statistiques")).context["stats"]["total"] == 1
