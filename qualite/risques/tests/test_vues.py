"""Pages of the risk map: scope, permissions, forms, pinned query counts."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import texte
from qualite.organisation.models import AuditEntry
from qualite.paqss.models import ActionAmelioration
from qualite.risques import services
from qualite.risques.models import Cotation, Risque, RisqueAction
from qualite.risques.tests.factories import FamilleFactory, RisqueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


def _risque(monde, etab=None, **kw):
    r = RisqueFactory(etablissement=etab or monde.etab_a, **kw)
    services.risque_coter(risque=r, par=None, frequence=3, gravite=4, maitrise=2, date=date(2026, 1, 5))
    return r


class TestPerimetre:
    def test_le_risque_d_un_autre_etablissement_est_introuvable(self, monde, client_de, gestionnaire):
        autre = _risque(monde, monde.etab_b, titre="Risque de B")
        client = client_de(gestionnaire)
        for nom in ("risques:detail", "risques:modifier", "risques:coter"):
            response = client.get(reverse(nom, args=[autre.pk]))
            assert response.status_code == 404 and "Page introuvable" in texte(response), nom
        assert client.post(reverse("risques:action_ajouter", args=[autre.pk]), {"titre": "X"}).status_code == 404
        assert "Risque de B" not in texte(client.get(reverse("risques:liste")))
        assert "Risque de B" not in texte(client.get(reverse("risques:carte")))

    @pytest.mark.parametrize("role", ["declarant", "cadre_pole", "membre_cdu", "relations_usagers"])
    def test_les_roles_sans_la_permission_sont_refuses(self, monde, client_de, role):
        r = _risque(monde)
        client = client_de(monde.users[role])
        for url in (reverse("risques:liste"), reverse("risques:carte"), reverse("risques:detail", args=[r.pk])):
            assert client.get(url).status_code == 403

    def test_la_direction_lit_sans_modifier(self, monde, client_de):
        r = _risque(monde, titre="Risque lu")
        client = client_de(monde.users["direction"])
        page = texte(client.get(reverse("risques:detail", args=[r.pk])))
        assert "Risque lu" in page and "Nouvelle cotation" not in page
        assert client.get(reverse("risques:coter", args=[r.pk])).status_code == 403
        assert client.get(reverse("risques:nouveau")).status_code == 403

    def test_mauvaise_methode(self, monde, client_de, gestionnaire):
        r = _risque(monde)
        client = client_de(gestionnaire)
        assert client.get(reverse("risques:action_ajouter", args=[r.pk])).status_code == 405
        assert client.delete(reverse("risques:detail", args=[r.pk])).status_code == 405


class TestRegistre:
    def test_nombre_de_requetes_fixe_et_filtres(self, monde, client_de, gestionnaire, django_assert_max_num_queries):
        famille = FamilleFactory(etablissement=monde.etab_a, libelle="Chutes")
        for i in range(30):
            r = RisqueFactory(etablissement=monde.etab_a, **({"famille": famille} if i % 3 == 0 else {}),
                              pole=monde.pole_a if i % 2 else None, pilote=gestionnaire)
            services.risque_coter(risque=r, par=gestionnaire, frequence=1 + i % 5, gravite=2, maitrise=1,
                                  date=date(2026, 1, 5))
        client = client_de(gestionnaire)
        with django_assert_max_num_queries(11):
            response = client.get(reverse("risques:liste"))
        assert response.status_code == 200 and response.context["page"].paginator.count == 30
        with django_assert_max_num_queries(13):  # the filter form checks its choices
            response = client.get(reverse("risques:liste"), {"famille": famille.pk, "pole": monde.pole_a.pk})
        assert response.context["page"].paginator.count == 5

    def test_un_filtre_errone_ne_donne_pas_500(self, monde, client_de, gestionnaire):
        response = client_de(gestionnaire).get(reverse("risques:liste"), {"famille": "x", "signale": "peut-être"})
        assert response.status_code == 200


class TestFormulaires:
    def test_creer_modifier_et_coter(self, monde, client_de, gestionnaire):
        famille = FamilleFactory(etablissement=monde.etab_a)
        client = client_de(gestionnaire)
        response = client.post(reverse("risques:nouveau"), {
            "etablissement": monde.etab_a.pk, "titre": "Fugue d'un patient", "famille": famille.pk,
            "pole": monde.pole_a.pk, "barrieres": "Contrôle des sorties"})
        risque = Risque.objects.get(titre="Fugue d'un patient")
        assert response.status_code == 302 and response["Location"] == reverse("risques:detail", args=[risque.pk])
        assert AuditEntry.objects.filter(action="creation", object_id=str(risque.pk)).exists()
        response = client.post(reverse("risques:modifier", args=[risque.pk]), {
            "titre": "Fugue d'un patient hospitalisé", "famille": famille.pk, "pole": monde.pole_a.pk,
            "barrieres": "Contrôle des sorties", "revision": risque.revision})
        assert response.status_code == 302
        risque.refresh_from_db()
        assert risque.titre == "Fugue d'un patient hospitalisé" and risque.etablissement_id == monde.etab_a.pk
        for f, g in ((4, 4), (2, 4)):
            client.post(reverse("risques:coter", args=[risque.pk]), {
                "date": "2026-02-01", "frequence": f, "gravite": g, "maitrise": 1})
        assert list(Cotation.objects.filter(risque=risque).order_by("id").values_list("frequence", flat=True)) == [4, 2]
        page = texte(client.get(reverse("risques:detail", args=[risque.pk])))
        assert "Historique des cotations" in page and "Contrôle des sorties" in page

    def test_une_erreur_s_affiche_sous_le_champ_en_francais(self, monde, client_de, gestionnaire):
        famille_b = FamilleFactory(etablissement=monde.etab_b)
        response = client_de(gestionnaire).post(reverse("risques:nouveau"), {
            "etablissement": monde.etab_a.pk, "titre": "X", "famille": famille_b.pk, "service": monde.service_a2.pk,
            "pole": monde.pole_a.pk})
        assert response.status_code == 200
        assert "famille" in response.context["form"].errors
        assert "n'appartient pas au pôle" in texte(response)
        assert not Risque.objects.exists()

    def test_une_cotation_hors_echelle_reste_sur_le_formulaire(self, monde, client_de, gestionnaire):
        r = _risque(monde)
        response = client_de(gestionnaire).post(reverse("risques:coter", args=[r.pk]), {
            "date": "2026-02-01", "frequence": 9, "gravite": 2, "maitrise": 1})
        assert response.status_code == 200 and "frequence" in response.context["form"].errors
        assert r.cotations.count() == 1


class TestActions:
    def test_une_action_levee_depuis_le_risque_va_au_paqss_avec_son_origine(self, monde, client_de, gestionnaire):
        r = _risque(monde, pole=monde.pole_a, pilote=gestionnaire)
        client = client_de(gestionnaire)
        response = client.post(reverse("risques:action_ajouter", args=[r.pk]), {"titre": "Lits bas", "echeance": "2030-01-31"})
        assert response.status_code == 302
        action = ActionAmelioration.objects.get(titre="Lits bas")
        assert action.origine == "risque" and action.source == r and action.pole_id == monde.pole_a.pk
        assert action.responsable == gestionnaire
        assert RisqueAction.objects.filter(risque=r, action=action).exists()
        assert "Lits bas" in texte(client.get(reverse("risques:detail", args=[r.pk])))
        source = texte(client.get(reverse("qualite:action_detail", args=[action.pk])))
        assert "Cartographie des risques" in source and r.titre in source

    def test_rattacher_une_action_existante_de_son_etablissement_seulement(self, monde, client_de, gestionnaire):
        r = _risque(monde)
        ici = ActionAmelioration.objects.create(titre="Audit chutes", origine="audit", etablissement=monde.etab_a)
        ailleurs = ActionAmelioration.objects.create(titre="Autre", origine="audit", etablissement=monde.etab_b)
        client = client_de(gestionnaire)
        assert client.post(reverse("risques:action_lier", args=[r.pk]), {"action": f"ACT-{ici.pk}"}).status_code == 302
        response = client.post(reverse("risques:action_lier", args=[r.pk]), {"action": str(ailleurs.pk)})
        assert response.status_code == 200 and "Aucune action de ce numéro" in texte(response)
        assert list(RisqueAction.objects.values_list("action_id", flat=True)) == [ici.pk]


class TestFamilles:
    def test_creer_une_famille_avec_ses_types_et_la_modifier(self, monde, client_de, gestionnaire):
        from evenements.models import TypeEvenement
        from qualite.risques.models import FamilleRisque

        chute = TypeEvenement.objects.get(libelle="Chute")
        client = client_de(gestionnaire)
        response = client.post(reverse("risques:familles"), {"etablissement": monde.etab_a.pk, "libelle": "Chutes",
                                                            "types_evenement": [chute.pk], "actif": "on"})
        assert response.status_code == 302
        famille = FamilleRisque.objects.get(libelle="Chutes")
        assert list(famille.types_evenement.all()) == [chute] and famille.etablissement == monde.etab_a
        doublon = client.post(reverse("risques:familles"), {"etablissement": monde.etab_a.pk, "libelle": "chutes"})
        assert doublon.status_code == 200 and "déjà une famille de ce nom" in texte(doublon)
        client.post(reverse("risques:famille", args=[famille.pk]), {"libelle": "Chutes", "revision": famille.revision})
        famille.refresh_from_db()
        assert not famille.actif and famille.types_evenement.count() == 0

    def test_la_famille_d_un_autre_etablissement_est_introuvable(self, monde, client_de, gestionnaire):
        autre = FamilleFactory(etablissement=monde.etab_b)
        assert client_de(gestionnaire).get(reverse("risques:famille", args=[autre.pk])).status_code == 404
        assert client_de(monde.users["direction"]).get(reverse("risques:familles")).status_code == 403


def test_un_formulaire_vide_ou_hostile_donne_des_erreurs_pas_500(monde, gestionnaire):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(gestionnaire)
    r = _risque(monde)
    hostile = {"etablissement": " ", "libelle": " ", "titre": "x" * 300, "famille": "²", "date": "9999-12-31",
               "frequence": "1e308", "gravite": "NaN", "maitrise": "-1", "revision": " ", "cle_creation": " ",
               "action": "1" * 22, "reference": "' OR 1=1 --", "decision": "[]", "echeance": "0001-01-01"}
    for url in (reverse("risques:familles"), reverse("risques:nouveau"), reverse("risques:modifier", args=[r.pk]),
                reverse("risques:coter", args=[r.pk]), reverse("risques:action_ajouter", args=[r.pk]),
                reverse("risques:action_lier", args=[r.pk]), reverse("risques:evenement_lier", args=[r.pk])):
        for donnees in ({}, hostile):
            assert client.post(url, donnees).status_code in (200, 302), (url, donnees)
