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
    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("qualite:accueil"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    def test_admin_home_offers_audit_and_administration(self, monde, client_de):
        response = client_de(monde.users["administrateur"]).get(reverse("qualite:accueil"))
        content = texte(response)
        assert "Journal d'audit" in content
        assert "Organisation et utilisateurs" in content

    def test_declarant_home_offers_no_administration(self, monde, client_de):
        content = texte(client_de(monde.users["declarant"]).get(reverse("qualite:accueil")))
        assert "Mes échéances" in content
        assert "Journal d'audit" not in content
        assert "Organisation et utilisateurs" not in content

    def test_home_counts_open_deadlines(self, monde, client_de):
        _echeances(monde, 3)
        _echeances(monde, 2, etab=monde.etab_b)
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:accueil"))
        assert response.context["compteurs"]["sept_jours"] + response.context["compteurs"]["aujourdhui"] == 3

    def test_wrong_method_is_refused(self, monde, client_de):
        assert client_de(monde.users["declarant"]).post(reverse("qualite:accueil")).status_code == 405


class TestMesEcheances:
    def test_lists_only_deadlines_in_scope(self, monde, client_de):
        _echeances(monde, 2)
        _echeances(monde, 4, etab=monde.etab_b)
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:mes_echeances"))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 2

    def test_status_filter(self, monde, client_de):
        _echeances(monde, 2, delta=timedelta(days=-2))
        client = client_de(monde.users["gestionnaire_risques"])
        assert client.get(reverse("qualite:mes_echeances"), {"statut": "en_retard"}).context["page"].paginator.count == 2
        assert client.get(reverse("qualite:mes_echeances"), {"statut": "a_venir"}).context["page"].paginator.count == 0

    def test_bad_filter_value_gives_a_message_not_a_500(self, monde, client_de):
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:mes_echeances"), {"du": "32/13/2026"})
        assert response.status_code == 200
        assert "Saisissez une date valide" in texte(response)

    def test_query_count_is_pinned(self, monde, client_de, django_assert_max_num_queries):
        _echeances(monde, 60)
        client = client_de(monde.users["gestionnaire_risques"])
        with django_assert_max_num_queries(12):
            response = client.get(reverse("qualite:mes_echeances"))
        assert len(response.context["page"]) == 50


class TestAudit:
    def test_it_refuses_non_administrators(self, monde, client_de):
        for role in Role.values:
            if role != Role.ADMINISTRATEUR:
                assert client_de(monde.users[role]).get(reverse("qualite:audit")).status_code == 403, role

    def test_admin_searches_by_action(self, monde, client_de, django_assert_max_num_queries):
        client = client_de(monde.users["administrateur"])
        for _ in range(30):
            AuditEntry.objects.create(action=AuditEntry.Action.EXPORT, identifiant="qualiticien", objet="export")
        AuditEntry.objects.create(action=AuditEntry.Action.LECTURE, identifiant="relations", objet="Réclamation 4")
        with django_assert_max_num_queries(8):
            response = client.get(reverse("qualite:audit"), {"action": "lecture"})
        assert response.context["page"].paginator.count == 1
        assert "Réclamation 4" in texte(response)

    def test_forbidden_page_is_in_french(self, monde, client_de):
        response = client_de(monde.users["declarant"]).get(reverse("qualite:audit"))
        assert "Accès refusé" in texte(response)


class TestConnexion:
    def test_login_and_failure_are_audited_with_ip(self, monde, client):
        user = monde.users["declarant"]
        client.post(reverse("login"), {"username": user.username, "password": "faux"}, REMOTE_ADDR="10.1.2.3")
        client.post(reverse("login"), {"username": user.username, "password": "motdepasse-test"}, REMOTE_ADDR="10.1.2.3")
        entries = list(AuditEntry.objects.order_by("id").values_list("action", "identifiant", "ip", "utilisateur"))
        assert entries == [
            ("echec_connexion", user.username, "10.1.2.3", None),
            ("connexion", user.username, "10.1.2.3", user.pk),
        ]

    def test_logout_is_audited_and_needs_post(self, monde, client_de):
        client = client_de(monde.users["declarant"])
        assert client.get(reverse("logout")).status_code == 405
        client.post(reverse("logout"))
        assert AuditEntry.objects.filter(action="deconnexion").count() == 1

    def test_login_is_throttled_after_repeated_failures(self, monde, client, settings):
        user = monde.users["declarant"]
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(reverse("login"), {"username": user.username, "password": "faux"})
        response = client.post(reverse("login"), {"username": user.username, "password": "motdepasse-test"})
        assert response.status_code == 429
        assert "temporairement bloquée" in texte(response)

    def test_password_change(self, monde, client_de):
        client = client_de(monde.users["declarant"])
        response = client.post(reverse("password_change"), {
            "old_password": "motdepasse-test", "new_password1": "Un-nouveau-mdp-2026", "new_password2": "Un-nouveau-mdp-2026",
        })
        assert response.status_code == 302
        monde.users["declarant"].refresh_from_db()
        assert monde.users["declarant"].check_password("Un-nouveau-mdp-2026")

    def test_password_change_errors_are_next_to_the_field(self, monde, client_de):
        response = client_de(monde.users["declarant"]).post(reverse("password_change"), {
            "old_password": "mauvais", "new_password1": "a", "new_password2": "b",
        })
        assert response.status_code == 200
        assert "id_old_password" in texte(response)
        assert response.context["form"].errors["old_password"]


class TestICal:
    def test_token_created_feed_served_then_revoked(self, monde, client_de, client):
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

    def test_unknown_token_is_404(self, db, client):
        assert client.get(reverse("qualite:ical", args=["inconnu"])).status_code == 404


class TestDigest:
    def test_digest_lists_overdue_and_coming_deadlines(self, monde):
        from qualite.echeances.tasks import envoyer_digest_echeances

        _echeances(monde, 2, delta=timedelta(days=-1))
        _echeances(monde, 1, etab=monde.etab_b)
        assert envoyer_digest_echeances(monde.users["gestionnaire_risques"].pk) is True
        assert len(mail.outbox) == 1
        assert "2 en retard" in mail.outbox[0].subject
        assert "DOS-0" in mail.outbox[0].body
        assert envoyer_digest_echeances(monde.users["membre_cdu"].pk) is False
        assert len(mail.outbox) == 1

    def test_beat_schedule_names_registered_tasks(self, settings):
        from config.celery import app

        app.loader.import_default_modules()
        for entry in settings.CELERY_BEAT_SCHEDULE.values():
            assert entry["task"] in app.tasks

    def test_daily_fan_out_enqueues_one_task_per_user_with_mail_and_role(self, monde, settings):
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


def test_404_page_is_in_french(db, client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in texte(response)


class TestAdministration:
    @pytest.mark.parametrize("url", [
        "/admin/", "/admin/organisation/utilisateur/", "/admin/organisation/etablissement/", "/admin/organisation/service/",
        "/admin/echeances/regleecheance/", "/admin/organisation/auditentry/", "/admin/pghistory/events/",
    ])
    def test_admin_pages_open_for_the_administrator(self, monde, client_de, url):
        assert client_de(monde.users["administrateur"]).get(url).status_code == 200

    def test_user_change_page_and_field_history(self, monde, client_de):
        from pghistory.models import Events

        user = monde.users["declarant"]
        client = client_de(monde.users["administrateur"])
        assert client.get(f"/admin/organisation/utilisateur/{user.pk}/change/").status_code == 200
        monde.service_a.nom = "Cardiologie interventionnelle"
        monde.service_a.save()
        events = Events.objects.tracks(monde.service_a).order_by("pgh_created_at")
        assert [e.pgh_data["nom"] for e in events][-2:] == ["Cardiologie A", "Cardiologie interventionnelle"]

    def test_admin_site_is_refused_to_non_staff(self, monde, client_de):
        response = client_de(monde.users["gestionnaire_risques"]).get("/admin/")
        assert response.status_code == 302


def test_menu_groups_each_section_once(monde, client_de):
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
