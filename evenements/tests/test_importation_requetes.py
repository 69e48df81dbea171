"""The bulk import's statements do not grow with the rows: a query per row (the pôle read again by clean())
made 50 000 events take minutes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evenements.tests.test_importation_en_lot import _fichier, _importer

pytestmark = pytest.mark.django_db


def _requetes(n, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        bilan = _importer(_fichier(n), user, en_lot=True)
    assert not bilan.erreurs and bilan.crees == n
    return len(ctx.captured_queries)


def test_le_nombre_de_requetes_ne_depend_pas_du_nombre_de_lignes(monde):
    gestionnaire = monde.users["gestionnaire_risques"]
    _requetes(5, gestionnaire)  # caches of the process (content types) warmed
    assert _requetes(40, gestionnaire) == _requetes(10, gestionnaire)
