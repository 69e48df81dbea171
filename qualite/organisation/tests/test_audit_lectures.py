"""Every page that shows nominative data leaves a read entry in the audit journal: the analysis of an event,
an isolation decision, and the field-by-field history pages of the Django admin."""

from datetime import date, timedelta

import pghistory.models
import pytest
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from evenements import services as services_ei
from evenements.tests.factories import EvenementFactory
from qualite.organisation.models import AuditEntry
from usagers.ssc import services as services_ssc
from usagers.ssc.models import MesureIsolement
from usagers.ssc.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def lectures():
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.LECTURE).order_by("id"))


def sur(entree, objet) -> bool:
    return (entree.content_type == ContentType.objects.get_for_model(objet)
            and entree.object_id == str(objet.pk))


class TestAnalyse:
    @pytest.fixture
    def analyse(self, monde):
        ev = EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"])
        return services_ei.analyse_enregistrer(
            evenement=ev, par=monde.users["gestionnaire_risques"], facteurs=[("patient", "Patient agité")],
            donnees={"methode": "alarm", "date": date.today(), "participants": "IDE\nCadre",
                     "chronologie": "M. Martin, chambre 12, a chuté à 3 h."})

    def test_lire_une_analyse_est_audite(self, monde, client_de, analyse):
        response = client_de(monde.users["gestionnaire_risques"]).get(
            reverse("evenements:analyse_modifier", args=[analyse.evenement_id, analyse.pk]))
        assert response.status_code == 200
        [entree] = lectures()
        assert sur(entree, analyse)
        assert entree.utilisateur == monde.users["gestionnaire_risques"]
        assert entree.etablissement == monde.etab_a

    def test_un_formulaire_d_analyse_vierge_n_est_pas_une_lecture(self, monde, client_de, analyse):
        client_de(monde.users["gestionnaire_risques"]).get(reverse("evenements:analyse", args=[analyse.evenement_id]))
        assert lectures() == []

    def test_enregistrer_une_analyse_est_une_ecriture_pas_une_lecture(self, monde, client_de, analyse):
        client_de(monde.users["gestionnaire_risques"]).post(
            reverse("evenements:analyse_modifier", args=[analyse.evenement_id, analyse.pk]),
            {"methode": "alarm", "date": date.today().isoformat(), "participants": "IDE", "terminee": "on"})
        assert lectures() == []
        assert AuditEntry.objects.filter(action="modification", object_id=str(analyse.pk)).exists()

    def test_une_analyse_hors_perimetre_donne_404_sans_audit(self, monde, client_de, analyse):
        assert client_de(monde.user_b).get(
            reverse("evenements:analyse_modifier", args=[analyse.evenement_id, analyse.pk])).status_code == 404
        assert lectures() == []


class TestDecisionIsolement:
    @pytest.fixture
    def decision(self, monde):
        t0 = (timezone.localtime() - timedelta(days=10)).replace(hour=14, minute=30, second=0, microsecond=0)
        m = services_ssc.mesure_admettre(
            par=monde.users["bureau_admissions"], service=monde.service_a,
            patient={"ipp": "IPP-ISO-1", "nom": "Durand", "prenom": "Léa", "date_naissance": date(1990, 3, 2)},
            mesure={"mode": "spi", "t0": t0})
        debut = m.t0 + timedelta(days=1)
        return services_ssc.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=MesureIsolement(
            type="isolement", psychiatre="Dr Un", debut=debut, fin=debut + timedelta(hours=6), surveillance="IDE X"))

    def test_lire_une_decision_d_isolement_est_audite(self, monde, client_de, decision):
        response = client_de(monde.users["bureau_admissions"]).get(
            reverse("usagers:ssc_isolement_modifier", args=[decision.mesure_id, decision.pk]))
        assert response.status_code == 200
        [entree] = lectures()
        assert sur(entree, decision)
        assert entree.details == {"mesure": decision.mesure.reference}
        assert entree.etablissement == monde.etab_a

    def test_le_psychiatre_d_une_autre_unite_recoit_404_sans_entree(self, monde, client_de, decision):
        from qualite.organisation.roles import Role
        from qualite.organisation.tests.factories import UtilisateurFactory

        ailleurs = UtilisateurFactory(roles=[Role.PSYCHIATRE], etablissements=[monde.etab_a], pole=monde.pole_a2,
                                      service=monde.service_a2)
        assert client_de(ailleurs).get(
            reverse("usagers:ssc_isolement_modifier", args=[decision.mesure_id, decision.pk])).status_code == 404
        assert lectures() == []


class TestHistoriqueAdmin:
    @pytest.fixture
    def patient(self, monde):
        patient = PatientFactory(etablissement=monde.etab_a, nom="Lefebvre", ipp="IPP-HIST-1")
        patient.nom = "Lefebvre-Martin"  # an update: the list shows its diff, names included
        patient.save()
        return patient

    def test_l_historique_d_un_patient_est_audite_sur_le_patient(self, monde, client_de, patient):
        response = client_de(monde.users["administrateur"]).get(
            reverse("admin:pghistory_events_changelist"), {"obj": f"ssc.patientssc:{patient.pk}", "method": "tracks"})
        assert "IPP-HIST-1" in texte(response)
        [entree] = lectures()
        assert sur(entree, patient)
        assert entree.objet == "Patient SSC IPP IPP-HIST-1"
        assert entree.etablissement == monde.etab_a
        assert entree.details["page"] == "historique des modifications"

    def test_l_historique_non_filtre_est_audite_avec_ses_enregistrements(self, monde, client_de, patient):
        response = client_de(monde.users["administrateur"]).get(reverse("admin:pghistory_events_changelist"))
        assert "Lefebvre-Martin" in texte(response)
        [entree] = lectures()
        assert entree.content_type is None
        assert f"ssc.patientssc:{patient.pk}" in entree.details["objets"]
        assert entree.details["lignes"] == len(response.context["cl"].result_list)

    def test_la_page_d_une_version_est_auditee_sur_son_enregistrement(self, monde, client_de, patient):
        version = pghistory.models.Events.objects.tracks(patient).first()
        response = client_de(monde.users["administrateur"]).get(
            reverse("admin:pghistory_events_change", args=[quote(version.pk)]))
        assert response.status_code == 200 and "Lefebvre" in texte(response)
        [entree] = lectures()
        assert sur(entree, patient)

    def test_un_compte_non_staff_n_atteint_aucun_historique_ni_lecture(self, monde, client_de, patient):
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("admin:pghistory_events_changelist"))
        assert response.status_code == 302
        assert lectures() == []
