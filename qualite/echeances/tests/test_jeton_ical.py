"""The iCalendar token opens a feed without login: it is shown once to its owner, and only its SHA-256 is kept,
so neither the database, its history tables nor the admin pages can give a working feed address."""

import hashlib
import re

import pghistory.models
import pytest
from django.contrib.admin.utils import quote
from django.db import connection
from django.urls import reverse

from conftest import texte

pytestmark = pytest.mark.django_db

ADRESSE = re.compile(r"/echeances/ical/([A-Za-z0-9_-]{20,})\.ics")


def creer_jeton(client) -> str:
    response = client.post(reverse("qualite:ical_jeton"), {"action": "creer"})
    assert response.status_code == 200, "the address is shown on the page that creates it"
    assert "no-store" in response["Cache-Control"]
    trouve = ADRESSE.search(texte(response))
    assert trouve, "the creation page shows the feed address"
    return trouve.group(1)


def contenu_des_tables(*tables) -> str:
    with connection.cursor() as cur:
        morceaux = []
        for table in tables:
            cur.execute(f"SELECT coalesce(string_agg(row_to_json(t)::text, ' '), '') FROM {table} t")  # noqa: S608
            morceaux.append(cur.fetchone()[0])
    return " ".join(morceaux)


class TestJeton:
    def test_l_adresse_s_affiche_une_fois_puis_jamais(self, monde, client_de):
        client = client_de(monde.users["gestionnaire_risques"])
        jeton = creer_jeton(client)
        body = texte(client.get(reverse("qualite:mes_echeances")))
        assert jeton not in body
        assert "Un lien d'abonnement est actif" in body

    def test_seule_l_empreinte_est_stockee_jamais_le_jeton_en_clair(self, monde, client_de):
        user = monde.users["gestionnaire_risques"]
        jeton = creer_jeton(client_de(user))
        tables = contenu_des_tables("organisation_utilisateur", "organisation_utilisateurevent", "pghistory_context",
                                    "organisation_auditentry", "django_session")
        assert jeton not in tables
        user.refresh_from_db()
        assert user.jeton_ical_empreinte == hashlib.sha256(jeton.encode()).hexdigest()
        assert not hasattr(user, "jeton_ical")

    def test_le_flux_s_ouvre_avec_le_seul_jeton_en_clair(self, monde, client_de, client):
        user = monde.users["gestionnaire_risques"]
        jeton = creer_jeton(client_de(user))
        client.logout()
        response = client.get(reverse("qualite:ical", args=[jeton]))
        assert response.status_code == 200 and "BEGIN:VCALENDAR" in texte(response)
        empreinte = hashlib.sha256(jeton.encode()).hexdigest()
        assert client.get(reverse("qualite:ical", args=[empreinte])).status_code == 404

    def test_un_jeton_revoque_ou_remplace_echoue(self, monde, client_de, client):
        user = monde.users["gestionnaire_risques"]
        premier = creer_jeton(client_de(user))
        second = creer_jeton(client_de(user))
        client.logout()
        assert client.get(reverse("qualite:ical", args=[premier])).status_code == 404
        assert client.get(reverse("qualite:ical", args=[second])).status_code == 200
        client_de(user).post(reverse("qualite:ical_jeton"), {"action": "revoquer"})
        client.logout()
        assert client.get(reverse("qualite:ical", args=[second])).status_code == 404

    def test_le_flux_d_un_compte_inactif_echoue(self, monde, client_de, client):
        user = monde.users["gestionnaire_risques"]
        jeton = creer_jeton(client_de(user))
        user.is_active = False
        user.save(update_fields=["is_active"])
        client.logout()
        assert client.get(reverse("qualite:ical", args=[jeton])).status_code == 404

    def test_les_pages_d_admin_ne_montrent_ni_jetons_ni_empreintes(self, monde, client_de):
        user = monde.users["gestionnaire_risques"]
        jetons = [creer_jeton(client_de(user)), creer_jeton(client_de(user))]
        client_de(user).post(reverse("qualite:ical_jeton"), {"action": "revoquer"})
        jetons.append(creer_jeton(client_de(user)))
        secrets = jetons + [hashlib.sha256(j.encode()).hexdigest() for j in jetons]
        admin = client_de(monde.users["administrateur"])
        pages = [
            admin.get(reverse("admin:pghistory_events_changelist")),
            admin.get(reverse("admin:pghistory_events_changelist"), {"obj": f"organisation.utilisateur:{user.pk}",
                                                                     "method": "tracks"}),
            admin.get(reverse("admin:organisation_utilisateur_changelist")),
            admin.get(reverse("admin:organisation_utilisateur_change", args=[user.pk])),
        ]
        for version in pghistory.models.Events.objects.tracks(user):
            pages.append(admin.get(reverse("admin:pghistory_events_change", args=[quote(version.pk)])))
        assert len(pages) > 4
        for response in pages:
            assert response.status_code == 200
            body = texte(response)
            assert not any(s in body for s in secrets), response.request["PATH_INFO"]
            assert "jeton_ical" not in body
