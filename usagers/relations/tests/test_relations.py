import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from qualite.echeances.moteur import echeances_de
from qualite.organisation.models import AuditEntry
from qualite.paqss.models import ActionAmelioration
from usagers.relations import services
from usagers.relations.models import DemandeDossier, MembreCDU, Reclamation, RecommandationCDU, SeanceCDU

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _rec(monde, **kw):
    donnees = {"etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
               "auteur_nom": "Robert Lenoir", "lien_patient": "fils", "patient_nom": "Paulette Lenoir",
               "objet": "Attente de six heures aux urgences sans information.", "recue_le": date(2026, 1, 31)}
    donnees.update(kw)
    return services.reclamation_enregistrer(par=monde.users["relations_usagers"], donnees=donnees, services=[monde.service_a])


def _dues(objet):
    return {e.regle.code: timezone.localtime(e.echeance).date() for e in echeances_de(objet)}


class TestDelaisReclamation:
    def test_chaque_etape_a_son_delai_a_travers_les_fins_de_mois(self, monde):
        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 3, 31), created_by=monde.users["relations_usagers"])
        rec = _rec(monde, accuse_le=date(2026, 2, 2), mediation="medicale", mediateur_saisi_le=date(2026, 2, 25),
                   rencontre_le=date(2026, 3, 4), rapport_le=date(2026, 3, 10), seance_cdu=seance)
        dues = _dues(rec)
        assert dues["rec-accuse"] == date(2026, 2, 8)  # 31 Jan + 8 days
        assert dues["rec-rencontre-mediateur"] == date(2026, 3, 5)  # 25 Feb + 8 days (non-leap year)
        assert dues["rec-rapport-mediateur"] == date(2026, 3, 12)
        assert dues["rec-reponse-finale"] == date(2026, 4, 8)  # CDU on 31 March + 8 days
        statuts = {e.regle.code: e.statut_calcule for e in echeances_de(rec)}
        assert statuts["rec-rencontre-mediateur"] == "satisfait" and statuts["rec-reponse-finale"] == "en_retard"

    def test_mediation_en_annee_bissextile(self, monde):
        rec = _rec(monde, recue_le=date(2024, 2, 20), mediation="non_medicale", mediateur_saisi_le=date(2024, 2, 25))
        assert _dues(rec)["rec-rencontre-mediateur"] == date(2024, 3, 4)

    def test_une_rencontre_refusee_ne_doit_aucune_rencontre(self, monde):
        rec = _rec(monde, mediation="medicale", mediateur_saisi_le=date(2026, 2, 3), mediation_refusee=True)
        assert "rec-rencontre-mediateur" not in _dues(rec)

    def test_un_eloge_n_a_pas_de_delai_de_reponse(self, monde):
        rec = _rec(monde, nature="eloge")
        assert set(_dues(rec)) == {"rec-accuse"}

    def test_la_cible_interne_vient_de_la_table_des_regles(self, monde):
        from qualite.echeances.models import RegleEcheance

        RegleEcheance.objects.filter(code="rec-premiere-reponse").update(delai=timedelta(days=15))
        assert _dues(_rec(monde))["rec-premiere-reponse"] == date(2026, 2, 15)

    @pytest.mark.parametrize("champs, champ_erreur", [
        ({"accuse_le": date(2026, 1, 30)}, "accuse_le"),
        ({"mediation": "medicale", "mediateur_saisi_le": date(2026, 2, 10), "rencontre_le": date(2026, 2, 5)}, "rencontre_le"),
        ({"rencontre_le": date(2026, 2, 5)}, "mediateur_saisi_le"),
        ({"mediateur_saisi_le": date(2026, 2, 5)}, "mediation"),
        ({"recue_le": date(2099, 1, 1)}, "recue_le"),
        ({"resume_valide": True, "resume_anonymise": " "}, "resume_anonymise"),
    ])
    def test_des_dates_incoherentes_sont_refusees_sans_rien_enregistrer(self, monde, champs, champ_erreur):
        with pytest.raises(ValidationError) as exc:
            _rec(monde, **champs)
        assert champ_erreur in exc.value.error_dict
        assert not Reclamation.objects.exists()


class TestConfidentialite:
    def _preparer(self, monde):
        seance = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 3, 2), statut="tenue",
                                          created_by=monde.users["relations_usagers"])
        return _rec(monde, seance_cdu=seance, resume_anonymise="Attente longue aux urgences, défaut d'information.",
                    resume_valide=True)

    def test_le_membre_de_la_cdu_ne_recoit_jamais_de_nom(self, monde, client_de):
        rec = self._preparer(monde)
        client = client_de(monde.users["membre_cdu"])
        pages = [
            client.get(reverse("usagers:reclamations")),
            client.get(reverse("usagers:reclamation", args=[rec.pk])),
            client.get(reverse("usagers:seance", args=[rec.seance_cdu_id])),
            client.get(reverse("usagers:rapport_cdu"), {"annee": 2026}),
        ]
        for response in pages:
            body = texte(response)
            assert response.status_code == 200
            for nom in ("Lenoir", "six heures"):
                assert nom not in body
        assert "Attente longue aux urgences" in texte(pages[0])
        export = client.get(reverse("usagers:reclamations"), {"export": "csv"})
        contenu = b"".join(export.streaming_content).decode("utf-8-sig")
        assert "Lenoir" not in contenu and "Attente longue" in contenu
        from pypdf import PdfReader

        pdf = client.get(reverse("usagers:rapport_cdu"), {"annee": 2026, "format": "pdf"})
        texte_pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "Lenoir" not in texte_pdf and "Plaintes, réclamations et éloges" in texte_pdf

    def test_un_resume_non_valide_n_est_pas_montre(self, monde, client_de):
        _rec(monde, resume_anonymise="Texte non relu", resume_valide=False)
        body = texte(client_de(monde.users["representant_usagers"]).get(reverse("usagers:reclamations")))
        assert "Texte non relu" not in body

    def test_le_personnel_voit_les_noms_et_les_lectures_sont_auditees(self, monde, client_de):
        rec = self._preparer(monde)
        body = texte(client_de(monde.users["relations_usagers"]).get(reverse("usagers:reclamation", args=[rec.pk])))
        assert "Robert Lenoir" in body
        assert AuditEntry.objects.filter(action="lecture", object_id=str(rec.pk)).exists()

    def test_autre_etablissement_en_404_et_declarant_en_403(self, monde, client_de):
        rec = _rec(monde)
        assert client_de(monde.user_b).get(reverse("usagers:reclamation", args=[rec.pk])).status_code == 404
        assert client_de(monde.users["declarant"]).get(reverse("usagers:reclamations")).status_code == 403

    def test_le_membre_de_la_cdu_ne_peut_pas_modifier(self, monde, client_de):
        rec = _rec(monde)
        response = client_de(monde.users["membre_cdu"]).post(reverse("usagers:reclamation", args=[rec.pk]), {"nature": "eloge"})
        rec.refresh_from_db()
        assert rec.nature == "reclamation"
        assert response.status_code == 200  # anonymised page, no form processed


class TestLiensEtLettres:
    def test_la_reclamation_ouvre_un_evenement_et_l_action_apparait_des_deux_cotes(self, monde, client_de):
        from evenements.models import TypeEvenement

        rec = _rec(monde)
        client = client_de(monde.users["relations_usagers"])
        client.post(reverse("usagers:reclamation_evenement", args=[rec.pk]),
                    {"type_evenement": TypeEvenement.objects.first().pk, "service": monde.service_a.pk})
        client.post(reverse("usagers:reclamation_action", args=[rec.pk]), {"titre": "Informer toutes les 2 heures"})
        rec.refresh_from_db()
        assert rec.evenement is not None
        assert ActionAmelioration.objects.get().source == rec
        body = texte(client.get(reverse("usagers:reclamation", args=[rec.pk])))
        assert rec.evenement.reference in body and "Informer toutes les 2 heures" in body
        ev_page = texte(client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:detail", args=[rec.evenement.pk])))
        assert rec.reference in ev_page

    def test_la_lettre_pdf_est_remplie_depuis_la_reclamation(self, monde, client_de):
        from pypdf import PdfReader

        rec = _rec(monde)
        response = client_de(monde.users["relations_usagers"]).post(
            reverse("usagers:reclamation_lettre", args=[rec.pk, "accuse"]), follow=True)
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert "Robert Lenoir" in text and rec.reference in text and "31/01/2026" in text


class TestDossiers:
    def _demande(self, monde, **kw):
        donnees = {"etablissement": monde.etab_a, "patient_nom": "Jeanne Roux", "patient_naissance": date(1950, 1, 1),
                   "demandeur_type": "patient", "demandeur_nom": "Jeanne Roux", "recue_le": datetime(2026, 1, 30, 10, tzinfo=PARIS),
                   "informations_du": date(2025, 6, 1), "identite_verifiee": True, "qualite_verifiee": True}
        donnees.update(kw)
        return services.demande_enregistrer(par=monde.users["relations_usagers"], donnees=donnees)

    def test_huit_jours_apres_la_reception(self, monde):
        d = self._demande(monde)
        assert _dues(d) == {"dossier-communication-8j": date(2026, 2, 7)}

    def test_deux_mois_si_informations_de_plus_de_cinq_ans_fin_de_mois(self, monde):
        d = self._demande(monde, recue_le=datetime(2025, 12, 31, 9, tzinfo=PARIS), informations_du=date(2019, 3, 1))
        assert _dues(d) == {"dossier-communication-2m": date(2026, 2, 28)}

    def test_delai_depuis_la_completude_quand_choisi(self, monde):
        d = self._demande(monde, point_depart="completude", complete_le=datetime(2026, 2, 5, 9, tzinfo=PARIS))
        e = echeances_de(d).get()
        assert timezone.localtime(e.echeance).date() == date(2026, 2, 13)
        assert "complétude" in e.debut_compte

    @pytest.mark.parametrize("champs, champ_erreur", [
        ({"communiquee_le": datetime(2026, 1, 31, 9, tzinfo=PARIS), "mode": "copie_papier"}, "communiquee_le"),  # < 48 h
        ({"communiquee_le": datetime(2026, 2, 3, 9, tzinfo=PARIS), "mode": "copie_papier", "identite_verifiee": False}, "communiquee_le"),
        ({"demandeur_type": "ayant_droit", "patient_decede": True}, "motif"),
        ({"demandeur_type": "ayant_droit"}, "demandeur_type"),
        ({"complete_le": datetime(2026, 1, 29, 9, tzinfo=PARIS)}, "complete_le"),
        ({"refusee": True}, "motif_refus"),
    ])
    def test_saisie_erronee_refusee_rien_enregistre(self, monde, champs, champ_erreur):
        with pytest.raises(ValidationError) as exc:
            self._demande(monde, **champs)
        assert champ_erreur in exc.value.error_dict
        assert not DemandeDossier.objects.exists()

    def test_statistiques_part_dans_les_delais(self, monde, client_de):
        self._demande(monde, communiquee_le=datetime(2026, 2, 4, 9, tzinfo=PARIS), mode="copie_papier")
        self._demande(monde, communiquee_le=datetime(2026, 2, 20, 9, tzinfo=PARIS), mode="copie_papier")
        self._demande(monde)
        response = client_de(monde.users["relations_usagers"]).get(reverse("usagers:dossiers"))
        stats = response.context["stats"]
        assert (stats["total"], stats["repondues"], stats["dans_delai"], stats["part_dans_delai"]) == (3, 2, 1, 50)

    def test_la_vue_affiche_les_erreurs_pres_du_champ(self, monde, client_de):
        response = client_de(monde.users["relations_usagers"]).post(reverse("usagers:dossier_nouveau"), {
            "etablissement": monde.etab_a.pk, "patient_nom": "X", "patient_naissance": "1950-01-01",
            "demandeur_type": "pacs", "demandeur_nom": "Y", "recue_le": "2026-01-30T10:00", "point_depart": "reception",
            "informations_du": "2025-01-01", "frais": "0"})
        assert response.status_code == 200
        assert response.context["form"].errors["demandeur_type"]
        assert not DemandeDossier.objects.exists()


class TestCDU:
    def test_alerte_de_mandat_trois_mois_avant_la_fin(self, monde):
        m = services.membre_enregistrer(par=monde.users["relations_usagers"], donnees={
            "etablissement": monde.etab_a, "nom": "Anne RU", "role": "ru_titulaire", "association": "UFC",
            "debut_mandat": date(2023, 5, 31), "fin_mandat": date(2026, 5, 31)})
        assert _dues(m) == {"cdu-mandat": date(2026, 2, 28)}
        services.membre_enregistrer(par=monde.users["relations_usagers"], donnees={
            "etablissement": monde.etab_a, "nom": "Nouvel RU", "role": "ru_titulaire",
            "debut_mandat": date(2026, 6, 1), "fin_mandat": date(2029, 5, 31)})
        assert echeances_de(m).get().statut_calcule == "satisfait"

    def test_alerte_si_moins_de_quatre_seances(self, monde, client_de):
        annee = timezone.localdate().year
        for mois in (3, 6, 9):
            SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(annee, mois, 10), created_by=monde.users["relations_usagers"])
        client = client_de(monde.users["relations_usagers"])
        assert "3 séance(s) planifiée(s)" in texte(client.get(reverse("usagers:cdu")))
        SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(annee, 12, 10), created_by=monde.users["relations_usagers"])
        assert "séance(s) planifiée(s)" not in texte(client.get(reverse("usagers:cdu")))

    def test_la_recommandation_devient_une_action_paqss_une_seule_fois(self, monde, client_de):
        s = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 3, 2), created_by=monde.users["relations_usagers"])
        r = RecommandationCDU.objects.create(seance=s, texte="Afficher les délais d'attente", created_by=monde.users["relations_usagers"])
        client = client_de(monde.users["relations_usagers"])
        client.post(reverse("usagers:recommandation_action", args=[r.pk]))
        client.post(reverse("usagers:recommandation_action", args=[r.pk]))
        r.refresh_from_db()
        assert ActionAmelioration.objects.count() == 1 and r.action.origine == "cdu" and r.action.source == r
        assert client_de(monde.users["membre_cdu"]).post(reverse("usagers:recommandation_action", args=[r.pk])).status_code == 403

    def test_comptes_d_activite_des_ru(self, monde, client_de):
        ru = MembreCDU.objects.create(etablissement=monde.etab_a, nom="Lucie RU", role="ru_titulaire",
                                      debut_mandat=date(2025, 1, 1), fin_mandat=date(2028, 1, 1))
        s = SeanceCDU.objects.create(etablissement=monde.etab_a, date=date(2026, 3, 2), statut="tenue")
        s.presents.add(ru)
        _rec(monde, mediation="medicale", mediateur_saisi_le=date(2026, 2, 3), rencontre_le=date(2026, 2, 6), ru_accompagnant=ru)
        RecommandationCDU.objects.create(seance=s, texte="x", proposee_par=ru)
        activite = client_de(monde.users["membre_cdu"]).get(reverse("usagers:representants")).context["activite"]
        assert activite[0]["annees"][2026] == {"seances": 1, "mediations": 1, "recommandations": 1}

    def test_seance_avec_un_membre_d_un_autre_etablissement_refusee(self, monde, client_de):
        autre = MembreCDU.objects.create(etablissement=monde.etab_b, nom="B", role="president",
                                         debut_mandat=date(2025, 1, 1), fin_mandat=date(2028, 1, 1))
        response = client_de(monde.users["administrateur"]).post(reverse("usagers:seance_nouvelle"), {
            "etablissement": monde.etab_a.pk, "date": "2026-05-01", "statut": "planifiee", "presents": [autre.pk]})
        assert response.status_code == 200 and response.context["form"].errors["presents"]
        assert not SeanceCDU.objects.exists()


class TestDialogue:
    def test_le_kit_est_charge_depuis_les_donnees_initiales(self):
        from usagers.relations.models import QuestionDialogue, ThemeDialogue

        assert ThemeDialogue.objects.count() == 5 and QuestionDialogue.objects.count() == 17
        assert QuestionDialogue.objects.get(numero="1.1").relances

    def test_l_entretien_exige_un_ru_et_une_date_dans_la_campagne(self, monde, client_de):
        from usagers.relations.models import CampagneDialogue, EntretienDialogue

        c = CampagneDialogue.objects.create(etablissement=monde.etab_a, titre="Campagne 2026", debut=date(2026, 3, 1))
        client = client_de(monde.users["representant_usagers"])
        response = client.post(reverse("usagers:campagne", args=[c.pk]), {
            "quoi": "entretien", "date": "2026-02-01", "fonction": "Cadre de santé", "notes": "x"})
        form = response.context["entretien_form"]
        assert form.errors["date"] and form.errors["ru_presents"]
        assert not EntretienDialogue.objects.exists()
        assert client_de(monde.users["declarant"]).get(reverse("usagers:campagnes")).status_code == 403


def test_les_listes_fixent_leurs_requetes(monde, client_de, django_assert_max_num_queries):
    for i in range(30):
        _rec(monde, auteur_nom=f"Auteur {i}")
    staff = client_de(monde.users["relations_usagers"])
    with django_assert_max_num_queries(10):
        assert staff.get(reverse("usagers:reclamations")).context["page"].paginator.count == 30
    from django.test import Client

    cdu = Client()
    cdu.force_login(monde.users["membre_cdu"])
    with django_assert_max_num_queries(10):
        assert cdu.get(reverse("usagers:reclamations")).context["page"].paginator.count == 30


def test_colonnes_d_export_pour_le_personnel(monde, client_de):
    _rec(monde)
    response = client_de(monde.users["relations_usagers"]).get(reverse("usagers:reclamations"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    i = rows[0].index("Auteur")
    assert rows[1][i] == "Robert Lenoir"


def test_la_demo_charge_les_relations_une_seule_fois(db):
    from django.core.management import call_command

    call_command("demo")
    call_command("demo")
    assert Reclamation.objects.count() == 2 and DemandeDossier.objects.count() == 1
    assert MembreCDU.objects.filter(role="ru_titulaire").count() == 2
