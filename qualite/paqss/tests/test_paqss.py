"""PAQSS: services (transitions, deadline engine) and pages (programme, action, pôle plan)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import texte
from qualite.echeances.models import Echeance
from qualite.organisation.models import AuditEntry
from qualite.organisation.tests.factories import ActionFactory
from qualite.paqss import services
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db
S = ActionAmelioration.Statut


def _action(monde, **kw):
    kw.setdefault("service", monde.service_a)
    return ActionFactory(**kw)


class TestServices:
    def test_creer_une_action_datee_enregistre_son_echeance(self, monde):
        a = services.action_creer(titre="Protocole", origine="axe", source=None, etablissement_id=monde.etab_a.pk,
                                  pole_id=monde.pole_a.pk, par=monde.users["gestionnaire_risques"],
                                  echeance=date(2030, 1, 31))
        ech = Echeance.objects.get(object_id=a.pk, regle__code="paqss-action-echeance")
        assert timezone.localtime(ech.echeance).date() == date(2030, 1, 31)
        assert ech.pole_id == monde.pole_a.pk and ech.reference == f"Action PAQSS n° {a.pk}"

    def test_realiser_satisfait_l_echeance_et_fixe_l_avancement(self, monde):
        a = services.action_creer(titre="X", origine="axe", source=None, etablissement_id=monde.etab_a.pk,
                                  par=None, echeance=date(2030, 1, 31))
        services.action_changer_statut(action=a, par=None, vers=S.EN_COURS)
        a = services.action_changer_statut(action=a, par=None, vers=S.REALISEE)
        assert a.avancement == 100 and a.realisee_le is not None
        assert Echeance.objects.get(object_id=a.pk).statut == Echeance.Statut.SATISFAIT

    def test_l_abandon_exige_un_motif_et_rend_l_echeance_sans_objet(self, monde):
        a = services.action_creer(titre="X", origine="axe", source=None, etablissement_id=monde.etab_a.pk,
                                  par=None, echeance=date(2030, 1, 31))
        with pytest.raises(ValidationError) as exc:
            services.action_changer_statut(action=a, par=None, vers=S.ABANDONNEE, motif="  ")
        assert "motif" in exc.value.error_dict
        services.action_changer_statut(action=a, par=None, vers=S.ABANDONNEE, motif="Remplacée par l'action 12")
        ech = Echeance.objects.get(object_id=a.pk)
        assert ech.sans_objet and "Remplacée" in ech.motif_sans_objet

    @pytest.mark.parametrize("de, vers", [(S.A_PLANIFIER, S.REALISEE), (S.REALISEE, S.EN_COURS), (S.ABANDONNEE, S.EN_COURS)])
    def test_les_transitions_interdites_sont_refusees(self, monde, de, vers):
        a = _action(monde, statut=de, motif_abandon="x" if de == S.ABANDONNEE else "")
        with pytest.raises(ValidationError):
            services.action_changer_statut(action=a, par=None, vers=vers)
        a.refresh_from_db()
        assert a.statut == de

    def test_modifier_valide_l_organisation_et_n_enregistre_rien_si_erreur(self, monde):
        a = _action(monde)
        with pytest.raises(ValidationError) as exc:
            services.action_modifier(action=a, par=None, donnees={"titre": "Nouveau", "service": monde.service_b})
        assert "service" in exc.value.error_dict
        a.refresh_from_db()
        assert a.titre != "Nouveau"

    def test_l_efficacite_exige_une_action_realisee(self, monde):
        a = _action(monde, statut=S.EN_COURS)
        with pytest.raises(ValidationError) as exc:
            services.action_modifier(action=a, par=None, donnees={"efficace": True, "verifiee_le": date.today()})
        assert "efficace" in exc.value.error_dict

    def test_le_retard_est_calcule(self, monde):
        hier = timezone.localdate() - timedelta(days=1)
        en_retard = _action(monde, echeance=hier, statut=S.EN_COURS)
        _action(monde, echeance=hier, statut=S.REALISEE)
        _action(monde, echeance=timezone.localdate(), statut=S.EN_COURS)
        assert en_retard.en_retard
        assert list(ActionAmelioration.objects.filter(ActionAmelioration.q_en_retard())) == [en_retard]


class TestProgramme:
    url = reverse("qualite:programme")

    @pytest.fixture
    def actions(self, monde):
        return {
            "pole": _action(monde, service=monde.service_a, titre="Action pôle A"),
            "autre_pole": _action(monde, service=monde.service_a2, titre="Action chirurgie"),
            "autre_etab": _action(monde, service=monde.service_b, titre="Action CH B"),
        }

    @pytest.mark.parametrize("role, visibles", [
        ("gestionnaire_risques", {"pole", "autre_pole"}),
        ("direction", {"pole", "autre_pole"}),
        ("relations_usagers", {"pole", "autre_pole"}),
        ("administrateur", {"pole", "autre_pole"}),
        ("cadre_pole", {"pole"}),
    ])
    def test_chaque_role_voit_son_perimetre(self, monde, client_de, actions, role, visibles):
        response = client_de(monde.users[role]).get(self.url)
        assert {a.pk for a in response.context["page"]} == {actions[k].pk for k in visibles}

    def test_la_direction_de_ght_voit_les_deux_etablissements(self, monde, client_de, actions):
        response = client_de(monde.direction_ght).get(self.url)
        assert response.context["page"].paginator.count == 3

    @pytest.mark.parametrize("role", ["declarant", "membre_cdu", "representant_usagers", "bureau_admissions"])
    def test_refuse_les_roles_sans_paqss(self, monde, client_de, role):
        assert client_de(monde.users[role]).get(self.url).status_code == 403

    def test_mauvaise_methode(self, monde, client_de):
        assert client_de(monde.users["gestionnaire_risques"]).post(self.url).status_code == 405

    def test_filtres_et_nombre_de_requetes(self, monde, client_de, django_assert_max_num_queries):
        hier = timezone.localdate() - timedelta(days=1)
        for i in range(40):
            _action(monde, service=monde.service_a if i % 2 else monde.service_a2, echeance=hier if i % 4 == 1 else None,
                    statut=S.EN_COURS, responsable=monde.users["cadre_pole"], origine="audit" if i < 10 else "axe")
        client = client_de(monde.users["gestionnaire_risques"])
        with django_assert_max_num_queries(12):
            response = client.get(self.url)
        assert response.context["page"].paginator.count == 40
        with django_assert_max_num_queries(12):
            response = client.get(self.url, {"service": monde.service_a.pk, "en_retard": "true"})
        assert response.context["page"].paginator.count == 10
        assert client.get(self.url, {"origine": "audit"}).context["page"].paginator.count == 10
        assert client.get(self.url, {"du": hier.isoformat(), "au": hier.isoformat()}).context["page"].paginator.count == 10

    def test_un_filtre_errone_affiche_une_erreur_en_francais_pas_500(self, monde, client_de):
        response = client_de(monde.users["gestionnaire_risques"]).get(self.url, {"du": "pas-une-date", "statut": "x"})
        assert response.status_code == 200
        assert "Saisissez une date valide." in texte(response)

    def test_le_filtre_n_atteint_pas_un_autre_etablissement(self, monde, client_de, actions):
        response = client_de(monde.users["gestionnaire_risques"]).get(self.url, {"etablissement": monde.etab_b.pk})
        assert response.status_code == 200
        assert "Action CH B" not in texte(response)

    def test_l_export_csv_donne_exactement_les_lignes_filtrees_et_est_audite(self, monde, client_de, actions):
        response = client_de(monde.users["gestionnaire_risques"]).get(self.url, {"pole": monde.pole_a.pk, "export": "csv"})
        contenu = b"".join(response.streaming_content).decode("utf-8-sig")
        lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
        assert lignes[0][1] == "Action" and [r[1] for r in lignes[1:]] == ["Action pôle A"]
        entree = AuditEntry.objects.get(action="export")
        assert entree.details["registre"] == "paqss" and entree.details["lignes"] == 1

    def test_export_xlsx(self, monde, client_de, actions):
        response = client_de(monde.users["cadre_pole"]).get(self.url, {"export": "xlsx"})
        ws = load_workbook(io.BytesIO(response.content)).active
        assert [r[1] for r in ws.iter_rows(min_row=2, values_only=True)] == ["Action pôle A"]


class TestFicheAction:
    def test_montre_un_lien_vers_sa_source(self, monde, client_de):
        source = _action(monde, titre="Action mère")
        a = services.action_creer(titre="Fille", origine="axe", source=source, etablissement_id=monde.etab_a.pk, par=None)
        response = client_de(monde.users["direction"]).get(reverse("qualite:action_detail", args=[a.pk]))
        assert f'href="{source.get_absolute_url()}"' in texte(response)
        assert "form" not in response.context  # direction reads, does not edit

    def test_une_source_sans_page_montre_son_nom(self, monde, client_de):
        a = services.action_creer(titre="Fille", origine="axe", source=monde.pole_a, etablissement_id=monde.etab_a.pk, par=None)
        response = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:action_detail", args=[a.pk]))
        assert "Pôle médecine A" in texte(response)

    def test_un_autre_etablissement_donne_404(self, monde, client_de):
        a = _action(monde, service=monde.service_b)
        assert client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:action_detail", args=[a.pk])).status_code == 404

    def test_un_autre_pole_donne_404_au_cadre(self, monde, client_de):
        a = _action(monde, service=monde.service_a2)
        assert client_de(monde.users["cadre_pole"]).get(reverse("qualite:action_detail", args=[a.pk])).status_code == 404

    def test_le_declarant_recoit_403(self, monde, client_de):
        a = _action(monde)
        assert client_de(monde.users["declarant"]).get(reverse("qualite:action_detail", args=[a.pk])).status_code == 403

    def _donnees(self, monde, **kw):
        d = {"titre": "Former les équipes", "description": "", "pole": monde.pole_a.pk, "service": monde.service_a.pk,
             "responsable": monde.users["cadre_pole"].pk, "echeance": "2030-06-30", "priorite": "haute",
             "avancement": "30", "preuves": "", "verification_efficacite": "", "efficace": "", "verifiee_le": ""}
        d.update(kw)
        return d

    def test_le_gestionnaire_modifie_et_c_est_audite(self, monde, client_de):
        a = _action(monde)
        response = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("qualite:action_modifier", args=[a.pk]), self._donnees(monde))
        assert response.status_code == 302
        a.refresh_from_db()
        assert (a.titre, a.priorite, a.avancement, a.echeance) == ("Former les équipes", "haute", 30, date(2030, 6, 30))
        assert AuditEntry.objects.filter(action="modification", object_id=str(a.pk)).exists()
        assert Echeance.objects.filter(object_id=a.pk, regle__code="paqss-action-echeance").exists()

    @pytest.mark.parametrize("champ, valeur, message", [
        ("avancement", "150", "va de 0 à 100 %"),
        ("echeance", "31/02/2030", "Saisissez une date valide."),
        ("titre", "", "Ce champ est obligatoire."),
        ("service", "SERVICE_B", "Sélectionnez un choix valide"),
        ("efficace", "true", "action réalisée"),
    ])
    def test_saisie_erronee_erreur_pres_du_champ_et_rien_enregistre(self, monde, client_de, champ, valeur, message):
        a = _action(monde, titre="Inchangée")
        if valeur == "SERVICE_B":
            valeur = monde.service_b.pk
        donnees = self._donnees(monde, **{champ: valeur})
        if champ == "efficace":
            donnees["verifiee_le"] = timezone.localdate().isoformat()
        response = client_de(monde.users["gestionnaire_risques"]).post(reverse("qualite:action_modifier", args=[a.pk]), donnees)
        assert response.status_code == 200
        assert message in " ".join(response.context["form"].errors[champ])
        assert "Rien n'a été enregistré" in texte(response)
        a.refresh_from_db()
        assert a.titre == "Inchangée"

    def test_un_service_d_un_autre_pole_est_refuse(self, monde, client_de):
        a = _action(monde)
        response = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("qualite:action_modifier", args=[a.pk]), self._donnees(monde, service=monde.service_a2.pk))
        assert "n'appartient pas au pôle" in response.context["form"].errors["service"][0]

    @pytest.mark.parametrize("role", ["direction", "cadre_pole", "relations_usagers"])
    def test_les_lecteurs_ne_peuvent_pas_modifier(self, monde, client_de, role):
        a = _action(monde)
        client = client_de(monde.users[role])
        assert client.post(reverse("qualite:action_modifier", args=[a.pk]), self._donnees(monde)).status_code == 403
        assert client.post(reverse("qualite:action_statut", args=[a.pk]), {"vers": "en_cours"}).status_code == 403

    def test_le_gestionnaire_d_un_autre_etablissement_recoit_404(self, monde, client_de):
        a = _action(monde)
        assert client_de(monde.user_b).post(reverse("qualite:action_statut", args=[a.pk]), {"vers": "en_cours"}).status_code == 404

    def test_mauvaises_methodes(self, monde, client_de):
        a = _action(monde)
        client = client_de(monde.users["gestionnaire_risques"])
        assert client.get(reverse("qualite:action_modifier", args=[a.pk])).status_code == 405
        assert client.get(reverse("qualite:action_statut", args=[a.pk])).status_code == 405
        assert client.post(reverse("qualite:action_detail", args=[a.pk])).status_code == 405

    def test_changements_de_statut_et_abandon_avec_motif(self, monde, client_de):
        a = _action(monde)
        client = client_de(monde.users["gestionnaire_risques"])
        url = reverse("qualite:action_statut", args=[a.pk])
        response = client.post(url, {"vers": "abandonnee", "motif": ""})
        assert response.status_code == 200 and "motif de l'abandon" in response.context["statut_form"].errors["motif"][0]
        assert client.post(url, {"vers": "realisee"}).status_code == 200  # not offered from "à planifier"
        assert client.post(url, {"vers": "en_cours"}).status_code == 302
        a.refresh_from_db()
        assert a.statut == S.EN_COURS


class TestPlanPole:
    def test_comptes_par_statut_et_graphique(self, monde, client_de, django_assert_max_num_queries):
        hier = timezone.localdate() - timedelta(days=1)
        _action(monde, statut=S.EN_COURS, echeance=hier)
        _action(monde, statut=S.EN_COURS)
        _action(monde, statut=S.REALISEE)
        _action(monde, service=monde.service_a2)
        client = client_de(monde.users["cadre_pole"])
        with django_assert_max_num_queries(10):
            response = client.get(reverse("qualite:plan_pole", args=[monde.pole_a.pk]))
        c = response.context["comptes"]
        assert (c["total"], c["en_cours"], c["realisee"], c["a_planifier"], c["en_retard"]) == (3, 2, 1, 0, 1)
        assert "<svg" in texte(response) and "En cours : 2" in texte(response)

    def test_mon_pole_redirige_le_cadre(self, monde, client_de):
        response = client_de(monde.users["cadre_pole"]).get(reverse("qualite:mon_pole"))
        assert response.url == reverse("qualite:plan_pole", args=[monde.pole_a.pk])

    def test_le_cadre_ne_peut_pas_ouvrir_un_autre_pole(self, monde, client_de):
        assert client_de(monde.users["cadre_pole"]).get(reverse("qualite:plan_pole", args=[monde.pole_a2.pk])).status_code == 404

    def test_un_autre_etablissement_donne_404(self, monde, client_de):
        assert client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:plan_pole", args=[monde.pole_b.pk])).status_code == 404

    def test_le_declarant_recoit_403(self, monde, client_de):
        assert client_de(monde.users["declarant"]).get(reverse("qualite:plan_pole", args=[monde.pole_a.pk])).status_code == 403

    def test_mauvaise_methode(self, monde, client_de):
        assert client_de(monde.users["direction"]).post(reverse("qualite:plan_pole", args=[monde.pole_a.pk])).status_code == 405
