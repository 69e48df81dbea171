"""The menu's « À traiter » count and the filter bar are cached (a list page cost 14 times a bare page
without it): a gesture still shows at once, and nothing crosses from one account's scope to another's."""

from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import texte
from evenements import services as services_evenements
from evenements.models import DeclarationARS, Statut
from evenements.tests.factories import EvenementFactory
from qualite.organisation import a_traiter
from qualite.organisation.models import Role, Service
from qualite.organisation.tests.factories import UtilisateurFactory
from qualite.outils import registres

pytestmark = pytest.mark.django_db


def _menu(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("evenements:liste")).content.decode()
    return html.split('data-compteur="menu-a-traiter">', 1)[1].split("<", 1)[0]


def test_le_compte_du_menu_suit_un_geste_aussitot(monde, client):
    gestionnaire = monde.users["gestionnaire_risques"]
    evs = [EvenementFactory(service=monde.service_a) for _ in range(3)]
    assert _menu(client, gestionnaire) == "3"
    assert _menu(client, gestionnaire) == "3"  # served by the cache
    services_evenements.evenement_changer_statut(evenement=evs[0], par=gestionnaire, vers=Statut.CLASSE_SANS_SUITE,
                                                 motif="Doublon d'une autre déclaration.")
    assert _menu(client, gestionnaire) == "2"
    EvenementFactory(service=monde.service_a)
    assert _menu(client, gestionnaire) == "3"


def test_le_cache_ne_sert_pas_le_compte_d_un_autre(monde, client):
    EvenementFactory(service=monde.service_a)
    for _ in range(4):
        EvenementFactory(service=monde.service_b)
    assert _menu(client, monde.users["gestionnaire_risques"]) == "1"
    assert _menu(client, monde.user_b) == "4"
    assert _menu(client, monde.users["gestionnaire_risques"]) == "1"


def test_un_role_retire_change_le_compte(monde, client):
    double = UtilisateurFactory(username="double", roles=[Role.GESTIONNAIRE_RISQUES, Role.DECLARANT],
                                etablissements=[monde.etab_a])
    EvenementFactory(service=monde.service_a)
    assert _menu(client, double) == "1"
    double.roles = [Role.DECLARANT]
    double.save()
    assert _menu(client, double) == "0"


def test_un_etablissement_ajoute_au_compte_change_le_compte(monde, client):
    gestionnaire = monde.users["gestionnaire_risques"]
    EvenementFactory(service=monde.service_a)
    EvenementFactory(service=monde.service_b)
    assert _menu(client, gestionnaire) == "1"
    gestionnaire.etablissements.add(monde.etab_b)  # m2m: no post_save, the link table is followed
    assert _menu(client, gestionnaire) == "2"


def test_une_ecriture_sans_signal_suivie_par_modifie(monde, client):
    """An update() (no signal) on a register the count reads, then registres.modifie(): counted again."""
    gestionnaire = monde.users["gestionnaire_risques"]
    ev = EvenementFactory(service=monde.service_a, statut=Statut.PRIS_EN_CHARGE, est_eigs=True, gravite=4,
                          vraisemblance=2)
    declaration = DeclarationARS.objects.create(evenement=ev)
    avant = int(_menu(client, gestionnaire))
    DeclarationARS.objects.filter(pk=declaration.pk).update(partie1_envoyee_le=ev.survenu_le + timedelta(hours=1))
    registres.modifie(DeclarationARS)
    assert int(_menu(client, gestionnaire)) == avant - 1


def test_chaque_table_lue_par_les_comptes_est_suivie(monde):
    """A register read by a source but not followed would keep a stale count until the cache expires."""
    tous = UtilisateurFactory(username="tous", roles=list(Role.values), etablissements=[monde.etab_a])
    sources = a_traiter.sources_pour(tous)
    assert len(sources) >= 10
    lus = registres.modeles_lus(str(a_traiter._requete_comptes(tous, sources).query))
    assert {m._meta.label_lower for m in lus} >= {"evenements.evenementindesirable", "echeances.echeance",
                                                  "documents.versiondocument", "paqss.actionamelioration"}
    assert [m._meta.label_lower for m in lus if not registres.suivi(m)] == []


def test_redis_injoignable_le_compte_reste_juste(monde, client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}
    EvenementFactory(service=monde.service_a)
    assert _menu(client, monde.users["gestionnaire_risques"]) == "1"


class TestBarreDeFiltres:
    def test_chaque_compte_voit_ses_services_seulement(self, monde, client):
        client.force_login(monde.users["gestionnaire_risques"])
        a = texte(client.get(reverse("evenements:liste")))
        client.force_login(monde.user_b)
        b = texte(client.get(reverse("evenements:liste")))
        assert monde.service_a.nom in a and monde.service_b.nom not in a
        assert monde.service_b.nom in b and monde.service_a.nom not in b

    def test_un_service_cree_apparait_aussitot(self, monde, client):
        client.force_login(monde.users["gestionnaire_risques"])
        client.get(reverse("evenements:liste"))
        Service.objects.create(pole=monde.pole_a, nom="Unité de soins palliatifs")
        assert "Unité de soins palliatifs" in texte(client.get(reverse("evenements:liste")))

    def test_un_pole_rattache_a_un_autre_etablissement_emporte_ses_services(self, monde, client):
        client.force_login(monde.users["gestionnaire_risques"])
        assert monde.service_a2.nom in texte(client.get(reverse("evenements:liste")))
        monde.pole_a2.etablissement = monde.etab_b
        monde.pole_a2.save()
        assert monde.service_a2.nom not in texte(client.get(reverse("evenements:liste")))

    def test_les_valeurs_saisies_restent_selectionnees(self, monde, client):
        client.force_login(monde.users["gestionnaire_risques"])
        client.get(reverse("evenements:liste"))
        html = client.get(reverse("evenements:liste"), {"q": "chute au lever", "statut": "declare"}).content.decode()
        assert 'value="chute au lever"' in html
        assert '<option value="declare" selected>' in html
        html = client.get(reverse("evenements:liste")).content.decode()
        assert 'value="chute au lever"' not in html and '<option value="declare" selected>' not in html

    def test_une_saisie_erronee_montre_son_erreur(self, monde, client):
        client.force_login(monde.users["gestionnaire_risques"])
        html = texte(client.get(reverse("evenements:liste"), {"du": "32/13/2026"}))
        assert "Saisissez une date valide" in html or "date valide" in html

    def test_la_barre_est_rendue_une_fois_puis_lue_du_cache(self, monde, client, django_assert_max_num_queries):
        rendus = []
        from django.template import loader

        original = loader.render_to_string

        def compter(nom, *a, **k):
            if nom == "qualite/outils/_barre_filtres.html":
                rendus.append(nom)
            return original(nom, *a, **k)

        loader.render_to_string, sauve = compter, original
        try:
            client.force_login(monde.users["gestionnaire_risques"])
            client.get(reverse("evenements:liste"), {"statut": "cloture"})
            client.get(reverse("evenements:liste"), {"statut": "cloture"})
        finally:
            loader.render_to_string = sauve
        assert len(rendus) == 1



def test_une_ecriture_par_copy_change_la_version_du_registre(monde, client):
    from qualite.outils import copie

    client.force_login(monde.users["gestionnaire_risques"])
    client.get(reverse("evenements:liste"))
    avant = registres.version(Service)
    copie.copier(Service, [{"pole_id": monde.pole_a.pk, "nom": "Hôpital de jour gériatrique"}])
    assert registres.version(Service) > avant
    assert "Hôpital de jour gériatrique" in texte(client.get(reverse("evenements:liste")))
