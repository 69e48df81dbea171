"""The SSC daily view shows the first lines of each block; « voir tout » shows the whole block asked,
with the same number of queries (patient and unit joined, no subquery per row)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from usagers.ssc import views

pytestmark = pytest.mark.django_db


def test_voir_tout_montre_tout_le_bloc_demande(monde, client_de, admettre, monkeypatch):
    monkeypatch.setattr(views, "LIGNES_PAR_BLOC", 2)
    for i in range(4):
        admettre("sdt", ipp=f"V{i}", t0=timezone.now() - timedelta(hours=30 + i))
    client = client_de(monde.users["bureau_admissions"])
    url = reverse("usagers:ssc_journal")
    client.get(url)  # both pages measured with the menu's count in the cache
    with CaptureQueriesContext(connection) as limite:
        r = client.get(url)
    assert r.context["comptes"]["en_retard"] == 4 and len(r.context["groupes"]["en_retard"]) == 2
    corps = r.content.decode()
    assert "?tout=en_retard" in corps and "voir tout" in corps
    with CaptureQueriesContext(connection) as tout:
        r = client.get(url, {"tout": "en_retard"})
    assert len(r.context["groupes"]["en_retard"]) == 4
    assert "?tout=en_retard" not in r.content.decode()
    assert "DURAND Léa" in r.content.decode() and "(V3)" in r.content.decode()
    assert len(tout) == len(limite)
    # An unknown block is ignored, never an error.
    assert len(client.get(url, {"tout": "nimporte"}).context["groupes"]["en_retard"]) == 2


def test_le_psychiatre_ne_voit_tout_que_dans_son_unite(monde, client_de, admettre, monkeypatch):
    monkeypatch.setattr(views, "LIGNES_PAR_BLOC", 1)
    admettre("sdt", ipp="U1", t0=timezone.now() - timedelta(hours=30))
    admettre("sdt", ipp="U2", t0=timezone.now() - timedelta(hours=31), service=monde.service_a2)
    r = client_de(monde.users["psychiatre"]).get(reverse("usagers:ssc_journal"), {"tout": "en_retard"})
    assert r.context["comptes"]["en_retard"] == 1
    assert [e.unite for e in r.context["groupes"]["en_retard"]] == [monde.service_a.nom]
