"""Login lockout per account and per address; private responses never cached."""

import pytest
from django.urls import reverse

from conftest import MOT_DE_PASSE, texte
from evenements.tests.factories import EvenementFactory

pytestmark = pytest.mark.django_db


def _essai(client, username, ip, mot_de_passe="faux"):
    return client.post(reverse("login"), {"username": username, "password": mot_de_passe}, REMOTE_ADDR=ip)


class TestVerrouillage:
    def test_un_compte_attaque_depuis_plusieurs_adresses_est_bloque(self, monde, client, settings):
        user = monde.users["declarant"]
        for i in range(settings.AXES_FAILURE_LIMIT):
            _essai(client, user.username, f"10.0.0.{i + 1}")
        response = _essai(client, user.username, "10.9.9.9", MOT_DE_PASSE)
        assert response.status_code == 429
        assert "temporairement bloquée" in texte(response)

    def test_les_collegues_d_un_meme_poste_ne_sont_pas_bloques_sous_la_limite_d_adresse(self, monde, client, settings):
        settings.AXES_FAILURE_LIMIT_ADRESSE = 6
        for role in ("cadre_pole", "mediateur"):
            for _ in range(settings.AXES_FAILURE_LIMIT - 1):
                _essai(client, monde.users[role].username, "10.1.1.1")
        response = _essai(client, monde.users["declarant"].username, "10.1.1.1", MOT_DE_PASSE)
        assert response.status_code == 302

    def test_une_adresse_qui_essaie_beaucoup_de_comptes_est_bloquee_pour_tous(self, monde, client, settings):
        settings.AXES_FAILURE_LIMIT_ADRESSE = 6
        for i in range(settings.AXES_FAILURE_LIMIT_ADRESSE):
            _essai(client, f"inconnu{i}", "10.2.2.2")
        assert _essai(client, monde.users["declarant"].username, "10.2.2.2", MOT_DE_PASSE).status_code == 429
        client.logout()
        assert _essai(client, monde.users["declarant"].username, "10.3.3.3", MOT_DE_PASSE).status_code == 302


class TestPasDeCache:
    def _prive(self, response):
        entete = response.get("Cache-Control", "")
        assert response.status_code == 200, response.status_code
        assert "no-store" in entete and "private" in entete, entete

    def test_pages_exports_pdf_et_flux_ical(self, monde, client_de, client):
        gestionnaire = monde.users["gestionnaire_risques"]
        ev = EvenementFactory(service=monde.service_a)
        c = client_de(gestionnaire)
        self._prive(c.get(reverse("qualite:accueil")))
        self._prive(c.get(reverse("evenements:detail", args=[ev.pk])))
        export = c.get(reverse("evenements:liste"), {"export": "csv"})
        assert export["Content-Type"].startswith("text/csv")
        self._prive(export)
        self._prive(c.get(reverse("evenements:liste"), {"export": "xlsx"}))
        from qualite.echeances.tests.test_jeton_ical import creer_jeton

        jeton = creer_jeton(c)
        client.logout()
        self._prive(client.get(reverse("qualite:ical", args=[jeton])))

    def test_pdf(self, monde, client_de):
        from datetime import date

        from usagers.relations import services

        rec = services.reclamation_enregistrer(par=monde.users["relations_usagers"], services=[monde.service_a], donnees={
            "etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
            "auteur_nom": "Robert Lenoir", "lien_patient": "fils", "objet": "Attente", "recue_le": date(2026, 1, 31)})
        response = client_de(monde.users["relations_usagers"]).post(
            reverse("usagers:reclamation_lettre", args=[rec.pk, "accuse"]), follow=True)
        assert response["Content-Type"] == "application/pdf"
        self._prive(response)
