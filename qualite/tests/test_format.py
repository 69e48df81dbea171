from datetime import timedelta

from qualite.templatetags.qualite_format import duree


def test_duration_in_hours_and_minutes():
    assert duree(timedelta(days=1, hours=12)) == "36 h 00"
    assert duree(timedelta(minutes=65)) == "1 h 05"
    assert duree(None) == "—"
