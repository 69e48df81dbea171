"""A figure counts with COUNT(DISTINCT) only where one of its joins can repeat a row (a reverse relation):
along foreign keys it counts rows as they are, which PostgreSQL aggregates without sorting them all."""

import pytest

from qualite.pilotage.chiffres import _joint_plusieurs, _parties, catalogue

pytestmark = pytest.mark.django_db


def _sql(code: str) -> str:
    chiffre = next(c for c in catalogue() if c.code == code)
    return str(_parties(chiffre, [2024, 2025], [1, 2], None)[0].query)


@pytest.mark.parametrize("code", ["ei", "eig_ars", "analyses", "reclamations"])
def test_le_long_des_cles_etrangeres_pas_de_distinct(code):
    assert "COUNT(DISTINCT" not in _sql(code) and "COUNT(" in _sql(code)


@pytest.mark.parametrize("code", ["epp", "processus", "risques"])
def test_une_relation_inverse_garde_le_distinct(code):
    assert "COUNT(DISTINCT" in _sql(code)


def test_la_regle_suit_les_jointures():
    from evenements.models import EvenementIndesirable

    assert not _joint_plusieurs(EvenementIndesirable.objects.filter(service__pole__nom="x"))
    assert _joint_plusieurs(EvenementIndesirable.objects.filter(transitions__vers="x"))
