"""Each register's text search is served by its GIN expression index: the index is built from the very
expression the search filters on (tableaux.vecteur_recherche), so PostgreSQL can use it. With sequential scans
disabled, a query whose expression differs from the index's (one field more, another configuration) shows a
plan without the index."""

import copy

import pytest
from django.db import connection

from evenements import selectors as selecteurs_evenements
from evenements.models import CHAMPS_RECHERCHE as CHAMPS_EVENEMENTS
from evenements.models import EvenementIndesirable
from evenements.tests.factories import EvenementFactory
from qualite.outils import tableaux
from qualite.paqss.models import CHAMPS_RECHERCHE as CHAMPS_ACTIONS
from qualite.paqss.models import ActionAmelioration
from qualite.risques.models import CHAMPS_RECHERCHE as CHAMPS_RISQUES
from qualite.risques.models import Risque
from usagers.relations.filters import filtrer_dossiers, filtrer_reclamations
from usagers.relations.models import DemandeDossier, Reclamation

pytestmark = pytest.mark.django_db


@pytest.fixture
def sans_parcours_sequentiel():
    with connection.cursor() as curseur:
        curseur.execute("SET LOCAL enable_seqscan = off")  # until the test's transaction ends


@pytest.mark.parametrize(("modele", "champs", "index"), [
    (EvenementIndesirable, CHAMPS_EVENEMENTS, "ei_recherche_idx"),
    (ActionAmelioration, CHAMPS_ACTIONS, "action_recherche_idx"),
    (Risque, CHAMPS_RISQUES, "risque_recherche_idx"),
])
def test_la_recherche_du_registre_passe_par_son_index(sans_parcours_sequentiel, modele, champs, index):
    plan = tableaux.rechercher(modele.objects.order_by(), "chute patient", champs).explain()  # the search alone
    assert index in plan, plan


def test_une_autre_expression_n_utilise_pas_l_index(sans_parcours_sequentiel):
    plan = tableaux.rechercher(EvenementIndesirable.objects.order_by(), "chute",
                               (*CHAMPS_EVENEMENTS, "motif_classement")).explain()
    assert "ei_recherche_idx" not in plan, plan


def test_les_listes_des_usagers_passent_par_leurs_index(sans_parcours_sequentiel):
    assert "reclamation_recherche_idx" in filtrer_reclamations(Reclamation.objects.order_by(), {"q": "dupont"},
                                                               nominatif=True).explain()
    assert "dossier_recherche_idx" in filtrer_dossiers(DemandeDossier.objects.order_by(), {"q": "dupont"}).explain()


def test_le_registre_des_evenements_tel_que_la_page_le_lit(monde, sans_parcours_sequentiel):
    # Enough rows, analysed, for the plan to weigh the indexes (an empty table makes every index look alike).
    modele = EvenementFactory(service=monde.service_a, description="Chute au lever")
    autres = []
    for i in range(1500):
        autre = copy.copy(modele)
        autre.pk = autre.id = None
        autre.reference = f"EI-IDX-{i:05d}"
        autre.description = "Erreur d'étiquetage d'un prélèvement au laboratoire"
        autres.append(autre)
    EvenementIndesirable.objects.bulk_create(autres, batch_size=500)
    with connection.cursor() as curseur:
        curseur.execute("ANALYZE evenements_evenementindesirable")
    filtre = selecteurs_evenements.evenements_liste(monde.users["gestionnaire_risques"], {"q": "chutes"})
    assert "ei_recherche_idx" in filtre.qs.explain()
    assert [ev.pk for ev in filtre.qs] == [modele.pk]
