import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from qualite.organisation.models import AuditEntry
from usagers.ssc.models import ActeMesure, MesureIsolement, MesureSoinsSansConsentement

pytestmark = pytest.mark.django_db


def _fmt(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


class TestAcces:
    @pytest.mark.parametrize("role, code", [
        ("bureau_admissions", 200), ("administrateur", 200), ("psychiatre", 200),
        ("gestionnaire_risques", 403), ("membre_cdu", 403), ("representant_usagers", 403), ("direction", 403),
        ("declarant", 403), ("relations_usagers", 403),
    ])
    def test_vue_du_jour_par_role(self, monde, client_de, role, code):
        assert client_de(monde.users[role]).get(reverse("usagers:ssc_journal")).status_code == code

    def test_le_psychiatre_ne_voit_que_son_unite(self, monde, client_de, admettre):
        dans_unite = admettre("sdt", ipp="A1")
        autre_unite = admettre("sdt", ipp="A2", service=monde.service_a2)
        client = client_de(monde.users["psychiatre"])
        assert client.get(reverse("usagers:ssc_mesure", args=[dans_unite.pk])).status_code == 200
        assert client.get(reverse("usagers:ssc_mesure", args=[autre_unite.pk])).status_code == 404

    def test_un_autre_etablissement_donne_404(self, monde, client_de, admettre):
        m = admettre("sdt", ipp="B1", service=monde.service_b)
        assert client_de(monde.users["bureau_admissions"]).get(reverse("usagers:ssc_mesure", args=[m.pk])).status_code == 404

    def test_le_psychiatre_ne_peut_pas_admettre(self, monde, client_de):
        assert client_de(monde.users["psychiatre"]).get(reverse("usagers:ssc_nouvelle")).status_code == 403

    def test_lire_une_mesure_est_audite(self, monde, client_de, admettre):
        m = admettre("spi")
        client_de(monde.users["bureau_admissions"]).get(reverse("usagers:ssc_mesure", args=[m.pk]))
        entry = AuditEntry.objects.get(action="lecture", object_id=str(m.pk))
        assert entry.objet == f"Mesure SSC {m.reference}" and entry.etablissement == monde.etab_a


class TestAdmission:
    def _post(self, client, monde, **kw):
        data = {"ipp": "900001", "nom": "Bernard", "prenom": "Paul", "date_naissance": "1975-06-01",
                "service": monde.service_a.pk, "mode": "sdt", "t0": _fmt(timezone.now() - timedelta(hours=3)),
                "tiers_nom": "Jeanne Bernard", "tiers_lien": "épouse"}
        data.update(kw)
        return client.post(reverse("usagers:ssc_nouvelle"), data)

    def test_admission_puis_calendrier_affiche(self, monde, client_de):
        client = client_de(monde.users["bureau_admissions"])
        response = self._post(client, monde)
        m = MesureSoinsSansConsentement.objects.get()
        assert response.status_code == 302
        page = texte(client.get(reverse("usagers:ssc_mesure", args=[m.pk])))
        assert "Certificat de 24 heures" in page and "Saisine du juge (8 jours)" in page
        assert "Demande du tiers manquant" in page

    @pytest.mark.parametrize("champ, valeur, message", [
        ("t0", "2026-13-01T10:00", "Saisissez une date et une heure valides"),
        ("mode", "inconnu", "Sélectionnez un choix valide"),
        ("tiers_nom", "", "identité du tiers"),
        ("date_naissance", "", "Ce champ est obligatoire"),
    ])
    def test_saisie_erronee_message_pres_du_champ_rien_enregistre(self, monde, client_de, champ, valeur, message):
        response = self._post(client_de(monde.users["bureau_admissions"]), monde, **{champ: valeur})
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[champ])
        assert not MesureSoinsSansConsentement.objects.exists()

    def test_un_t0_futur_est_refuse(self, monde, client_de):
        response = self._post(client_de(monde.users["bureau_admissions"]), monde,
                              t0=_fmt(timezone.now() + timedelta(days=2)))
        assert "futur" in " ".join(response.context["form"].errors["t0"])
        assert not MesureSoinsSansConsentement.objects.exists()


class TestActes:
    def test_72h_avant_24h_refuse_avec_message(self, monde, client_de, admettre):
        m = admettre("sdt")
        client = client_de(monde.users["psychiatre"])
        ok = client.post(reverse("usagers:ssc_acte", args=[m.pk]), {
            "acte-type": "certificat_24h", "acte-date_heure": _fmt(m.t0 + timedelta(hours=20)), "acte-auteur": "Dr Un",
            "acte-psychiatre_etablissement": "on", "acte-conclusion": "maintien"})
        assert ok.status_code == 302
        response = client.post(reverse("usagers:ssc_acte", args=[m.pk]), {
            "acte-type": "certificat_72h", "acte-date_heure": _fmt(m.t0 + timedelta(hours=10)), "acte-auteur": "Dr Deux",
            "acte-psychiatre_etablissement": "on", "acte-conclusion": "maintien", "acte-forme": "hc"})
        assert response.status_code == 200
        assert "ne peut précéder celui de 24 h" in " ".join(response.context["acte_form"].errors["date_heure"])
        assert ActeMesure.objects.count() == 1

    def test_levee_avant_t0_refusee(self, monde, client_de, admettre):
        m = admettre("sdre")
        response = client_de(monde.users["bureau_admissions"]).post(reverse("usagers:ssc_acte", args=[m.pk]), {
            "acte-type": "levee", "acte-date_heure": _fmt(m.t0 - timedelta(days=1)), "acte-auteur": "Préfet"})
        assert "antérieure à l'admission" in " ".join(response.context["acte_form"].errors["date_heure"])
        m.refresh_from_db()
        assert m.levee_le is None

    def test_l_annulation_exige_un_motif_et_le_role_admissions(self, monde, client_de, admettre):
        from usagers.ssc import services

        m = admettre("sdt")
        acte = services.acte_ajouter(mesure=m, par=monde.users["bureau_admissions"], donnees={
            "type": "saisine_juge", "date_heure": m.t0 + timedelta(days=2), "auteur": "Direction"})
        url = reverse("usagers:ssc_acte_annuler", args=[m.pk, acte.pk])
        assert client_de(monde.users["psychiatre"]).post(url, {"motif": "x"}).status_code == 403
        client_de(monde.users["bureau_admissions"]).post(url, {"motif": ""})
        acte.refresh_from_db()
        assert not acte.annule


class TestJournal:
    def test_vue_du_jour_groupes_et_requetes_constantes(self, monde, client_de, admettre, django_assert_num_queries):
        client = client_de(monde.users["bureau_admissions"])
        for i in range(3):
            admettre("sdt", ipp=f"J{i}", t0=timezone.now() - timedelta(hours=30 + i))
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as petit:
            r1 = client.get(reverse("usagers:ssc_journal"))
        for i in range(3, 25):
            admettre("sdt", ipp=f"J{i}", t0=timezone.now() - timedelta(hours=30 + i))
        with CaptureQueriesContext(connection) as grand:
            r2 = client.get(reverse("usagers:ssc_journal"))
        assert len(petit) == len(grand)
        assert len(r1.context["groupes"]["en_retard"]) == 3  # the 24 h certificates
        assert len(r2.context["groupes"]["en_retard"]) == 25
        assert "DURAND" in texte(r2)

    def test_la_vue_du_jour_change_quand_un_certificat_est_enregistre(self, monde, client_de, admettre):
        from usagers.ssc import services

        m = admettre("sdt", t0=timezone.now() - timedelta(hours=30))
        client = client_de(monde.users["bureau_admissions"])
        avant = client.get(reverse("usagers:ssc_journal")).context["groupes"]
        assert [e.regle.code for e in avant["en_retard"]] == ["ssc-certificat-24h"]
        services.acte_ajouter(mesure=m, par=monde.users["bureau_admissions"], donnees={
            "type": "certificat_24h", "date_heure": m.t0 + timedelta(hours=23), "auteur": "Dr Un",
            "psychiatre_etablissement": True, "conclusion": "maintien"})
        apres = client.get(reverse("usagers:ssc_journal")).context["groupes"]
        assert apres["en_retard"] == []


class TestRegistreEtExports:
    def test_l_export_du_registre_a_les_colonnes_legales(self, monde, client_de, admettre):
        from usagers.ssc import services

        m = admettre("sdt")
        debut = m.t0 + timedelta(days=1)
        services.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=MesureIsolement(
            type="isolement", psychiatre="Dr Un", debut=debut, fin=debut + timedelta(hours=6), surveillance="IDE X, AS Y"))
        response = client_de(monde.users["bureau_admissions"]).get(reverse("usagers:ssc_registre"), {"export": "csv"})
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
        assert rows[0][:6] == ["Type", "Psychiatre décideur", "IPP", "Âge", "Mode d'admission", "Début"]
        assert rows[1][1] == "Dr Un" and rows[1][7] == "6.0" and rows[1][8] == "IDE X, AS Y"
        assert AuditEntry.objects.filter(action="export").exists()

    def test_les_statistiques_cdu_ne_portent_aucun_nom(self, monde, client_de, admettre):
        admettre("sdt")
        response = client_de(monde.users["membre_cdu"]).get(reverse("usagers:ssc_statistiques"))
        assert response.status_code == 200
        body = texte(response)
        assert "Durand" not in body and "IPP" not in body
        assert "SDT — à la demande d'un tiers" in body

    def test_l_export_des_mesures_est_refuse_a_la_cdu(self, monde, client_de):
        assert client_de(monde.users["membre_cdu"]).get(reverse("usagers:ssc_mesures"), {"export": "csv"}).status_code == 403

    def test_nombre_de_requetes_de_la_liste(self, monde, client_de, admettre, django_assert_max_num_queries):
        for i in range(30):
            admettre("spi", ipp=f"L{i}")
        client = client_de(monde.users["bureau_admissions"])
        with django_assert_max_num_queries(10):
            response = client.get(reverse("usagers:ssc_mesures"))
        assert response.context["page"].paginator.count == 30


def test_la_page_de_mesure_a_des_id_uniques_pour_relier_les_libelles(monde, client_de, admettre):
    import re
    from collections import Counter

    m = admettre("sdt")
    body = client_de(monde.users["bureau_admissions"]).get(reverse("usagers:ssc_mesure", args=[m.pk])).content.decode()
    doublons = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', body)).items() if n > 1]
    assert doublons == []


def test_decision_du_juge_sur_isolement_avant_tout_isolement_refusee(monde, client_de, admettre):
    m = admettre("sdt")
    response = client_de(monde.users["bureau_admissions"]).post(reverse("usagers:ssc_juge_isolement", args=[m.pk]), {
        "juge-type": "isolement", "juge-date_heure": _fmt(m.t0 + timedelta(days=1)), "juge-maintien": "on"})
    assert response.status_code == 200
    assert "Aucune mesure" in " ".join(response.context["juge_form"].errors["type"])
