"""A confidential declarant is named to the risk managers and to themself only: on the event page, in the
history admin, in the audit journal, in mails and exports. The audit rows themselves keep the truth."""

import io
import json
from datetime import timedelta

import pytest
from django.contrib.admin.utils import quote
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import texte
from evenements.models import EvenementIndesirable, Statut, TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.organisation.models import AuditEntry
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

MASQUE = "Déclarant confidentiel"


@pytest.fixture
def agnes(monde):
    """A declarant whose name and login appear nowhere else on the pages."""
    return UtilisateurFactory(username="agnes.secret", first_name="Agnès", last_name="Discrète", roles=[Role.DECLARANT],
                              etablissements=[monde.etab_a], pole=monde.pole_a, service=monde.service_a)


@pytest.fixture
def bruno(monde):
    """Administrator and declarant at once: his administrator role gives him no right to confidential names."""
    return UtilisateurFactory(username="bruno.double", first_name="Bruno", last_name="Doublerole",
                              roles=[Role.ADMINISTRATEUR, Role.DECLARANT], etablissements=[monde.etab_a],
                              pole=monde.pole_a, service=monde.service_a, is_staff=True, is_superuser=True)


@pytest.fixture
def habilite(monde):
    """Administrator and risk manager: holds the confidential-identity permission and reads the audit."""
    return UtilisateurFactory(username="claire.habilitee", first_name="Claire", last_name="Habilitée",
                              roles=[Role.ADMINISTRATEUR, Role.GESTIONNAIRE_RISQUES], etablissements=[monde.etab_a],
                              is_staff=True, is_superuser=True)


def declarer(client, service, *, confidentiel=True) -> EvenementIndesirable:
    """Through the real page, so the audit entry and the history context are the production ones."""
    data = {
        "survenu_le": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "service": service.pk, "type": TypeEvenement.objects.first().pk, "description": "Patient tombé",
        "personnes": ["patient"], "gravite_estimee": "2",
    }
    if confidentiel:
        data["confidentiel"] = "on"
    assert client.post(reverse("evenements:declarer"), data).status_code == 302
    return EvenementIndesirable.objects.order_by("-pk").first()


def nomme(body: str, user) -> bool:
    return user.get_full_name() in body or user.username in body


def page(client, ev):
    return texte(client.get(reverse("evenements:detail", args=[ev.pk])))


class TestRegle:
    def test_regle_de_page_et_regle_de_requete_concordent_pour_tous(self, monde, agnes, bruno, habilite):
        from evenements.access import declarations_masquees, voit_declarant

        evs = [
            EvenementFactory(service=monde.service_a, created_by=agnes, confidentiel=True),
            EvenementFactory(service=monde.service_a, created_by=bruno, confidentiel=True),
            EvenementFactory(service=monde.service_a, created_by=agnes, confidentiel=False),
            EvenementFactory(service=monde.service_a, created_by=None, confidentiel=True),
        ]
        for viewer in [*monde.users.values(), agnes, bruno, habilite]:
            masques = set(declarations_masquees(viewer).values_list("pk", flat=True))
            for ev in evs:
                assert voit_declarant(viewer, ev) == (ev.pk not in masques), (viewer.username, ev.pk)

    def test_seuls_les_gestionnaires_de_risques_et_le_declarant_voient_le_nom(self, monde, agnes, bruno, habilite):
        from evenements.access import voit_declarant

        ev = EvenementFactory(service=monde.service_a, created_by=agnes, confidentiel=True)
        voient = {u.username for u in [*monde.users.values(), agnes, bruno, habilite] if voit_declarant(u, ev)}
        assert voient == {"agnes.secret", "gestionnaire_risques", "claire.habilitee"}


class TestFicheEvenement:
    def test_l_administrateur_ne_lit_pas_le_declarant_dans_l_historique(self, monde, client_de, agnes):
        ev = declarer(client_de(agnes), monde.service_a)
        body = page(client_de(monde.users["administrateur"]), ev)
        assert "Confidentiel" in body
        assert not nomme(body, agnes)
        assert "Déclaré" in body

    def test_le_gestionnaire_de_risques_lit_le_declarant_champ_et_historique(self, monde, client_de, agnes):
        ev = declarer(client_de(agnes), monde.service_a)
        body = page(client_de(monde.users["gestionnaire_risques"]), ev)
        assert f"Déclaré par {agnes.get_full_name()}" in body
        assert "identité confidentielle" in body

    def test_admin_declarant_cache_aux_autres_admins_pas_a_lui_meme(self, monde, client_de, bruno):
        ev = declarer(client_de(bruno), monde.service_a)
        assert not nomme(page(client_de(monde.users["administrateur"]), ev), bruno)
        assert f"Déclaré par {bruno.get_full_name()}" in page(client_de(bruno), ev)

    def test_admin_declarant_ne_voit_pas_un_autre_declarant_confidentiel(self, monde, client_de, agnes, bruno):
        ev = declarer(client_de(agnes), monde.service_a)
        assert not nomme(page(client_de(bruno), ev), agnes)

    def test_les_personnes_qui_traitent_l_evenement_restent_nommees(self, monde, client_de, agnes):
        ev = declarer(client_de(agnes), monde.service_a)
        gestionnaire = monde.users["gestionnaire_risques"]
        client_de(gestionnaire).post(reverse("evenements:changer_statut", args=[ev.pk]), {"vers": Statut.PRIS_EN_CHARGE})
        body = page(client_de(monde.users["administrateur"]), ev)
        assert f"Pris en charge par {gestionnaire}" in body
        assert not nomme(body, agnes)

    def test_un_declarant_sans_demande_de_confidentialite_est_nomme(self, monde, client_de, agnes):
        ev = declarer(client_de(agnes), monde.service_a, confidentiel=False)
        assert f"Déclaré par {agnes.get_full_name()}" in page(client_de(monde.users["administrateur"]), ev)


class TestCourriels:
    def test_les_nouvelles_de_la_declaration_vont_au_seul_declarant(self, monde, client_de, agnes, celery_eager,
                                                            django_capture_on_commit_callbacks):
        ev = declarer(client_de(agnes), monde.service_a)
        with django_capture_on_commit_callbacks(execute=True):
            client_de(monde.users["gestionnaire_risques"]).post(reverse("evenements:changer_statut", args=[ev.pk]),
                                                                {"vers": Statut.PRIS_EN_CHARGE})
        assert [m.to for m in mail.outbox] == [[agnes.email]]
        assert ev.reference in mail.outbox[0].subject


class TestAdministrationDjango:
    def test_les_evenements_ne_sont_pas_listes_dans_l_admin_django(self, monde, client_de, agnes):
        ev = declarer(client_de(agnes), monde.service_a)
        client = client_de(monde.users["administrateur"])
        assert client.get("/admin/evenements/evenementindesirable/").status_code == 404
        assert client.get(f"/admin/evenements/evenementindesirable/{ev.pk}/change/").status_code == 404

    def _page_version(self, client, ev):
        import pghistory.models

        version = pghistory.models.Events.objects.tracks(ev).order_by("pgh_created_at").first()
        return texte(client.get(reverse("admin:pghistory_events_change", args=[quote(version.pk)])))

    def test_l_historique_admin_cache_le_declarant_d_un_evenement_confidentiel(self, monde, client_de, agnes):
        ev = declarer(client_de(agnes), monde.service_a)
        client = client_de(monde.users["administrateur"])
        liste = texte(client.get(reverse("admin:pghistory_events_changelist"),
                                 {"obj": f"evenements.evenementindesirable:{ev.pk}", "method": "tracks"}))
        body = self._page_version(client, ev)
        for texte_page in (liste, body):
            assert not nomme(texte_page, agnes)
            assert f'"created_by_id": {agnes.pk}' not in texte_page
            assert f'"user": {agnes.pk}' not in texte_page
        assert MASQUE in body
        assert ev.reference in body

    def test_l_historique_admin_cache_un_declarant_qui_qualifie_son_evenement(self, monde, client_de, bruno):
        import pghistory.models

        ev = declarer(client_de(bruno), monde.service_a)
        reponse = client_de(bruno).post(reverse("evenements:qualifier", args=[ev.pk]), {"gravite": 2, "vraisemblance": 2})
        assert reponse.status_code == 302
        client = client_de(monde.users["administrateur"])
        for version in pghistory.models.Events.objects.tracks(ev):
            body = texte(client.get(reverse("admin:pghistory_events_change", args=[quote(version.pk)])))
            for cle in ("created_by_id", "qualifie_par_id", "user"):
                assert f'"{cle}": {bruno.pk}' not in body, (version.pgh_label, cle)
            assert not nomme(body, bruno)

    def test_l_historique_admin_montre_le_declarant_au_titulaire_du_droit(self, monde, client_de, agnes, habilite):
        ev = declarer(client_de(agnes), monde.service_a)
        body = self._page_version(client_de(habilite), ev)
        assert f'"created_by_id": {agnes.pk}' in body
        assert MASQUE not in body

    def test_l_historique_d_un_compte_omet_ses_declarations_confidentielles(self, monde, client_de, agnes):
        confidentiel = declarer(client_de(agnes), monde.service_a)
        ouvert = declarer(client_de(agnes), monde.service_a, confidentiel=False)
        response = client_de(monde.users["administrateur"]).get(
            reverse("admin:pghistory_events_changelist"), {"obj": f"organisation.utilisateur:{agnes.pk}", "method": "references"})
        lignes = {(e.pgh_obj_model, e.pgh_obj_id) for e in response.context["cl"].result_list}
        assert ("evenements.EvenementIndesirable", str(ouvert.pk)) in lignes
        assert ("evenements.EvenementIndesirable", str(confidentiel.pk)) not in lignes


class TestJournalAudit:
    @pytest.fixture
    def evs(self, monde, client_de, agnes):
        client = client_de(agnes)
        confidentiel = declarer(client, monde.service_a)
        client.get(reverse("evenements:detail", args=[confidentiel.pk]))
        ouvert = declarer(client, monde.service_a, confidentiel=False)
        return {"confidentiel": confidentiel, "ouvert": ouvert}

    def test_la_ligne_d_audit_garde_le_vrai_auteur(self, evs, agnes):
        entrees = AuditEntry.objects.filter(object_id=str(evs["confidentiel"].pk))
        assert {(e.action, e.utilisateur_id, e.identifiant) for e in entrees} == {
            ("creation", agnes.pk, agnes.username), ("lecture", agnes.pk, agnes.username)}

    def test_la_page_d_audit_ne_nomme_pas_le_declarant_confidentiel(self, monde, client_de, evs, agnes):
        response = client_de(monde.users["administrateur"]).get(reverse("qualite:audit"))
        lignes = [ligne for ligne in texte(response).split("<tr>") if evs["confidentiel"].reference in ligne]
        assert len(lignes) == 2
        for ligne in lignes:
            assert MASQUE in ligne and not nomme(ligne, agnes) and "127.0.0.1" not in ligne
        assert nomme(texte(response), agnes)  # her entry about the open declaration

    def test_chercher_par_declarant_ne_rend_pas_ses_entrees_confidentielles(self, monde, client_de, evs, agnes):
        client = client_de(monde.users["administrateur"])
        for params in ({"utilisateur": "agnes"}, {"ip": "127.0.0.1"}):
            response = client.get(reverse("qualite:audit"), params)
            objets = {e.objet for e in response.context["page"]}
            assert objets == {f"Évènement {evs['ouvert'].reference}"}, params

    def test_la_page_d_audit_nomme_le_declarant_au_titulaire_du_droit(self, client_de, evs, agnes, habilite):
        response = client_de(habilite).get(reverse("qualite:audit"), {"utilisateur": "agnes"})
        assert {e.objet for e in response.context["page"]} == {
            f"Évènement {evs['confidentiel'].reference}", f"Évènement {evs['ouvert'].reference}"}
        assert MASQUE not in texte(response)

    def test_l_admin_django_de_l_audit_cache_aussi_le_declarant(self, monde, client_de, evs, agnes):
        client = client_de(monde.users["administrateur"])
        liste = client.get(reverse("admin:organisation_auditentry_changelist"))
        lignes = [ligne for ligne in texte(liste).split("<tr") if evs["confidentiel"].reference in ligne]
        assert len(lignes) == 2 and all(MASQUE in ligne and not nomme(ligne, agnes) for ligne in lignes)
        recherche = client.get(reverse("admin:organisation_auditentry_changelist"), {"q": "agnes"})
        assert {e.objet for e in recherche.context["cl"].result_list} == {f"Évènement {evs['ouvert'].reference}"}
        entree = AuditEntry.objects.get(object_id=str(evs["confidentiel"].pk), action="creation")
        fiche = texte(client.get(reverse("admin:organisation_auditentry_change", args=[entree.pk])))
        assert MASQUE in fiche and not nomme(fiche, agnes)


class TestExports:
    def test_les_exports_du_registre_ne_nomment_pas_le_declarant(self, monde, client_de, agnes):
        declarer(client_de(agnes), monde.service_a)
        client = client_de(monde.users["administrateur"])
        csv_ = b"".join(client.get(reverse("evenements:liste"), {"export": "csv"}).streaming_content).decode("utf-8-sig")
        classeur = load_workbook(io.BytesIO(client.get(reverse("evenements:liste"), {"export": "xlsx"}).content))
        cellules = json.dumps([list(r) for r in classeur.active.iter_rows(values_only=True)], default=str,
                              ensure_ascii=False)
        for contenu in (csv_, cellules):
            assert "EI-" in contenu
            assert not nomme(contenu, agnes)
