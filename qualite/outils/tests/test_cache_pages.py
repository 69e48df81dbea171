"""Kept pages (qualite/outils/cache_pages.py): a list served again costs two queries, and still shows at once
a write, a role taken away, another account's scope, the minute that changes; its nominative reads are
audited at each visit; a page that reads an unfollowed table or writes is never kept."""

from datetime import timedelta

import pytest
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone

from conftest import texte
from evenements.models import EvenementIndesirable
from evenements.tests.factories import EvenementFactory
from qualite.organisation.models import AuditEntry, Role
from qualite.outils import cache_pages
from usagers.ssc.tests.conftest import admettre  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _visites(client, url, fois=3):
    """The responses of `fois` visits (the first renders, the second is kept, the next ones are served)."""
    return [client.get(url) for _ in range(fois)]


def _servie(reponse) -> bool:
    return reponse.get("X-Page-En-Cache") == "1"


@pytest.fixture
def gestionnaire(monde, client):
    client.force_login(monde.users["gestionnaire_risques"])
    client.get("/")  # the CSRF cookie a browser holds
    return monde.users["gestionnaire_risques"]


def test_la_liste_servie_de_nouveau_coute_deux_requetes(monde, client, gestionnaire):
    EvenementFactory(service=monde.service_a, description="Chute au lever.")
    url = reverse("evenements:liste")
    premiere, deuxieme, troisieme = _visites(client, url)
    assert not _servie(premiere) and _servie(troisieme)
    assert troisieme.content in (premiere.content, deuxieme.content)  # a rendering kept, byte for byte
    with CaptureQueriesContext(connection) as requetes:
        assert _servie(client.get(url))
    assert len(requetes) <= 2  # the session and the account, as on a bare page


def test_une_ecriture_se_voit_a_la_visite_suivante(monde, client, gestionnaire):
    ev = EvenementFactory(service=monde.service_a)
    url = reverse("evenements:liste")
    assert _servie(_visites(client, url)[-1])
    EvenementFactory(service=monde.service_a, reference="EI-NOUVEAU-1")
    reponse = client.get(url)
    assert not _servie(reponse) and "EI-NOUVEAU-1" in texte(reponse)
    # A write that sends no signal (QuerySet.update) changes the register's version too.
    assert _servie(_visites(client, url)[-1])
    EvenementIndesirable.objects.filter(pk=ev.pk).update(reference="EI-RENOMME-2")
    reponse = client.get(url)
    assert not _servie(reponse) and "EI-RENOMME-2" in texte(reponse)


def test_un_role_retire_ferme_la_page_gardee(monde, client, gestionnaire):
    url = reverse("evenements:liste")
    assert _servie(_visites(client, url)[-1])
    gestionnaire.roles = [Role.DECLARANT]
    gestionnaire.save()
    assert client.get(url).status_code == 403


def test_chaque_compte_a_ses_pages(monde, client):
    EvenementFactory(service=monde.service_a, reference="EI-CH-A")
    EvenementFactory(service=monde.service_b, reference="EI-CH-B")
    url = reverse("evenements:liste")
    for user, voit, ne_voit_pas in ((monde.users["gestionnaire_risques"], "EI-CH-A", "EI-CH-B"),
                                    (monde.user_b, "EI-CH-B", "EI-CH-A")):
        client.force_login(user)
        client.get("/")
        derniere = _visites(client, url)[-1]
        assert _servie(derniere) and voit in texte(derniere) and ne_voit_pas not in texte(derniere)
        assert f'<span class="menu-compte">{user}</span>' in derniere.content.decode()  # its own menu


def test_la_page_suit_la_minute(monde, client, gestionnaire, monkeypatch):
    url = reverse("qualite:mes_echeances")
    assert _servie(_visites(client, url)[-1])
    fin = cache_pages._fin_de_fraicheur(60)
    monkeypatch.setattr(cache_pages.time, "time", lambda: fin + 1)  # the next minute
    assert not _servie(client.get(url))


def test_un_deploiement_change_toutes_les_cles(monde, client, gestionnaire, monkeypatch):
    url = reverse("evenements:liste")
    assert _servie(_visites(client, url)[-1])
    monkeypatch.setattr(cache_pages, "empreinte_du_code", lambda: "autre-version")
    assert not _servie(client.get(url))


def test_la_lecture_nominative_est_tracee_a_chaque_visite(monde, client_de, admettre):  # noqa: F811
    admettre("sdt", ipp="CACHE-1", t0=timezone.now() - timedelta(hours=30))
    client = client_de(monde.users["bureau_admissions"])
    client.get("/")
    url = reverse("usagers:ssc_journal")
    avant = AuditEntry.objects.filter(details__page="journal SSC").count()
    reponses = _visites(client, url, fois=4)
    assert not _servie(reponses[0]) and _servie(reponses[2]) and _servie(reponses[3])
    entrees = AuditEntry.objects.filter(details__page="journal SSC").order_by("pk")[avant:]
    assert len(entrees) == 4
    assert {(e.utilisateur_id, e.action, e.details["lignes"]) for e in entrees} == {
        (monde.users["bureau_admissions"].pk, AuditEntry.Action.LECTURE, entrees[0].details["lignes"])}
    assert entrees[0].details["lignes"] >= 1 and entrees[3].horodatage > entrees[2].horodatage


def test_sans_cookie_csrf_rien_n_est_garde(monde, client):
    client.force_login(monde.users["gestionnaire_risques"])
    url = reverse("evenements:liste")
    for _ in range(3):
        client.cookies.pop("csrftoken", None)
        assert not _servie(client.get(url))


@pytest.mark.urls(__name__)
def test_un_message_en_attente_n_est_jamais_fige(monde, client, gestionnaire):
    url = reverse("evenements:liste")
    assert _servie(_visites(client, url)[-1])
    client.get("/message/")  # a gesture elsewhere leaves its message for the next page
    suivante = client.get(url)
    assert not _servie(suivante) and "Geste enregistré pour le test." in texte(suivante)
    assert "Geste enregistré pour le test." not in texte(_visites(client, url)[-1])


# ---- pages that must not be kept -------------------------------------------------------------------------

@cache_pages.page_en_cache()
def _lit_une_table_non_suivie(request):
    return HttpResponse(f"<p>{AuditEntry.objects.count()}</p>", content_type="text/html")


@cache_pages.page_en_cache()
def _ecrit(request):
    EvenementIndesirable.objects.filter(pk=-1).delete()
    AuditEntry.objects.filter(pk=-1).update(objet="x")
    return render(request, "base.html")


@cache_pages.page_en_cache()
def _ecrit_dans_un_with(request):
    with connection.cursor() as curseur:
        curseur.execute('WITH x AS (UPDATE "evenements_evenementindesirable" SET reference = reference WHERE id = -1 '
                        'RETURNING id) SELECT count(*) FROM x')
    return render(request, "base.html")


def _message(request):
    messages.success(request, "Geste enregistré pour le test.")
    return HttpResponse("ok")


urlpatterns = [path("non-suivie/", _lit_une_table_non_suivie), path("ecrit/", _ecrit), path("message/", _message),
               path("ecrit-dans-un-with/", _ecrit_dans_un_with),
               path("", include("config.urls"))]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("chemin", ["/non-suivie/", "/ecrit/", "/ecrit-dans-un-with/"])
def test_une_page_qui_lit_hors_registre_ou_ecrit_n_est_pas_gardee(monde, client, chemin):
    client.force_login(monde.users["gestionnaire_risques"])
    client.cookies["csrftoken"] = "x" * 32
    assert [_servie(r) for r in _visites(client, chemin, fois=4)] == [False] * 4


def test_redis_injoignable_la_page_est_rendue(monde, client, gestionnaire, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    EvenementFactory(service=monde.service_a, reference="EI-SANS-REDIS")
    reponses = _visites(client, reverse("evenements:liste"))
    assert all(r.status_code == 200 and not _servie(r) and "EI-SANS-REDIS" in texte(r) for r in reponses)


def _pages_decorees():
    """The URLs without arguments whose view carries @page_en_cache()."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def parcourir(motifs, prefixe):
        for motif in motifs:
            if isinstance(motif, URLResolver):
                yield from parcourir(motif.url_patterns, prefixe + str(motif.pattern))
            elif isinstance(motif, URLPattern) and getattr(motif.callback, "page_en_cache", False):
                yield "/" + prefixe + str(motif.pattern)

    return sorted(set(parcourir(get_resolver().url_patterns, "")))


def test_les_pages_decorees_sont_bien_gardees(monde, client):
    """Each decorated page is served again on the third visit of an account that may open it: none reads a
    table that no version follows (it would be rendered each time, the decorator for nothing)."""
    pages = _pages_decorees()
    assert {"/", "/evenements/", "/evenements/statistiques/", "/echeances/", "/risques/", "/usagers/reclamations/",
            "/usagers/soins-sans-consentement/"} <= set(pages)
    EvenementFactory(service=monde.service_a)
    comptes = [monde.users[r] for r in (Role.GESTIONNAIRE_RISQUES, Role.RELATIONS_USAGERS, Role.BUREAU_ADMISSIONS)]
    non_gardees = []
    for chemin in pages:
        for compte in comptes:
            client.force_login(compte)
            client.get("/")
            reponses = _visites(client, chemin)
            if reponses[0].status_code == 200:
                if not _servie(reponses[-1]):
                    non_gardees.append((chemin, compte.username))
                break
        else:
            non_gardees.append((chemin, "aucun compte"))
    assert non_gardees == []


def test_pages_en_cache_0_rend_chaque_page(monde, client, gestionnaire, settings):
    settings.PAGES_EN_CACHE = False
    assert not any(_servie(r) for r in _visites(client, reverse("evenements:liste"), fois=4))
