"""An account whose scope holds nothing (no établissement yet, e.g. first directory login without a mapping)
opens the registers and their cached filters: empty pages, never an error."""

import pytest

from qualite.organisation.tests.factories import UtilisateurFactory


@pytest.mark.parametrize("url", ["/evenements/", "/evenements/statistiques/", "/plan-actions/", "/usagers/reclamations/",
                                 "/usagers/dossiers-medicaux/", "/risques/", "/documents/"])
def test_un_compte_sans_etablissement_ouvre_les_registres(db, client, url):
    client.force_login(UtilisateurFactory(username="sans_etab", roles=["gestionnaire_risques", "relations_usagers"]))
    assert client.get(url).status_code in (200, 403), url
    assert client.get(url).status_code in (200, 403), url  # the second time from the cache
