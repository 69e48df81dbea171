"""The checker the access matrix runs on every page (qualite/organisation/tests/francais.py) catches each slip."""

from qualite.organisation.tests.francais import codes_bruts, fautes


def test_un_code_stocke_est_une_faute_son_libelle_non():
    assert "eloge" in codes_bruts() and "sdre_maire" in codes_bruts()
    assert fautes("<table><tr><td>eloge</td></tr></table>") == ["code brut « eloge »"]
    assert fautes("<table><tr><td>Éloge</td><td>Le patient est sorti.</td></tr></table>") == []


def test_none_et_l_anglais_de_django_sont_des_fautes():
    assert fautes("<p>Année : None</p>") == ["« None » dans « Année : None »"]
    assert fautes("<ul class='errorlist'><li>This field is required.</li></ul>") == ["anglais « This field is required »"]
    assert fautes("<script>var x = None;</script><p>Nonette</p>") == []
