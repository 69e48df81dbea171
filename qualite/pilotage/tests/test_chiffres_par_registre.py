"""The per-register key figures (one UNION ALL query per register, date ranges) give exactly the
counts of the figure-by-figure computation (`calculer`), on a generated set with year boundaries."""

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from qualite.pilotage.chiffres import calculer, calculer_par_registre, catalogue
from qualite.pilotage.tests.test_chiffres import construire_annee

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def generer(monde, graine=7):
    """Events spread over 2022-2026, many on the Paris New Year's Eve and Day (UTC and Paris years differ)."""
    from evenements.models import AnalyseApprofondie
    from evenements.tests.factories import EvenementFactory

    hasard = random.Random(graine)
    services = [monde.service_a, monde.service_a2, monde.service_b]
    for _ in range(60):
        annee = hasard.choice((2022, 2023, 2024, 2025, 2026))
        if hasard.random() < 0.4:
            instant = datetime(annee, 1, 1, tzinfo=PARIS) + timedelta(minutes=hasard.randint(-90, 90))
        else:
            instant = datetime(annee, 1, 1, tzinfo=PARIS) + timedelta(days=hasard.randint(0, 364), hours=hasard.randint(0, 23))
        ev = EvenementFactory(service=hasard.choice(services), survenu_le=instant)
        if hasard.random() < 0.2:
            AnalyseApprofondie.objects.create(evenement=ev, date=date(annee, 1, 1) + timedelta(days=hasard.randint(-3, 3)),
                                              participants="IDE")


def _sans_zeros(valeurs: dict) -> dict:
    return {k: n for k, n in valeurs.items() if n}


@pytest.mark.parametrize("annees", [[2024, 2025], [2022, 2023, 2024, 2025], [2023, 2025]])
@pytest.mark.parametrize("par_pole", [False, True])
def test_memes_valeurs_que_le_calcul_chiffre_par_chiffre(monde, annees, par_pole):
    construire_annee(monde)
    generer(monde)
    etabs = [monde.etab_a.pk, monde.etab_b.pk]
    pole_id = monde.pole_a.pk if par_pole else None
    chiffres = [c for c in catalogue() if pole_id is None or c.champ_pole is not None]
    nouveau = calculer_par_registre(chiffres, annees=annees, etablissements=etabs, pole_id=pole_id)
    ancien = {c.code: calculer(c, annees=annees, etablissements=etabs, pole_id=pole_id) for c in chiffres}
    assert {k: _sans_zeros(v) for k, v in nouveau.items()} == {k: _sans_zeros(v) for k, v in ancien.items()}
    assert sum(nouveau["ei"].values()) > 5  # the comparison is not between two empty sets


def test_une_requete_par_registre_meme_quand_plusieurs_chiffres_le_partagent(monde, django_assert_num_queries):
    chiffres = catalogue()
    registres = {c.requete().model for c in chiffres}
    with django_assert_num_queries(len(registres)):
        calculer_par_registre(chiffres, annees=[2024, 2025], etablissements=[monde.etab_a.pk])
