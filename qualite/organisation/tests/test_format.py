from datetime import timedelta

from qualite.organisation.templatetags.qualite_format import duree


def test_duration_in_hours_and_minutes():
    assert duree(timedelta(days=1, hours=12)) == "36 h 00"
    assert duree(timedelta(minutes=65)) == "1 h 05"
    assert duree(None) == "—"


def test_export_url_keeps_filters_and_drops_the_page(rf):
    from qualite.organisation.templatetags.qualite_format import url_export

    request = rf.get("/evenements/", {"pole": "3", "page": "7", "export": "xlsx", "du": "2026-01-01"})
    url = url_export({"request": request}, "csv")
    assert "page=" not in url and "pole=3" in url and "du=2026-01-01" in url and url.count("export=") == 1 and "export=csv" in url
