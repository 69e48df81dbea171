"""Certification pages: référentiel, criterion self-assessment, evaluations and their actions, registers, indicators."""

from datetime import date

import pytest
from django.urls import reverse

from certification.models import EPP, Audit, Autoevaluation, EnqueteSatisfaction, Evaluation, Processus
from certification.tests.factories import CritereFactory, EvaluationFactory, IndicateurFactory, ValeurFactory
from conftest import texte
from qualite.echeances.models import Echeance
from qualite.organisation.models import AuditEntry
from qualite.organisation.tests.factories import ActionFactory
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db


@pytest.fixture
def critere(db):
    return CritereFactory()


class TestReferentiel:
    def test_liste_les_criteres_actifs(self, monde, client_de, critere, django_assert_max_num_queries):
        CritereFactory.create_batch(20, referentiel=critere.referentiel)
        client = client_de(monde.users["cadre_pole"])
        with django_assert_max_num_queries(8):
            response = client.get(reverse("certification:referentiel"))
        assert len(response.context["criteres"]) == 21 and critere.code in texte(response)

    def test_signale_quand_rien_n_est_importe(self, monde, client_de):
        assert "Aucun référentiel actif" in texte(client_de(monde.users["direction"]).get(reverse("certification:referentiel")))

    @pytest.mark.parametrize("role", ["declarant", "membre_cdu", "relations_usagers"])
    def test_refuse_les_autres_roles(self, monde, client_de, role):
        assert client_de(monde.users[role]).get(reverse("certification:referentiel")).status_code == 403

    def test_mauvaise_methode(self, monde, client_de):
        assert client_de(monde.users["direction"]).post(reverse("certification:referentiel")).status_code == 405


class TestAutoevaluation:
    def _post(self, client, critere, **kw):
        data = {"etablissement": kw.pop("etablissement"), "niveau": "partiel", "commentaire": "En cours"}
        data.update(kw)
        return client.post(reverse("certification:critere", args=[critere.pk]), data)

    def test_le_gestionnaire_enregistre_niveau_et_preuve(self, monde, client_de, critere):
        action = ActionFactory(service=monde.service_a, titre="Audit douleur refait")
        ev = EvaluationFactory(service=monde.service_a)
        client = client_de(monde.users["gestionnaire_risques"])
        response = self._post(client, critere, etablissement=monde.etab_a.pk, actions=[action.pk], evaluations=[ev.pk])
        assert response.status_code == 302
        auto = Autoevaluation.objects.get()
        assert auto.niveau == "partiel" and list(auto.actions.all()) == [action]
        assert AuditEntry.objects.filter(action="modification", object_id=str(auto.pk)).exists()
        page = texte(client.get(reverse("certification:critere", args=[critere.pk])))
        assert "Audit douleur refait" in page and "Partiellement atteint" in page

    def test_un_second_envoi_met_a_jour_le_meme_enregistrement(self, monde, client_de, critere):
        client = client_de(monde.users["gestionnaire_risques"])
        self._post(client, critere, etablissement=monde.etab_a.pk)
        self._post(client, critere, etablissement=monde.etab_a.pk, niveau="atteint")
        assert list(Autoevaluation.objects.values_list("niveau", flat=True)) == ["atteint"]

    def test_une_preuve_d_un_autre_etablissement_est_refusee(self, monde, client_de, critere):
        autre = ActionFactory(service=monde.service_b)
        response = self._post(client_de(monde.direction_ght), critere, etablissement=monde.etab_a.pk, actions=[autre.pk])
        assert response.status_code == 403  # direction reads only
        response = self._post(client_de(monde.users["gestionnaire_risques"]), critere, etablissement=monde.etab_a.pk,
                              actions=[autre.pk])
        assert response.status_code == 200 and response.context["form"].errors["actions"]
        assert Autoevaluation.objects.count() == 0

    def test_un_mauvais_niveau_est_signale_pres_du_champ(self, monde, client_de, critere):
        response = self._post(client_de(monde.users["gestionnaire_risques"]), critere, etablissement=monde.etab_a.pk,
                              niveau="parfait")
        assert "Sélectionnez un choix valide" in response.context["form"].errors["niveau"][0]
        assert "Rien n'a été enregistré" in texte(response)
        assert Autoevaluation.objects.count() == 0

    def test_un_autre_etablissement_est_refuse(self, monde, client_de, critere):
        response = self._post(client_de(monde.users["gestionnaire_risques"]), critere, etablissement=monde.etab_b.pk)
        assert response.context["form"].errors["etablissement"]
        assert Autoevaluation.objects.count() == 0

    def test_le_lecteur_ne_voit_que_son_etablissement(self, monde, client_de, critere):
        Autoevaluation.objects.create(critere=critere, etablissement=monde.etab_b, commentaire="Secret B")
        page = texte(client_de(monde.users["direction"]).get(reverse("certification:critere", args=[critere.pk])))
        assert "Secret B" not in page

    def test_critere_inconnu_en_404_et_declarant_en_403(self, monde, client_de):
        assert client_de(monde.users["direction"]).get(reverse("certification:critere", args=[999])).status_code == 404
        assert client_de(monde.users["declarant"]).get(reverse("certification:critere", args=[999])).status_code == 403

    def test_mauvaise_methode(self, monde, client_de, critere):
        assert client_de(monde.users["direction"]).put(reverse("certification:critere", args=[critere.pk])).status_code == 405


class TestEvaluations:
    url = reverse("certification:evaluations")

    def _donnees(self, monde, critere, **kw):
        d = {"methode": "patient_traceur", "date": "2026-10-12", "etablissement": monde.etab_a.pk,
             "service": monde.service_a.pk, "evaluateurs": "IDE\nMédecin", "criteres": [critere.pk],
             "constats": "Consentement non tracé."}
        d.update(kw)
        return d

    def test_le_gestionnaire_cree_une_evaluation(self, monde, client_de, critere):
        response = client_de(monde.users["gestionnaire_risques"]).post(self.url, self._donnees(monde, critere))
        ev = Evaluation.objects.get()
        assert response.url == reverse("certification:evaluation", args=[ev.pk])
        assert list(ev.criteres.all()) == [critere] and ev.created_by == monde.users["gestionnaire_risques"]

    @pytest.mark.parametrize("champ, valeur, message", [
        ("methode", "sondage", "Sélectionnez un choix valide"),
        ("date", "hier", "Saisissez une date valide"),
        ("evaluateurs", "", "Ce champ est obligatoire"),
    ])
    def test_une_saisie_erronee_n_enregistre_rien(self, monde, client_de, critere, champ, valeur, message):
        response = client_de(monde.users["gestionnaire_risques"]).post(self.url, self._donnees(monde, critere, **{champ: valeur}))
        assert response.status_code == 200 and message in response.context["form"].errors[champ][0]
        assert Evaluation.objects.count() == 0

    def test_un_service_d_un_autre_etablissement_est_refuse(self, monde, client_de, critere):
        response = client_de(monde.direction_ght).get(self.url)
        assert response.status_code == 200
        response = client_de(monde.users["gestionnaire_risques"]).post(
            self.url, self._donnees(monde, critere, service=monde.service_b.pk))
        assert response.context["form"].errors["service"]
        assert Evaluation.objects.count() == 0

    def test_les_lecteurs_ne_peuvent_pas_creer(self, monde, client_de, critere):
        assert client_de(monde.users["direction"]).post(self.url, self._donnees(monde, critere)).status_code == 403

    def test_liste_limitee_au_perimetre_et_nombre_de_requetes_fixe(self, monde, client_de, django_assert_max_num_queries):
        for _ in range(15):
            EvaluationFactory(service=monde.service_a)
        EvaluationFactory(service=monde.service_a2)
        EvaluationFactory(service=monde.service_b)
        client = client_de(monde.users["direction"])
        with django_assert_max_num_queries(8):
            response = client.get(self.url)
        assert response.context["page"].paginator.count == 16
        assert client_de(monde.users["cadre_pole"]).get(self.url).context["page"].paginator.count == 15

    def test_mauvaise_methode(self, monde, client_de):
        assert client_de(monde.users["direction"]).delete(self.url).status_code == 405


class TestActionDepuisConstat:
    def test_l_action_apparait_des_deux_cotes(self, monde, client_de):
        ev = EvaluationFactory(service=monde.service_a)
        client = client_de(monde.users["gestionnaire_risques"])
        response = client.post(reverse("certification:evaluation_action", args=[ev.pk]),
                               {"titre": "Tracer le consentement", "echeance": "2030-03-31"})
        assert response.status_code == 302
        action = ActionAmelioration.objects.get()
        assert (action.origine, action.source, action.pole_id) == ("evaluation", ev, monde.pole_a.pk)
        assert Echeance.objects.filter(object_id=action.pk, regle__code="paqss-action-echeance").exists()
        assert "Tracer le consentement" in texte(client.get(reverse("certification:evaluation", args=[ev.pk])))
        page = texte(client.get(reverse("qualite:action_detail", args=[action.pk])))
        assert f'href="{ev.get_absolute_url()}"' in page

    def test_un_titre_vide_n_enregistre_rien(self, monde, client_de):
        ev = EvaluationFactory(service=monde.service_a)
        response = client_de(monde.users["gestionnaire_risques"]).post(
            reverse("certification:evaluation_action", args=[ev.pk]), {"titre": "", "echeance": "31/31/2030"})
        assert response.status_code == 200
        assert response.context["action_form"].errors.keys() == {"titre", "echeance"}
        assert ActionAmelioration.objects.count() == 0

    def test_un_autre_etablissement_donne_404(self, monde, client_de):
        ev = EvaluationFactory(service=monde.service_b)
        client = client_de(monde.users["gestionnaire_risques"])
        assert client.get(reverse("certification:evaluation", args=[ev.pk])).status_code == 404
        assert client.post(reverse("certification:evaluation_action", args=[ev.pk]), {"titre": "x"}).status_code == 404

    def test_le_cadre_ne_lit_que_son_pole_et_ne_peut_pas_ajouter(self, monde, client_de):
        ev = EvaluationFactory(service=monde.service_a)
        autre = EvaluationFactory(service=monde.service_a2)
        client = client_de(monde.users["cadre_pole"])
        assert client.get(reverse("certification:evaluation", args=[ev.pk])).status_code == 200
        assert client.get(reverse("certification:evaluation", args=[autre.pk])).status_code == 404
        assert client.post(reverse("certification:evaluation_action", args=[ev.pk]), {"titre": "x"}).status_code == 403

    def test_mauvaise_methode(self, monde, client_de):
        ev = EvaluationFactory(service=monde.service_a)
        client = client_de(monde.users["gestionnaire_risques"])
        assert client.get(reverse("certification:evaluation_action", args=[ev.pk])).status_code == 405
        assert client.post(reverse("certification:evaluation", args=[ev.pk])).status_code == 405


class TestRegistres:
    def test_liste_chaque_registre_dans_le_perimetre(self, monde, client_de, django_assert_max_num_queries):
        Audit.objects.create(titre="Audit dossier patient", date=date(2026, 3, 1), etablissement=monde.etab_a)
        Audit.objects.create(titre="Audit CH B", date=date(2026, 3, 1), etablissement=monde.etab_b)
        EPP.objects.create(theme="Pertinence des transfusions", pilotes="Dr X", etablissement=monde.etab_a)
        Processus.objects.create(nom="Parcours patient", etablissement=monde.etab_a,
                                 pilote_medical=monde.users["psychiatre"], pilote_soignant=monde.users["cadre_pole"])
        EnqueteSatisfaction.objects.create(type="esatis", titre="e-Satis MCO 48h", etablissement=monde.etab_a,
                                           periode_debut=date(2026, 1, 1), periode_fin=date(2026, 6, 30), reponses=12, score=71)
        client = client_de(monde.users["direction"])
        with django_assert_max_num_queries(8):
            page = texte(client.get(reverse("certification:registres")))
        assert "Audit dossier patient" in page and "Audit CH B" not in page
        assert "Pertinence des transfusions" in page and "Parcours patient" in page
        assert "moins de 30 réponses" in page

    def test_refuse_les_autres_roles_et_methodes(self, monde, client_de):
        assert client_de(monde.users["membre_cdu"]).get(reverse("certification:registres")).status_code == 403
        assert client_de(monde.users["direction"]).post(reverse("certification:registres")).status_code == 405


class TestIndicateurs:
    def test_courbe_face_a_la_cible_pour_ses_etablissements(self, monde, client_de):
        ind = IndicateurFactory(libelle="Hygiène des mains (ICSHA)", cible=80)
        ValeurFactory(indicateur=ind, etablissement=monde.etab_a, periode=date(2025, 1, 1), valeur=70)
        ValeurFactory(indicateur=ind, etablissement=monde.etab_a, periode=date(2026, 1, 1), valeur=85)
        ValeurFactory(indicateur=ind, etablissement=monde.etab_b, periode=date(2026, 1, 1), valeur=12)
        client = client_de(monde.users["gestionnaire_risques"])
        assert "Hygiène des mains" in texte(client.get(reverse("certification:indicateurs")))
        page = texte(client.get(reverse("certification:indicateur", args=[ind.pk])))
        assert 'class="cible"' in page and "01/2026 : 85" in page and "CH B" not in page
        assert ind.atteint(85) and not ind.atteint(70)

    def test_valeurs_de_service_en_courbe_propre_et_cadre_limite_a_son_pole(self, monde, client_de):
        ind = IndicateurFactory()
        ValeurFactory(indicateur=ind, etablissement=monde.etab_a, service=monde.service_a, valeur=60)
        ValeurFactory(indicateur=ind, etablissement=monde.etab_a, service=monde.service_a2, valeur=61)
        url = reverse("certification:indicateur", args=[ind.pk])
        noms = [g["etablissement"] for g in client_de(monde.users["cadre_pole"]).get(url).context["graphes"]]
        assert noms == ["CH A — Cardiologie A"]
        noms = [g["etablissement"] for g in client_de(monde.users["direction"]).get(url).context["graphes"]]
        assert noms == ["CH A — Cardiologie A", "CH A — Orthopédie A"]

    def test_inconnu_en_404_et_declarant_en_403(self, monde, client_de):
        assert client_de(monde.users["direction"]).get(reverse("certification:indicateur", args=[999])).status_code == 404
        assert client_de(monde.users["declarant"]).get(reverse("certification:indicateurs")).status_code == 403


class TestSaisieIndicateur:
    def _post(self, client, ind, **kw):
        return client.post(reverse("certification:indicateur", args=[ind.pk]), kw)

    def test_le_gestionnaire_saisit_une_valeur_par_periode(self, monde, client_de):
        ind = IndicateurFactory()
        client = client_de(monde.users["gestionnaire_risques"])
        assert self._post(client, ind, etablissement=monde.etab_a.pk, periode="2026-01-01", valeur="82.5").status_code == 302
        response = self._post(client, ind, etablissement=monde.etab_a.pk, periode="2026-01-01", valeur="90")
        assert "existe déjà" in response.context["form"].errors["periode"][0]
        assert list(ind.valeurs.values_list("valeur", flat=True)) == [82.5]

    def test_le_cadre_doit_choisir_un_service_de_son_pole(self, monde, client_de):
        ind = IndicateurFactory()
        client = client_de(monde.users["cadre_pole"])
        response = self._post(client, ind, etablissement=monde.etab_a.pk, periode="2026-01-01", valeur="1")
        assert response.context["form"].errors["service"]
        response = self._post(client, ind, etablissement=monde.etab_a.pk, service=monde.service_a2.pk,
                              periode="2026-01-01", valeur="1")
        assert response.context["form"].errors["service"]
        assert self._post(client, ind, etablissement=monde.etab_a.pk, service=monde.service_a.pk,
                          periode="2026-01-01", valeur="1").status_code == 302

    def test_valeur_erronee_et_autre_etablissement_n_enregistrent_rien(self, monde, client_de):
        ind = IndicateurFactory()
        client = client_de(monde.users["gestionnaire_risques"])
        response = self._post(client, ind, etablissement=monde.etab_b.pk, periode="2026-13-01", valeur="beaucoup")
        assert set(response.context["form"].errors) == {"etablissement", "periode", "valeur"}
        assert ind.valeurs.count() == 0

    def test_la_direction_lit_mais_ne_peut_pas_saisir(self, monde, client_de):
        ind = IndicateurFactory()
        client = client_de(monde.users["direction"])
        assert client.get(reverse("certification:indicateur", args=[ind.pk])).context["form"] is None
        assert self._post(client, ind, etablissement=monde.etab_a.pk, periode="2026-01-01", valeur="1").status_code == 403
