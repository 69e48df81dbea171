from datetime import UTC, date, datetime, timedelta

from qualite.outils.dates import TOLERANCE_FUTUR, dans_le_futur

# 23:30 UTC on 31 March 2026 is already 1 April in Paris (UTC+2).
MAINTENANT = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)


def test_un_instant_est_futur_au_dela_de_la_tolerance_seulement():
    assert not dans_le_futur(MAINTENANT + TOLERANCE_FUTUR, MAINTENANT)
    assert dans_le_futur(MAINTENANT + TOLERANCE_FUTUR + timedelta(seconds=1), MAINTENANT)


def test_un_jour_se_compare_a_la_date_de_paris():
    assert not dans_le_futur(date(2026, 4, 1), MAINTENANT)  # already 1 April in Paris
    assert dans_le_futur(date(2026, 4, 2), MAINTENANT)


def test_rien_n_est_jamais_futur():
    assert not dans_le_futur(None, MAINTENANT)
