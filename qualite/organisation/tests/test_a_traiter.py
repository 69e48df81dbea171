"""« À traiter »: each source shows what awaits this user, in their scope only, most urgent first, with counts."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from evenements import services as services_evenements
from evenements.models import DeclarationARS, Statut
from evenements.tests.factories import EvenementFactory
from qualite.organisation import a_traiter
from qualite.organisation.tests.factories import UtilisateurFactory
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _references(user, code=None):
    lignes, _ = a_traiter.boite(user)
    return [li.element.reference for li in lignes if code is None or li.source.code == code]


def _reclamation(monde, recue_le=None, **kw):
    from usagers.relations import services

    donnees = {"etablissement": monde.etab_a, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
               "auteur_nom": "Robert Lenoir", "lien_patient": "fils", "patient_nom": "Paulette Lenoir",
               "objet": "Attente aux urgences.", "recue_le": recue_le or timezone.localdate() - timedelta(days=3)}
    donnees.update(kw)
    return services.reclamation_enregistrer(par=monde.users["relations_usagers"], donnees=donnees,
                                            services=[kw.get("service", monde.service_a)])


class TestEvenementsAQualifier:
    def test_le_gestionnaire_voit_les_declares_de_son_etablissement_seulement(self, monde):
        a = EvenementFactory(service=monde.service_a)
        b = EvenementFactory(service=monde.service_b)
        qualifie = EvenementFactory(service=monde.service_a, statut=Statut.PRIS_EN_CHARGE)
        refs = _references(monde.users["gestionnaire_risques"], "ei-qualifier")
        assert refs == [a.reference]
        assert b.reference not in refs and qualifie.reference not in refs
        assert _references(monde.user_b, "ei-qualifier") == [b.reference]

    def test_ni_le_declarant_ni_le_cadre_ni_la_cdu_n_ont_cette_source(self, monde):
        EvenementFactory(service=monde.service_a, created_by=monde.users["declarant"])
        for role in ("declarant", "cadre_pole", "membre_cdu", "representant_usagers", "direction"):
            assert _references(monde.users[role], "ei-qualifier") == [], role

    def test_la_plus_grave_estimee_d_abord(self, monde):
        leger = EvenementFactory(service=monde.service_a, gravite_estimee=1)
        grave = EvenementFactory(service=monde.service_a, gravite_estimee=4)
        assert _references(monde.users["gestionnaire_risques"], "ei-qualifier") == [grave.reference, leger.reference]

    def test_echeance_objectif_interne_de_la_table_des_regles(self, monde):
        from qualite.echeances.models import RegleEcheance

        ev = EvenementFactory(service=monde.service_a)
        ev.__class__.objects.filter(pk=ev.pk).update(created_at=timezone.now() - timedelta(days=10))
        recent = EvenementFactory(service=monde.service_a)
        lignes, _ = a_traiter.boite(monde.users["gestionnaire_risques"])
        assert [(li.element.reference, li.statut) for li in lignes] == [(ev.reference, "en_retard"),
                                                                        (recent.reference, "a_venir")]
        assert timezone.localtime(lignes[1].echeance).date() == timezone.localdate() + timedelta(days=7)
        RegleEcheance.objects.filter(code="ei-qualification").update(delai=timedelta(days=15))
        lignes, _ = a_traiter.boite(monde.users["gestionnaire_risques"])
        assert [li.statut for li in lignes] == ["a_venir", "a_venir"]

    def test_le_bouton_mene_au_formulaire_de_qualification(self, monde, client_de):
        ev = EvenementFactory(service=monde.service_a)
        page = texte(client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:accueil")))
        assert f'href="{reverse("evenements:detail", args=[ev.pk])}#t-qualif"' in page
        assert "Qualifier l'évènement" in page


class TestEIGSEtAnalyses:
    def _eigs(self, monde, service=None):
        ev = EvenementFactory(service=service or monde.service_a)
        services_evenements.evenement_qualifier(
            evenement=ev, par=monde.users["gestionnaire_risques"],
            donnees={"gravite": 5, "vraisemblance": 2, "inattendu": True, "deces": True, "est_eigs": True})
        return ev

    def test_partie_1_due_sans_delai_puis_partie_2_dans_sa_fenetre(self, monde):
        ev = self._eigs(monde)
        gestionnaire = monde.users["gestionnaire_risques"]
        assert _references(gestionnaire, "ei-ars-partie1") == [ev.reference]
        lignes, _ = a_traiter.boite(gestionnaire)
        ligne = next(li for li in lignes if li.source.code == "ei-ars-partie1")
        assert ligne.statut == "en_retard"  # « sans délai »: due from the qualification
        declaration = DeclarationARS.objects.get(evenement=ev)
        envoi = timezone.now() - timedelta(days=80)
        ev.__class__.objects.filter(pk=ev.pk).update(survenu_le=envoi - timedelta(days=1))
        services_evenements.declaration_ars_enregistrer(declaration=declaration, par=gestionnaire,
                                                        donnees={"partie1_envoyee_le": envoi})
        assert _references(gestionnaire, "ei-ars-partie1") == []
        # Part 2 is due 3 months after part 1: 80 days later it has entered its 15-day alert window.
        assert _references(gestionnaire, "ei-ars-partie2") == [ev.reference]
        assert _references(monde.user_b, "ei-ars-partie2") == []

    def test_analyse_due_pour_un_eigs_et_plus_apres_l_analyse_terminee(self, monde):
        ev = self._eigs(monde)
        gestionnaire = monde.users["gestionnaire_risques"]
        assert _references(gestionnaire, "ei-analyses") == [ev.reference]
        services_evenements.analyse_enregistrer(
            evenement=ev, par=gestionnaire, donnees={"date": timezone.localdate(), "participants": "IDE",
                                                    "terminee": True}, facteurs=[])
        assert _references(gestionnaire, "ei-analyses") == []


class TestActionsEtReclamations:
    def test_actions_dues_du_responsable_et_sans_responsable_pour_qui_gere(self, monde):
        gestionnaire, cadre = monde.users["gestionnaire_risques"], monde.users["cadre_pole"]
        jour = timezone.localdate()
        commun = {"origine": "axe", "etablissement": monde.etab_a}
        a_moi = ActionAmelioration.objects.create(titre="Former au protocole", responsable=cadre, pole=monde.pole_a,
                                                  echeance=jour + timedelta(days=3), **commun)
        orpheline = ActionAmelioration.objects.create(titre="Réviser la check-list", echeance=jour - timedelta(days=2),
                                                      **commun)
        lointaine = ActionAmelioration.objects.create(titre="Audit annuel", responsable=cadre, pole=monde.pole_a,
                                                      echeance=jour + timedelta(days=90), **commun)
        ActionAmelioration.objects.create(titre="Autre établissement", echeance=jour, origine="axe",
                                          etablissement=monde.etab_b)
        assert _references(cadre, "paqss-actions") == [f"Action n° {a_moi.pk}"]
        assert _references(gestionnaire, "paqss-actions") == [f"Action n° {orpheline.pk}"]
        assert f"Action n° {lointaine.pk}" not in _references(cadre)

    def test_etapes_de_reclamation_et_demandes_de_dossier_pour_les_relations_usagers(self, monde):
        from usagers.relations import services

        rec = _reclamation(monde)
        demande = services.demande_enregistrer(par=monde.users["relations_usagers"], donnees={
            "etablissement": monde.etab_a, "patient_nom": "Jeanne Roux", "patient_naissance": date(1950, 1, 1),
            "demandeur_type": "patient", "demandeur_nom": "Jeanne Roux",
            "recue_le": timezone.now() - timedelta(days=2), "informations_du": date(2025, 6, 1),
            "identite_verifiee": True, "qualite_verifiee": True})
        relations = monde.users["relations_usagers"]
        assert rec.reference in _references(relations, "reclamations-etapes")
        assert _references(relations, "dossiers-demandes") == [demande.reference]
        for role in ("gestionnaire_risques", "membre_cdu", "representant_usagers", "declarant"):
            assert _references(monde.users[role]) == [], role

    def test_un_compte_a_deux_roles_voit_l_union(self, monde):
        ev = EvenementFactory(service=monde.service_a)
        rec = _reclamation(monde)
        double = UtilisateurFactory(username="double", roles=["gestionnaire_risques", "relations_usagers"],
                                    etablissements=[monde.etab_a])
        refs = _references(double)
        assert ev.reference in refs and rec.reference in refs


class TestOrdreEtCompteurs:
    def test_les_plus_urgents_d_abord_puis_ceux_sans_delai(self, monde):
        double = UtilisateurFactory(username="double", roles=["gestionnaire_risques", "relations_usagers"],
                                    etablissements=[monde.etab_a])
        ev = EvenementFactory(service=monde.service_a, statut=Statut.PRIS_EN_CHARGE, gravite=3, vraisemblance=2)
        # its in-depth analysis has no deadline: last
        recente = _reclamation(monde, recue_le=timezone.localdate())
        ancienne = _reclamation(monde, recue_le=timezone.localdate() - timedelta(days=20))
        lignes, _ = a_traiter.boite(double)
        echeances = [li.echeance for li in lignes if li.echeance]
        assert echeances == sorted(echeances)
        refs = [li.element.reference for li in lignes]
        assert refs.index(ancienne.reference) < refs.index(recente.reference)
        assert refs[-1] == ev.reference and lignes[-1].statut is None
        assert lignes[0].statut == "en_retard"  # the acknowledgment of 20 days ago (8-day target)

    def test_compteurs_par_source_et_dans_le_menu(self, monde, client_de):
        gestionnaire = monde.users["gestionnaire_risques"]
        for _ in range(3):
            EvenementFactory(service=monde.service_a)
        EvenementFactory(service=monde.service_b)
        assert a_traiter.compteurs(gestionnaire)["ei-qualifier"] == 3
        reponse = client_de(gestionnaire).get(reverse("evenements:liste"))
        assert 'data-compteur="menu-a-traiter">3<' in reponse.content.decode()
        accueil = client_de(gestionnaire).get(reverse("qualite:accueil")).content.decode()
        assert 'data-compteur="a_traiter">3<' in accueil and 'data-compteur="menu-a-traiter">3<' in accueil

    def test_les_lignes_sont_bornees_le_compte_non(self, monde, settings):
        gestionnaire = monde.users["gestionnaire_risques"]
        for _ in range(a_traiter.LIMITE_PAR_SOURCE + 2):
            EvenementFactory(service=monde.service_a)
        lignes, sources = a_traiter.boite(gestionnaire)
        source = next(s for s in sources if s["code"] == "ei-qualifier")
        assert source["nombre"] == a_traiter.LIMITE_PAR_SOURCE + 2
        assert len([li for li in lignes if li.source.code == "ei-qualifier"]) == a_traiter.LIMITE_PAR_SOURCE

    @pytest.mark.parametrize("n", [1, 15])
    def test_nombre_de_requetes_de_la_page_fixe(self, monde, client_de, django_assert_max_num_queries, n):
        double = UtilisateurFactory(username="double", roles=["gestionnaire_risques", "relations_usagers"],
                                    etablissements=[monde.etab_a])
        for i in range(n):
            EvenementFactory(service=monde.service_a)
            _reclamation(monde, recue_le=timezone.localdate() - timedelta(days=i))
            ActionAmelioration.objects.create(titre=f"Action {i}", origine="axe", etablissement=monde.etab_a,
                                              echeance=timezone.localdate())
        client = client_de(double)
        with django_assert_max_num_queries(20):
            reponse = client.get(reverse("qualite:accueil"))
        assert reponse.status_code == 200

    def test_anonyme_renvoye_a_la_connexion(self, client):
        assert client.get(reverse("qualite:accueil")).status_code == 302


def test_aucun_element_message_clair(monde, client_de):
    page = texte(client_de(monde.users["declarant"]).get(reverse("qualite:accueil")))
    assert "Rien n'attend votre action pour le moment." in page
