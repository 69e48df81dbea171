from datetime import timedelta

from qualite.organisation.templatetags.qualite_format import duree


def test_duree_en_heures_et_minutes():
    assert duree(timedelta(days=1, hours=12)) == "36 h 00"
    assert duree(timedelta(minutes=65)) == "1 h 05"
    assert duree(None) == "—"


def test_l_url_d_export_garde_les_filtres_et_retire_la_page(rf):
    from qualite.organisation.templatetags.qualite_format import url_export

    request = rf.get("/evenements/", {"pole": "3", "page": "7", "export": "xlsx", "du": "2026-01-01"})
    url = url_export({"request": request}, "csv")
    assert "page=" not in url and "pole=3" in url and "du=2026-01-01" in url and url.count("export=") == 1 and "export=csv" in url
