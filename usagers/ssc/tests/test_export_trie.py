"""The measures' export follows the column sort chosen on the table (the rows in the order shown), and keeps the
import's columns: it still re-imports unchanged."""

import csv
import io

import pytest
from django.urls import reverse

from usagers.ssc.importation import MESURES_SSC
from usagers.ssc.tests.test_tableau_mesures import mesures  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = reverse("usagers:ssc_mesures")


def _references(client, **params) -> list[str]:
    reponse = client.get(URL, {"export": "csv", **params})
    texte = b"".join(reponse.streaming_content).decode("utf-8").lstrip("\ufeff")
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    assert lignes[0] == list(MESURES_SSC.noms)
    return [ligne[0] for ligne in lignes[1:]]


def test_l_export_suit_le_tri_du_tableau(monde, client_de, mesures):  # noqa: F811
    client = client_de(monde.users["bureau_admissions"])
    par_t0 = [m.reference for m in sorted(mesures, key=lambda m: m.t0)]
    assert _references(client, tri="t0") == par_t0
    assert _references(client, tri="-t0") == par_t0[::-1]
    assert sorted(_references(client)) == sorted(par_t0)
