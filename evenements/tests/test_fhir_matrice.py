"""The FHIR export seen from the pages and from the API, for every user of the leak matrix and every event of
its data set (own pôle A, other pôle A2, other établissement B): same status, same resources."""

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from qualite.api.tests.conftest import ClientAPI
from qualite.organisation.tests.test_matrice_acces import (
    CLES_UTILISATEURS,
    FUITE_B,
    _client,
    jeu,  # noqa: F401  (the leak matrix's data set)
)

UTILISATEURS = [c for c in CLES_UTILISATEURS if c != "anonyme"]
PERIODE = {"du": f"{date.today() - timedelta(days=30)}", "au": f"{date.today()}", "version": "R4"}


def _entrees(reponse) -> list:
    return [e["resource"] for e in json.loads(reponse.content).get("entry", [])]


@pytest.mark.parametrize("cle", UTILISATEURS)
def test_l_api_exporte_en_fhir_ce_que_les_pages_exportent(db, jeu, cle):  # noqa: F811
    page, api = _client(jeu, cle), ClientAPI(jeu.users[cle])
    for cible in ("A", "A2", "B"):
        ev = jeu.objets["ev", cible]
        attendu = page.get(reverse("evenements:fhir", args=[ev.pk])).status_code
        assert attendu in (200, 403, 404), (cible, attendu)
        assert api.get(f"/api/v1/evenements/{ev.pk}/fhir/").status_code == attendu, cible
    lot_page = page.get(reverse("evenements:fhir_lot"), PERIODE)
    lot_api = api.get("/api/v1/evenements/fhir/", PERIODE)
    assert lot_api.status_code == lot_page.status_code
    if lot_page.status_code == 200:
        assert _entrees(lot_api) == _entrees(lot_page)
        assert FUITE_B not in lot_api.content.decode()
