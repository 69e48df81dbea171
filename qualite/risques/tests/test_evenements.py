"""Events and risks: suggestion by the rule, confirmation by the risk manager, events over time, the flag."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import texte
from evenements.models import TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.risques import selectors, services
from qualite.risques.models import ReglagesRisques, RisqueEvenement
from qualite.risques.tests.factories import FamilleFactory, RisqueFactory

pytestmark = pytest.mark.django_db
S = RisqueEvenement.Statut


@pytest.fixture
def chute():
    return TypeEvenement.objects.get(libelle="Chute")


@pytest.fixture
def gestionnaire(monde):
    return monde.users["gestionnaire_risques"]


class TestSuggestion:
    def test_la_regle_propose_les_risques_de_la_famille_du_type_et_du_meme_pole(self, monde, chute, gestionnaire):
        chutes = FamilleFactory(etablissement=monde.etab_a, libelle="Chutes", types_evenement=[chute])
        autre = FamilleFactory(etablissement=monde.etab_a, libelle="Médicament",
                               types_evenement=[TypeEvenement.objects.get(libelle="Médicament")])
        general = RisqueFactory(etablissement=monde.etab_a, famille=chutes, titre="Chute (établissement)")
        du_pole = RisqueFactory(etablissement=monde.etab_a, famille=chutes, pole=monde.pole_a)
        autre_pole = RisqueFactory(etablissement=monde.etab_a, famille=chutes, pole=monde.pole_a2)
        RisqueFactory(etablissement=monde.etab_a, famille=autre)
        RisqueFactory(etablissement=monde.etab_b, famille=FamilleFactory(etablissement=monde.etab_b,
                                                                         types_evenement=[chute]))
        ev = EvenementFactory(service=monde.service_a, type=chute)
        n = services.suggestions_actualiser(user=gestionnaire, etablissements=frozenset({monde.etab_a.pk}))
        liens = {lien.risque_id: lien for lien in RisqueEvenement.objects.filter(evenement=ev)}
        assert n == 2 and set(liens) == {general.pk, du_pole.pk} and autre_pole.pk not in liens
        assert liens[du_pole.pk].statut == S.SUGGERE
        assert liens[du_pole.pk].motif == "Type « Chute » rattaché à la famille « Chutes » ; même pôle"
        # idempotent: nothing proposed twice
        assert services.suggestions_actualiser(user=gestionnaire, etablissements=frozenset({monde.etab_a.pk})) == 0

    def test_confirmer_et_ecarter_depuis_la_page_des_suggestions(self, monde, chute, gestionnaire, client_de):
        famille = FamilleFactory(etablissement=monde.etab_a, types_evenement=[chute])
        r1 = RisqueFactory(etablissement=monde.etab_a, famille=famille)
        r2 = RisqueFactory(etablissement=monde.etab_a, famille=famille)
        ev = EvenementFactory(service=monde.service_a, type=chute, reference="EI-2026-00077")
        client = client_de(gestionnaire)
        assert client.post(reverse("risques:suggestions")).status_code == 302
        page = texte(client.get(reverse("risques:suggestions")))
        assert page.count("EI-2026-00077") == 2
        l1, l2 = RisqueEvenement.objects.get(risque=r1), RisqueEvenement.objects.get(risque=r2)
        client.post(reverse("risques:evenement_decider", args=[r1.pk, l1.pk]), {"decision": "confirmer",
                                                                                 "retour": "suggestions"})
        client.post(reverse("risques:evenement_decider", args=[r2.pk, l2.pk]), {"decision": "ecarter"})
        l1.refresh_from_db()
        l2.refresh_from_db()
        assert (l1.statut, l1.confirme_par, l1.confirme_le is not None) == (S.CONFIRME, gestionnaire, True)
        assert l2.statut == S.ECARTE
        assert "EI-2026-00077" not in texte(client.get(reverse("risques:suggestions")))
        assert "EI-2026-00077" in texte(client.get(reverse("risques:detail", args=[r1.pk])))
        assert ev.pk in selectors.evenements_du_risque(r1, gestionnaire).values_list("evenement_id", flat=True)

    def test_rattacher_un_evenement_par_sa_reference(self, monde, gestionnaire, client_de):
        r = RisqueFactory(etablissement=monde.etab_a)
        EvenementFactory(service=monde.service_a, reference="EI-2026-00042")
        EvenementFactory(service=monde.service_b, reference="EI-2026-00043")
        client = client_de(gestionnaire)
        client.post(reverse("risques:evenement_lier", args=[r.pk]), {"reference": "ei-2026-00042"})
        response = client.post(reverse("risques:evenement_lier", args=[r.pk]), {"reference": "EI-2026-00043"})
        assert response.status_code == 200 and "Aucun évènement de cette référence" in texte(response)
        assert list(r.liens_evenements.values_list("evenement__reference", "statut")) == [("EI-2026-00042", S.CONFIRME)]

    def test_la_liste_des_evenements_suit_la_regle_des_evenements(self, monde, client_de, gestionnaire):
        """A cadre de pôle (who would see the map through another grant) sees only his pôle's events."""
        r = RisqueFactory(etablissement=monde.etab_a)
        a = EvenementFactory(service=monde.service_a, reference="EI-POLE-A")
        a2 = EvenementFactory(service=monde.service_a2, reference="EI-POLE-A2")
        for ev in (a, a2):
            services.evenement_lier(risque=r, par=gestionnaire, evenement=ev)
        refs = lambda u: set(selectors.evenements_du_risque(r, u).values_list("evenement__reference", flat=True))  # noqa: E731
        assert refs(gestionnaire) == {"EI-POLE-A", "EI-POLE-A2"}
        assert refs(monde.users["cadre_pole"]) == {"EI-POLE-A"}
        assert refs(monde.users["membre_cdu"]) == set()


class TestAlerte:
    def _risque_confirme(self, monde, gestionnaire, n, m):
        r = RisqueFactory(etablissement=monde.etab_a, titre="Risque sous-coté")
        services.risque_coter(risque=r, par=gestionnaire, frequence=1, gravite=2, maitrise=m, date=date(2026, 1, 5))
        for i in range(n):
            ev = EvenementFactory(service=monde.service_a, survenu_le=timezone.now() - timedelta(days=10 + i))
            services.evenement_lier(risque=r, par=gestionnaire, evenement=ev)
        return r

    def test_beaucoup_d_evenements_et_une_cotation_faible_signalent_le_risque(self, monde, client_de, gestionnaire):
        r = self._risque_confirme(monde, gestionnaire, 3, 1)
        client = client_de(gestionnaire)
        page = texte(client.get(reverse("risques:detail", args=[r.pk])))
        assert "Cotation à revoir" in page and "3 évènement(s) confirmé(s) en 12 mois" in page
        liste = client.get(reverse("risques:liste"), {"signale": "true"})
        assert [x.pk for x in liste.context["page"]] == [r.pk] and liste.context["page"][0].signale

    def test_sous_le_seuil_ou_avec_une_cotation_forte_pas_de_signal(self, monde, client_de, gestionnaire):
        r = self._risque_confirme(monde, gestionnaire, 2, 1)
        client = client_de(gestionnaire)
        assert "Cotation à revoir" not in texte(client.get(reverse("risques:detail", args=[r.pk])))
        ReglagesRisques.objects.update(alerte_evenements=2)
        assert "Cotation à revoir" in texte(client.get(reverse("risques:detail", args=[r.pk])))
        services.risque_coter(risque=r, par=gestionnaire, frequence=4, gravite=4, maitrise=1, date=date(2026, 2, 1))
        assert "Cotation à revoir" not in texte(client.get(reverse("risques:detail", args=[r.pk])))

    def test_evenements_par_mois_et_par_trimestre(self, monde, gestionnaire):
        r = self._risque_confirme(monde, gestionnaire, 3, 1)
        etiquettes, valeurs = selectors.evenements_par_periode(r, par="mois", periodes=12)
        assert len(etiquettes) == 12 and sum(valeurs) == 3
        etiquettes, valeurs = selectors.evenements_par_periode(r, par="trimestre", periodes=8)
        assert etiquettes[-1].startswith("T") and sum(valeurs) == 3


def test_la_page_des_suggestions_a_un_nombre_de_requetes_fixe(monde, chute, gestionnaire, client_de,
                                                              django_assert_max_num_queries):
    famille = FamilleFactory(etablissement=monde.etab_a, types_evenement=[chute])
    for _ in range(3):
        RisqueFactory(etablissement=monde.etab_a, famille=famille)
    for _ in range(10):
        EvenementFactory(service=monde.service_a, type=chute)
    services.suggestions_actualiser(user=gestionnaire, etablissements=frozenset({monde.etab_a.pk}))
    client = client_de(gestionnaire)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("risques:suggestions"))
    assert response.context["page"].paginator.count == 30


def test_la_fiche_du_risque_a_un_nombre_de_requetes_fixe(monde, gestionnaire, client_de, django_assert_max_num_queries):
    r = RisqueFactory(etablissement=monde.etab_a)
    for i in range(6):
        services.risque_coter(risque=r, par=gestionnaire, frequence=1 + i % 5, gravite=2, maitrise=1,
                              date=date(2026, 1, 1 + i))
        services.evenement_lier(risque=r, par=gestionnaire, evenement=EvenementFactory(service=monde.service_a))
        services.risque_action_creer(risque=r, par=gestionnaire, titre=f"Action {i}")
    client = client_de(gestionnaire)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("risques:detail", args=[r.pk]))
    assert len(response.context["cotations"]) == 6 and len(response.context["confirmes"]) == 6
    assert len(list(response.context["actions"])) == 6


class TestFicheEvenement:
    def test_proposer_et_confirmer_depuis_la_fiche_de_l_evenement(self, monde, chute, gestionnaire, client_de):
        famille = FamilleFactory(etablissement=monde.etab_a, libelle="Chutes", types_evenement=[chute])
        r = RisqueFactory(etablissement=monde.etab_a, famille=famille, titre="Chute la nuit")
        autre = EvenementFactory(service=monde.service_a, type=chute)
        ev = EvenementFactory(service=monde.service_a, type=chute)
        client = client_de(gestionnaire)
        page = texte(client.get(reverse("evenements:detail", args=[ev.pk])))
        assert "Risques a priori réalisés" in page and "Aucun risque rattaché" in page
        response = client.post(reverse("risques:evenement_suggerer", args=[ev.pk]))
        assert response["Location"] == reverse("evenements:detail", args=[ev.pk])
        assert not RisqueEvenement.objects.filter(evenement=autre).exists()  # the rule ran for this event only
        lien = RisqueEvenement.objects.get(evenement=ev, risque=r)
        assert "Chute la nuit" in texte(client.get(reverse("evenements:detail", args=[ev.pk])))
        response = client.post(reverse("risques:evenement_decider", args=[r.pk, lien.pk]),
                               {"decision": "confirmer", "retour": "evenement"})
        assert response["Location"] == reverse("evenements:detail", args=[ev.pk])
        lien.refresh_from_db()
        assert lien.statut == S.CONFIRME

    def test_la_section_n_apparait_pas_sans_la_permission(self, monde, chute, client_de):
        ev = EvenementFactory(service=monde.service_a, type=chute)
        page = texte(client_de(monde.users["cadre_pole"]).get(reverse("evenements:detail", args=[ev.pk])))
        assert "Risques a priori réalisés" not in page
