from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from qualite.echeances.models import Echeance
from qualite.organisation.models import AuditEntry, Etablissement
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import RegleEcheanceFactory

pytestmark = pytest.mark.django_db


def _echeances(monde, n, etab=None, delta=timedelta(days=1)):
    regle = RegleEcheanceFactory(code="r-vue", libelle="Rapport du médiateur", roles=[Role.GESTIONNAIRE_RISQUES])
    ct = ContentType.objects.get_for_model(Etablissement)
    etab = etab or monde.etab_a
    return [
        Echeance.objects.create(regle=regle, content_type=ct, object_id=etab.pk, cle=f"{etab.pk}-{i}",
                                reference=f"DOS-{i}", etablissement=etab, echeance=timezone.now() + delta)
        for i in range(n)
    ]


class TestAccueil:
    def test_l_anonyme_est_envoye_vers_la_connexion(self, client):
        response = client.get(reverse("qualite:accueil"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_l_accueil_admin_propose_audit_et_administration(self, monde, client_de):
        response = client_de(monde.users["administrateur"]).get(reverse("qualite:accueil"))
        content = texte(response)
        assert "Journal d'audit" in content
        assert "Organisation et utilisateurs" in content

    def test_l_accueil_declarant_ne_propose_pas_l_administration(self, monde, client_de):
        content = texte(client_de(monde.users["declarant"]).get(reverse("qualite:accueil")))
        assert "Mes échéances" in content
        assert "Journal d'audit" not in content
        assert "Organisation et utilisateurs" not in content

    def test_l_accueil_compte_les_echeances_ouvertes(self, monde, client_de):
        _echeances(monde, 3)
        _echeances(monde, 2, etab=monde.etab_b)
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:accueil"))
        assert response.context["compteurs"]["sept_jours"] + response.context["compteurs"]["aujourdhui"] == 3

    def test_une_mauvaise_methode_est_refusee(self, monde, client_de):
        assert client_de(monde.users["declarant"]).post(reverse("qualite:accueil")).status_code == 405


class TestMesEcheances:
    def test_ne_liste_que_les_echeances_du_perimetre(self, monde, client_de):
        _echeances(monde, 2)
        _echeances(monde, 4, etab=monde.etab_b)
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:mes_echeances"))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 2

    def test_filtre_par_statut(self, monde, client_de):
        _echeances(monde, 2, delta=timedelta(days=-2))
        client = client_de(monde.users["gestionnaire_risques"])
        assert client.get(reverse("qualite:mes_echeances"), {"statut": "en_retard"}).context["page"].paginator.count == 2
        assert client.get(reverse("qualite:mes_echeances"), {"statut": "a_venir"}).context["page"].paginator.count == 0

    def test_un_filtre_errone_donne_un_message_pas_une_500(self, monde, client_de):
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:mes_echeances"), {"du": "32/13/2026"})
        assert response.status_code == 200
        assert "Saisissez une date valide" in texte(response)

    def test_nombre_de_requetes_fixe(self, monde, client_de, django_assert_max_num_queries):
        _echeances(monde, 60)
        client = client_de(monde.users["gestionnaire_risques"])
        with django_assert_max_num_queries(12):
            response = client.get(reverse("qualite:mes_echeances"))
        assert len(response.context["page"]) == 50


class TestAudit:
    def test_refuse_les_non_administrateurs(self, monde, client_de):
        for role in Role.values:
            if role != Role.ADMINISTRATEUR:
                assert client_de(monde.users[role]).get(reverse("qualite:audit")).status_code == 403, role

    def test_l_admin_cherche_par_action(self, monde, client_de, django_assert_max_num_queries):
        client = client_de(monde.users["administrateur"])
        for _ in range(30):
            AuditEntry.objects.create(action=AuditEntry.Action.EXPORT, identifiant="qualiticien", objet="export")
        AuditEntry.objects.create(action=AuditEntry.Action.LECTURE, identifiant="relations", objet="Réclamation 4")
        with django_assert_max_num_queries(8):
            response = client.get(reverse("qualite:audit"), {"action": "lecture"})
        assert response.context["page"].paginator.count == 1
        assert "Réclamation 4" in texte(response)

    def test_la_page_interdite_est_en_francais(self, monde, client_de):
        response = client_de(monde.users["declarant"]).get(reverse("qualite:audit"))
        assert "Accès refusé" in texte(response)


class TestConnexion:
    def test_connexion_et_echec_sont_audites_avec_ip(self, monde, client):
        user = monde.users["declarant"]
        client.post(reverse("login"), {"username": user.username, "password": "faux"}, REMOTE_ADDR="10.1.2.3")
        client.post(reverse("login"), {"username": user.username, "password": "motdepasse-test"}, REMOTE_ADDR="10.1.2.3")
        entries = list(AuditEntry.objects.order_by("id").values_list("action", "identifiant", "ip", "utilisateur"))
        assert entries == [
            ("echec_connexion", user.username, "10.1.2.3", None),
            ("connexion", user.username, "10.1.2.3", user.pk),
        ]

    def test_la_deconnexion_est_auditee_et_exige_post(self, monde, client_de):
        client = client_de(monde.users["declarant"])
        assert client.get(reverse("logout")).status_code == 405
        client.post(reverse("logout"))
        assert AuditEntry.objects.filter(action="deconnexion").count() == 1

    def test_la_connexion_est_freinee_apres_des_echecs_repetes(self, monde, client, settings):
        user = monde.users["declarant"]
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": user.username, "password": "faux"})
        response = client.post(reverse("login"), {"username": user.username, "password": "motdepasse-test"})
        assert response.status_code == 429
        assert "temporairement bloquée" in texte(response)

    def test_changement_de_mot_de_passe(self, monde, client_de):
        client = client_de(monde.users["declarant"])
        response = client.post(reverse("password_change"), {
            "old_password": "motdepasse-test", "new_password1": "Un-nouveau-mdp-2026", "new_password2": "Un-nouveau-mdp-2026",
        })
        assert response.status_code == 302
        monde.users["declarant"].refresh_from_db()
        assert monde.users["declarant"].check_password("Un-nouveau-mdp-2026")

    def test_erreurs_de_changement_de_mot_de_passe_pres_du_champ(self, monde, client_de):
        response = client_de(monde.users["declarant"]).post(reverse("password_change"), {
            "old_password": "mauvais", "new_password1": "a", "new_password2": "b",
        })
        assert response.status_code == 200
        assert "id_old_password" in texte(response)
        assert response.context["form"].errors["old_password"]


class TestICal:
    def test_jeton_cree_flux_servi_puis_revoque(self, monde, client_de, client):
        _echeances(monde, 2)
        user = monde.users["gestionnaire_risques"]
        creation = client_de(user).post(reverse("qualite:ical_jeton"), {"action": "creer"})
        jeton = creation.context["ical_url"].rsplit("/", 1)[1].removesuffix(".ics")
        client.logout()
        response = client.get(reverse("qualite:ical", args=[jeton]))
        assert response.status_code == 200
        body = texte(response)
        assert body.count("BEGIN:VEVENT") == 2
        assert "Rapport du médiateur" in body
        client_de(user).post(reverse("qualite:ical_jeton"), {"action": "revoquer"})
        client.logout()
        assert client.get(reverse("qualite:ical", args=[jeton])).status_code == 404

    def test_un_jeton_inconnu_donne_404(self, db, client):
        assert client.get(reverse("qualite:ical", args=["inconnu"])).status_code == 404


class TestRecapitulatif:
    def test_le_recapitulatif_liste_les_echeances_depassees_et_a_venir(self, monde):
        from qualite.echeances.tasks import envoyer_digest_echeances

        _echeances(monde, 2, delta=timedelta(days=-1))
        _echeances(monde, 1, etab=monde.etab_b)
        assert envoyer_digest_echeances(monde.users["gestionnaire_risques"].pk) is True
        assert len(mail.outbox) == 1
        assert "2 en retard" in mail.outbox[0].subject
        assert "DOS-0" in mail.outbox[0].body
        assert envoyer_digest_echeances(monde.users["membre_cdu"].pk) is False
        assert len(mail.outbox) == 1

    def test_le_planning_beat_nomme_des_taches_enregistrees(self, settings):
        from config.celery import app

        app.loader.import_default_modules()
        for entry in settings.CELERY_BEAT_SCHEDULE.values():
            assert entry["task"] in app.tasks

    def test_l_envoi_quotidien_cree_une_tache_par_compte_avec_courriel_et_role(self, monde, settings):
        from qualite.echeances.tasks import envoyer_digests_echeances

        settings.CELERY_TASK_ALWAYS_EAGER = True
        from config.celery import app

        app.conf.task_always_eager = True
        try:
            _echeances(monde, 1, delta=timedelta(days=-1))
            n = envoyer_digests_echeances()
        finally:
            app.conf.task_always_eager = False
        assert n == len(monde.users) + 2
        assert [m.to for m in mail.outbox] == [[monde.users["gestionnaire_risques"].email]]


def test_la_page_404_est_en_francais(db, client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in texte(response)


class TestAdministration:
    @pytest.mark.parametrize("url", [
        "/admin/", "/admin/organisation/utilisateur/", "/admin/organisation/etablissement/", "/admin/organisation/service/",
        "/admin/echeances/regleecheance/", "/admin/organisation/auditentry/", "/admin/pghistory/events/",
    ])
    def test_les_pages_d_administration_s_ouvrent_pour_l_administrateur(self, monde, client_de, url):
        assert client_de(monde.users["administrateur"]).get(url).status_code == 200

    def test_page_de_modification_de_compte_et_historique_des_champs(self, monde, client_de):
        from pghistory.models import Events

        user = monde.users["declarant"]
        client = client_de(monde.users["administrateur"])
        assert client.get(f"/admin/organisation/utilisateur/{user.pk}/change/").status_code == 200
        monde.service_a.nom = "Cardiologie interventionnelle"
        monde.service_a.save()
        events = Events.objects.tracks(monde.service_a).order_by("pgh_created_at")
        assert [e.pgh_data["nom"] for e in events][-2:] == ["Cardiologie A", "Cardiologie interventionnelle"]

    def test_le_site_d_admin_est_refuse_aux_non_staff(self, monde, client_de):
        response = client_de(monde.users["gestionnaire_risques"]).get("/admin/")
        assert response.status_code == 302


def test_le_menu_regroupe_chaque_section_une_fois(monde, client_de):
    from qualite.organisation.navigation import entrees_pour

    user = monde.users["administrateur"]
    user.roles = ["administrateur", "relations_usagers", "gestionnaire_risques", "direction"]
    sections = [e["section"] for e in entrees_pour(user)]
    vues = []
    for s in sections:
        if not vues or vues[-1] != s:
            vues.append(s)
    assert len(vues) == len(set(vues))
    liens = [(e["libelle"], e["url"]) for e in entrees_pour(user)]
    assert len(liens) == len(set(liens))
