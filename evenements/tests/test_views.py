import csv
import io
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import texte
from evenements.models import EvenementIndesirable, Statut, TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.organisation.models import AuditEntry
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db


def _post_declaration(client, service, **kw):
    data = {
        "survenu_le": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "service": service.pk, "type": TypeEvenement.objects.first().pk, "description": "Patient tombé",
        "personnes": ["patient"], "gravite_estimee": "2",
    }
    data.update(kw)
    return client.post(reverse("evenements:declarer"), data)


class TestDeclarer:
    def test_tout_role_declare_et_retrouve_dans_mes_declarations(self, monde, client_de):
        client = client_de(monde.users["membre_cdu"])
        response = _post_declaration(client, monde.service_a)
        assert response.status_code == 302
        ev = EvenementIndesirable.objects.get()
        assert ev.created_by == monde.users["membre_cdu"]
        assert AuditEntry.objects.filter(action="creation", object_id=str(ev.pk)).exists()
        assert ev.reference in texte(client.get(reverse("evenements:mes_declarations")))

    @pytest.mark.parametrize("champ, valeur, message", [
        ("survenu_le", "pas une date", "Saisissez une date et une heure valides."),
        ("description", "", "Ce champ est obligatoire."),
        ("gravite_estimee", "9", "Sélectionnez un choix valide."),
        ("personnes", [], "Ce champ est obligatoire."),
    ])
    def test_saisie_erronee_message_pres_du_champ_et_rien_enregistre(self, monde, client_de, champ, valeur, message):
        response = _post_declaration(client_de(monde.users["declarant"]), monde.service_a, **{champ: valeur})
        assert response.status_code == 200
        assert message in response.context["form"].errors[champ][0]
        assert f"error_1_id_{champ}" in texte(response) or "invalid-feedback" in texte(response)
        assert EvenementIndesirable.objects.count() == 0

    def test_une_date_future_est_refusee(self, monde, client_de):
        demain = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        response = _post_declaration(client_de(monde.users["declarant"]), monde.service_a, survenu_le=demain)
        assert "dans le futur" in response.context["form"].errors["survenu_le"][0]
        assert EvenementIndesirable.objects.count() == 0

    def test_un_service_d_un_autre_etablissement_est_refuse(self, monde, client_de):
        response = _post_declaration(client_de(monde.users["declarant"]), monde.service_b)
        assert response.context["form"].errors["service"]
        assert EvenementIndesirable.objects.count() == 0

    def test_mauvaise_methode(self, monde, client_de):
        assert client_de(monde.users["declarant"]).put(reverse("evenements:declarer")).status_code == 405


class TestAccesMatrice:
    @pytest.fixture
    def evs(self, monde):
        return {
            "propre": EvenementFactory(service=monde.service_a2, created_by=monde.users["declarant"]),
            "pole": EvenementFactory(service=monde.service_a, created_by=monde.users["psychiatre"]),
            "autre_pole": EvenementFactory(service=monde.service_a2, created_by=monde.users["psychiatre"]),
            "autre_etab": EvenementFactory(service=monde.service_b, created_by=monde.user_b),
        }

    @pytest.mark.parametrize("role, visibles", [
        ("declarant", {"propre"}),
        ("cadre_pole", {"pole"}),
        ("gestionnaire_risques", {"propre", "pole", "autre_pole"}),
        ("direction", {"propre", "pole", "autre_pole"}),
        ("membre_cdu", set()),
        ("representant_usagers", set()),
    ])
    def test_visibilite_de_la_fiche(self, monde, client_de, evs, role, visibles):
        client = client_de(monde.users[role])
        for nom, ev in evs.items():
            code = client.get(reverse("evenements:detail", args=[ev.pk])).status_code
            assert code == (200 if nom in visibles else 404), (role, nom)

    def test_la_liste_est_refusee_a_la_cdu_et_au_declarant(self, monde, client_de):
        for role in ("membre_cdu", "representant_usagers", "declarant"):
            assert client_de(monde.users[role]).get(reverse("evenements:liste")).status_code == 403

    def test_le_cadre_ne_peut_pas_qualifier(self, monde, client_de, evs):
        response = client_de(monde.users["cadre_pole"]).post(
            reverse("evenements:qualifier", args=[evs["pole"].pk]), {"gravite": 2, "vraisemblance": 2})
        assert response.status_code == 403

    def test_le_gestionnaire_de_risques_de_b_recoit_404_sur_a(self, monde, client_de, evs):
        response = client_de(monde.user_b).post(reverse("evenements:changer_statut", args=[evs["pole"].pk]),
                                                {"vers": Statut.PRIS_EN_CHARGE})
        assert response.status_code == 404

    def test_declarant_confidentiel_cache_au_cadre_montre_au_gestionnaire_de_risques(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["psychiatre"], confidentiel=True)
        nom = str(monde.users["psychiatre"])
        assert nom not in texte(client_de(monde.users["cadre_pole"]).get(reverse("evenements:detail", args=[ev.pk])))
        assert nom in texte(client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:detail", args=[ev.pk])))

    def test_la_lecture_de_la_fiche_est_auditee(self, monde, client_de, evs):
        client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:detail", args=[evs["pole"].pk]))
        entry = AuditEntry.objects.get(action="lecture")
        assert entry.etablissement == monde.etab_a and entry.objet == f"Évènement {evs['pole'].reference}"


class TestGestion:
    def test_transition_sans_motif_affiche_une_erreur_et_ne_change_rien(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a)
        response = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("evenements:changer_statut", args=[ev.pk]), {"vers": Statut.CLASSE_SANS_SUITE, "motif": ""})
        assert response.status_code == 200
        assert response.context["transition"].errors["motif"]
        ev.refresh_from_db()
        assert ev.statut == Statut.DECLARE

    def test_une_qualification_hors_echelle_est_refusee(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a)
        response = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("evenements:qualifier", args=[ev.pk]), {"gravite": 7, "vraisemblance": 2})
        assert response.context["qualification"].errors["gravite"]
        ev.refresh_from_db()
        assert ev.gravite is None

    def test_l_action_issue_de_l_evenement_apparait_sur_l_evenement(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a)
        client = client_de(monde.users["gestionnaire_risques"])
        client.post(reverse("evenements:action_ajouter", args=[ev.pk]), {"titre": "Réviser le protocole de transfert"})
        action = ActionAmelioration.objects.get()
        assert action.source == ev and action.origine == "evenement"
        assert "Réviser le protocole de transfert" in texte(client.get(reverse("evenements:detail", args=[ev.pk])))


class TestListe:
    def test_nombre_de_requetes_fixe_et_filtres_appliques(self, monde, client_de, django_assert_max_num_queries):
        for i in range(60):
            EvenementFactory(service=monde.service_a if i % 2 else monde.service_a2, gravite=(i % 5) + 1, vraisemblance=2)
        EvenementFactory(service=monde.service_b)
        client = client_de(monde.users["gestionnaire_risques"])
        with django_assert_max_num_queries(13):
            response = client.get(reverse("evenements:liste"))
        assert response.context["page"].paginator.count == 60
        with django_assert_max_num_queries(13):
            response = client.get(reverse("evenements:liste"), {"service": monde.service_a.pk, "zone": "inacceptable"})
        # gravité 5 × vraisemblance 2 = 10 ≥ seuil inacceptable; service_a holds odd i, of which i%5==4 → 6 rows
        assert response.context["page"].paginator.count == 6

    def test_exports_csv_et_xlsx_contiennent_exactement_les_lignes_filtrees(self, monde, client_de):
        for _ in range(3):
            EvenementFactory(service=monde.service_a)
        EvenementFactory(service=monde.service_a2)
        EvenementFactory(service=monde.service_b)
        client = client_de(monde.users["gestionnaire_risques"])
        response = client.get(reverse("evenements:liste"), {"pole": monde.pole_a.pk, "export": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
        assert rows[0][0] == "Référence" and len(rows) == 4
        response = client.get(reverse("evenements:liste"), {"export": "xlsx"})
        ws = load_workbook(io.BytesIO(response.content)).active
        assert ws.max_row == 1 + 4
        assert AuditEntry.objects.filter(action="export").count() == 2

    def test_un_filtre_invalide_ne_donne_pas_500(self, monde, client_de):
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:liste"), {"du": "xx", "gravite": "9"})
        assert response.status_code == 200


class TestStatistiques:
    def test_le_membre_de_la_cdu_ne_voit_que_des_chiffres_anonymises(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"], gravite=3, vraisemblance=4,
                              statut=Statut.CLOTURE, retour_declarant="Merci, protocole revu")
        EvenementFactory(service=monde.service_a, statut=Statut.CLOTURE)
        response = client_de(monde.users["membre_cdu"]).get(reverse("evenements:statistiques"))
        body = texte(response)
        assert response.status_code == 200
        assert ev.reference not in body and str(monde.users["declarant"]) not in body and ev.description not in body
        assert response.context["taux_retour"] is None  # 1 of 2: a rate on a small count is not shown
        assert response.context["stats"]["matrice"] == {(3, 4): "< 3"}
        assert "<svg" in body

    def test_le_declarant_n_a_pas_de_statistiques(self, monde, client_de):
        assert client_de(monde.users["declarant"]).get(reverse("evenements:statistiques")).status_code == 403


class TestRevues:
    def test_seance_crex_avec_evenements_d_un_autre_etablissement_refusee(self, monde, client_de):
        ev_b = EvenementFactory(service=monde.service_b)
        client = client_de(monde.users["gestionnaire_risques"])
        response = client.post(reverse("evenements:revues"), {
            "type": "crex", "date": "2026-11-02", "etablissement": monde.etab_a.pk, "participants": "IDE",
            "evenements": [ev_b.pk]})
        assert response.status_code == 200
        assert response.context["form"].errors["evenements"]

    def test_seance_crex_enregistree(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a)
        client = client_de(monde.users["gestionnaire_risques"])
        response = client.post(reverse("evenements:revues"), {
            "type": "crex", "date": "2026-11-02", "etablissement": monde.etab_a.pk, "participants": "IDE\nPharmacien",
            "evenements": [ev.pk], "conclusions": "Double contrôle"})
        assert response.status_code == 302
        assert ev.revues.get().conclusions == "Double contrôle"

    def test_refuse_au_declarant(self, monde, client_de):
        assert client_de(monde.users["declarant"]).get(reverse("evenements:revues")).status_code == 403


class TestARS:
    def _eigs(self, monde):
        from evenements import services

        # survenu before the sendings the tests date (ORDRE_ARS: part 1 not before the event)
        ev = EvenementFactory(service=monde.service_a, mesures_immediates="Transfert en réanimation",
                              survenu_le=timezone.make_aware(datetime(2026, 10, 1, 8, 0)))
        services.evenement_qualifier(evenement=ev, par=monde.users["gestionnaire_risques"], donnees={
            "gravite": 5, "vraisemblance": 1, "inattendu": True, "mise_en_jeu_pronostic_vital": True, "est_eigs": True})
        return ev

    def test_les_parties_pdf_portent_le_texte_prerempli(self, monde, client_de):
        from pypdf import PdfReader

        ev = self._eigs(monde)
        client = client_de(monde.users["gestionnaire_risques"])
        response = client.get(reverse("evenements:ars_pdf", args=[ev.pk, 1]))
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "partie 1" in text and ev.reference in text and "Transfert en réanimation" in text
        response = client.get(reverse("evenements:ars_pdf", args=[ev.pk, 2]))
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "Plan d'actions correctives" in text and "à vérifier" in text

    def test_le_formulaire_ars_enregistre_l_envoi_et_montre_l_echeance(self, monde, client_de):
        ev = self._eigs(monde)
        client = client_de(monde.users["gestionnaire_risques"])
        response = client.post(reverse("evenements:ars", args=[ev.pk]), {
            "nature": "x", "partie1_envoyee_le": "2026-11-02T10:00"})
        assert response.status_code == 302
        page = texte(client.get(reverse("evenements:ars", args=[ev.pk])))
        assert "au plus tard le 02/02/2027" in page

    def test_le_formulaire_ars_refuse_partie2_avant_partie1(self, monde, client_de):
        ev = self._eigs(monde)
        response = client_de(monde.users["gestionnaire_risques"]).post(reverse("evenements:ars", args=[ev.pk]), {
            "partie1_envoyee_le": "2026-11-02T10:00", "partie2_envoyee_le": "2026-11-01T10:00"})
        assert response.status_code == 200
        assert response.context["form"].errors["partie2_envoyee_le"]
        ev.declaration_ars.refresh_from_db()
        assert ev.declaration_ars.partie1_envoyee_le is None

    def test_le_cadre_ne_peut_pas_ouvrir_la_declaration_ars(self, monde, client_de):
        ev = self._eigs(monde)
        assert client_de(monde.users["cadre_pole"]).get(reverse("evenements:ars_pdf", args=[ev.pk, 1])).status_code == 403


def test_la_cdu_ne_voit_les_eigs_que_par_le_resume_anonymise(monde, client_de):
    EvenementFactory(service=monde.service_a, est_eigs=True, inattendu=True, deces=True,
                     description="M. Dupont, né le 01/02/1950, décédé", resume_anonymise="Décès inattendu après chute")
    EvenementFactory(service=monde.service_a, est_eigs=True, description="Sans résumé : jamais montré")
    body = texte(client_de(monde.users["representant_usagers"]).get(reverse("evenements:statistiques")))
    assert "Décès inattendu après chute" in body
    assert "Dupont" not in body and "jamais montré" not in body


def test_la_demo_charge_les_evenements_une_seule_fois(db):
    from django.core.management import call_command

    call_command("demo")
    n = EvenementIndesirable.objects.count()
    call_command("demo")
    assert n == 5 and EvenementIndesirable.objects.count() == 5
    assert EvenementIndesirable.objects.filter(est_eigs=True, declaration_ars__partie1_envoyee_le__isnull=False).count() == 1


class TestFormulairesSecondaires:
    def test_une_analyse_dans_le_futur_est_refusee(self, monde, client_de):
        from evenements.models import AnalyseApprofondie

        ev = EvenementFactory(service=monde.service_a)
        demain = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("evenements:analyse", args=[ev.pk]), {"methode": "alarm", "date": demain, "participants": "IDE"})
        assert response.status_code == 200
        assert "futur" in response.context["form"].errors["date"][0]
        assert not AnalyseApprofondie.objects.exists()

    def test_un_retour_vide_est_refuse(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a)
        response = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("evenements:retour", args=[ev.pk]), {"retour_declarant": "  "})
        assert response.context["retour"].errors["retour_declarant"]
        ev.refresh_from_db()
        assert ev.retour_le is None

    def test_une_action_sans_titre_est_refusee(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a)
        response = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("evenements:action_ajouter", args=[ev.pk]), {"titre": "", "echeance": "pas une date"})
        form = response.context["action_form"]
        assert form.errors["titre"] and form.errors["echeance"]
        assert not ActionAmelioration.objects.exists()

    def test_tri_par_criticite(self, monde, client_de):
        for g in (1, 5, 3):
            EvenementFactory(service=monde.service_a, gravite=g, vraisemblance=2)
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:liste"), {"tri": "-criticite"})
        assert [ev.criticite_calc for ev in response.context["page"]] == [10, 6, 2]
