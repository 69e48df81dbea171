"""One regression test per input that used to end in a 500: a hostile user gets a form error,
the default page, a 400 or a 404, never a server error."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from qualite.organisation.models import Utilisateur
from qualite.organisation.tests.factories import ActionFactory
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db

ANNEES_HOSTILES = ["²", "99999", "1" * 22, "-1", "\x00"]


@pytest.fixture
def client_hostile():
    """A client that returns the 500 page instead of raising, as the server would."""
    return Client(raise_request_exception=False)


def _connecte(client, user):
    client.force_login(user)
    return client


class TestAnneeEnParametre:
    @pytest.mark.parametrize("annee", ANNEES_HOSTILES)
    @pytest.mark.parametrize("url, role", [
        ("pilotage:tableau_direction", "direction"),
        ("pilotage:tableau_cdu", "membre_cdu"),
        ("pilotage:tableau_pole", "cadre_pole"),
        ("usagers:reclamations", "relations_usagers"),
        ("usagers:dossiers", "relations_usagers"),
        ("usagers:rapport_cdu", "relations_usagers"),
    ])
    def test_une_annee_hostile_affiche_la_page_avec_l_annee_par_defaut(self, monde, client_hostile, url, role, annee):
        response = _connecte(client_hostile, monde.users[role]).get(reverse(url), {"annee": annee})
        assert response.status_code == (400 if "\x00" in annee else 200)

    @pytest.mark.parametrize("valeur", ["²", "1" * 22, "\x00"])
    def test_un_id_d_etablissement_ou_de_pole_hostile_est_ignore(self, monde, client_hostile, valeur):
        client = _connecte(client_hostile, monde.users["direction"])
        attendu = 400 if "\x00" in valeur else 200
        assert client.get(reverse("pilotage:tableau_direction"), {"etablissement": valeur}).status_code == attendu
        assert client.get(reverse("pilotage:tableau_pole"), {"pole": valeur}).status_code == attendu


class TestConnexion:
    def test_un_octet_nul_dans_l_identifiant_est_une_erreur_de_formulaire(self, monde, client_hostile):
        response = client_hostile.post(reverse("login"), {"username": "admin\x00", "password": "x"})
        assert response.status_code == 200
        assert response.context["form"].errors

    def test_un_identifiant_de_5000_caracteres_est_une_erreur_de_formulaire(self, monde, client_hostile):
        response = client_hostile.post(reverse("login"), {"username": "a" * 5000, "password": "x"})
        assert response.status_code == 200
        assert "150" in str(response.context["form"].errors)


    def test_une_adresse_transmise_forgee_n_est_pas_enregistree(self, monde, client_hostile, settings):
        from qualite.organisation.models import AuditEntry

        settings.AXES_IPWARE_PROXY_COUNT = 1
        response = client_hostile.post(reverse("login"), {"username": "inconnu", "password": "x"},
                                       HTTP_X_FORWARDED_FOR="pas-une-adresse")
        assert response.status_code == 200
        assert AuditEntry.objects.get(identifiant="inconnu").ip is None


class TestJetonIcal:
    @pytest.mark.parametrize("jeton", ["abc\x00def", "%00", "\x00" * 40])
    def test_un_octet_nul_dans_le_jeton_donne_404(self, monde, client_hostile, jeton):
        response = client_hostile.get(f"/echeances/ical/{jeton}.ics")
        assert response.status_code == 404


class TestDatesHorsBornes:
    def test_une_date_de_l_an_1_sur_le_formulaire_ars_est_une_erreur(self, monde, client_hostile):
        from evenements import services
        from evenements.tests.factories import EvenementFactory

        ev = EvenementFactory(service=monde.service_a)
        services.evenement_qualifier(evenement=ev, par=monde.users["gestionnaire_risques"], donnees={
            "gravite": 5, "vraisemblance": 1, "inattendu": True, "mise_en_jeu_pronostic_vital": True, "est_eigs": True})
        response = _connecte(client_hostile, monde.users["gestionnaire_risques"]).post(
            reverse("evenements:ars", args=[ev.pk]), {"nature": "x", "partie1_envoyee_le": "0001-01-01T00:00"})
        assert response.status_code == 200
        assert "1900" in str(response.context["form"].errors["partie1_envoyee_le"])

    def test_une_echeance_au_9999_12_31_est_une_erreur_de_formulaire(self, monde, client_hostile):
        action = ActionFactory(service=monde.service_a)
        response = _connecte(client_hostile, monde.users["gestionnaire_risques"]).post(
            reverse("qualite:action_modifier", args=[action.pk]), {
                "titre": "Former", "pole": monde.pole_a.pk, "service": monde.service_a.pk, "echeance": "9999-12-31",
                "priorite": "haute", "avancement": "30"})
        assert response.status_code == 200
        assert "2100" in str(response.context["form"].errors["echeance"])

    def test_le_moteur_d_echeances_ne_deborde_jamais(self, monde):
        from qualite.paqss import services

        action = ActionFactory(service=monde.service_a)
        ActionAmelioration.objects.filter(pk=action.pk).update(echeance=date(9999, 12, 31))
        action.refresh_from_db()
        services._synchroniser_echeance(action)  # no OverflowError


class TestOctetNul:
    def test_un_octet_nul_dans_la_requete_donne_une_page_400_en_francais(self, monde, client_hostile):
        response = _connecte(client_hostile, monde.users["administrateur"]).get("/admin/qualite/utilisateur/",
                                                                               {"q": "a\x00"})
        assert response.status_code == 400
        assert "Requête incorrecte" in response.content.decode()

    def test_l_audit_de_connexion_echouee_remplace_l_octet_nul(self, monde, client_hostile):
        response = client_hostile.post(reverse("login"), {"username": "x\x00y", "password": "z"})
        assert response.status_code == 200
        from qualite.organisation.models import AuditEntry

        assert AuditEntry.objects.filter(identifiant="x\ufffdy").exists()


class TestJournalAudit:
    @pytest.mark.parametrize("ip", ["²", "\x00", "999.1.1.1", "1" * 22])
    def test_une_adresse_hostile_est_ignoree(self, monde, client_hostile, ip):
        response = _connecte(client_hostile, monde.users["administrateur"]).get(reverse("qualite:audit"), {"ip": ip})
        assert response.status_code == (400 if "\x00" in ip else 200)


class TestAdministration:
    def test_la_page_d_ajout_de_compte_s_ouvre(self, monde, client_hostile):
        response = _connecte(client_hostile, monde.users["administrateur"]).get(reverse("admin:organisation_utilisateur_add"))
        assert response.status_code == 200

    def test_la_page_d_ajout_de_compte_cree_un_compte(self, monde, client_hostile):
        response = _connecte(client_hostile, monde.users["administrateur"]).post(
            reverse("admin:organisation_utilisateur_add"), {
                "username": "nouvelle", "usable_password": "true", "password1": "Un-mot-de-passe-long-42",
                "password2": "Un-mot-de-passe-long-42", "first_name": "Anne", "last_name": "Nouvelle",
                "email": "anne@example.org", "roles": ["declarant"]})
        assert response.status_code == 302
        assert Utilisateur.objects.get(username="nouvelle").roles == ["declarant"]

    def test_voir_sur_le_site_d_un_modele_sans_table_donne_404(self, monde, client_hostile):
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get(app_label="pghistory", model="events")
        response = _connecte(client_hostile, monde.users["administrateur"]).get(f"/admin/r/{ct.pk}/1/")
        assert response.status_code == 404

    @pytest.mark.parametrize("obj", ["qualite.utilisateur:\x00", "\x00:1", "usagers.patientssc:²", "x" * 5000])
    def test_les_pages_d_historique_refusent_les_id_hostiles(self, monde, client_hostile, obj):
        client = _connecte(client_hostile, monde.users["administrateur"])
        for method in ("tracks", "references"):
            response = client.get(reverse("admin:pghistory_events_changelist"), {"obj": obj, "method": method})
            assert response.status_code in (200, 400, 404)
        assert client.get(reverse("admin:pghistory_events_change", args=["\x00"])).status_code in (302, 400, 404)
