"""The list of involuntary-care measures: sortable headers, full-text search (reference, patient, third party;
accents ignored) kept in the address and audited, the next legal deadline as a column, query count pinned."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qualite.organisation.models import AuditEntry
from usagers.ssc import services
from usagers.ssc.filters import TABLEAU

pytestmark = pytest.mark.django_db
URL = reverse("usagers:ssc_mesures")


def _admettre(monde, nom, prenom, ipp, jours, mode="spi", service=None, tiers=""):
    t0 = (timezone.localtime() - timedelta(days=jours)).replace(hour=9, minute=0, second=0, microsecond=0)
    return services.mesure_admettre(
        par=monde.users["bureau_admissions"], service=service or monde.service_a,
        patient={"ipp": ipp, "nom": nom, "prenom": prenom, "date_naissance": date(1985, 1, 1)},
        mesure={"mode": mode, "t0": t0, "tiers_nom": tiers, "tiers_lien": "frère" if tiers else ""})


@pytest.fixture
def mesures(monde):
    return [
        _admettre(monde, "Lefèvre", "Hélène", "IPP-1", 3),
        _admettre(monde, "Martin", "Noé", "IPP-2", 20, mode="sdt", tiers="Paul Lefebvre", service=monde.service_a2),
        _admettre(monde, "Durand", "Léa", "IPP-3", 1),
    ]


def test_chaque_colonne_trie_dans_les_deux_sens(monde, client_de, mesures, settings):
    settings.PAGES_EN_CACHE = False  # the same URL asked again: read its context, which a kept page has not
    client = client_de(monde.users["bureau_admissions"])
    for cle in TABLEAU.triables:
        for sens, aria in (("", "ascending"), ("-", "descending")):
            response = client.get(URL, {"tri": sens + cle})
            assert response.status_code == 200 and f'aria-sort="{aria}"><a' in response.content.decode()
            assert len(response.context["page"]) == 3
    assert [m.patient.nom for m in client.get(URL, {"tri": "patient"}).context["page"]] == ["Durand", "Lefèvre",
                                                                                            "Martin"]
    assert [m.pk for m in client.get(URL, {"tri": "t0"}).context["page"]] == [mesures[1].pk, mesures[0].pk,
                                                                              mesures[2].pk]
    echeances = [m.prochaine_echeance for m in client.get(URL, {"tri": "echeance"}).context["page"]]
    assert all(echeances) and echeances == sorted(echeances)


def test_la_recherche_ignore_les_accents_dans_le_perimetre_et_est_tracee(monde, client_de, mesures):
    _admettre(monde, "Lefèvre", "Hélène", "IPP-B", 2, service=monde.service_b)
    client = client_de(monde.users["bureau_admissions"])

    def trouves(q):
        response = client.get(URL, {"q": q})
        assert response.status_code == 200
        return {m.pk for m in response.context["page"]}

    assert trouves("lefevre helene") == trouves("LEFÈVRE") == {mesures[0].pk}
    assert trouves("lefebvre") == {mesures[1].pk}  # the third party
    assert trouves(mesures[2].reference) == {mesures[2].pk}
    assert trouves("ipp-2") == {mesures[1].pk}
    assert trouves("durand -léa") == set()
    entree = AuditEntry.objects.filter(utilisateur=monde.users["bureau_admissions"]).order_by("-id").first()
    assert entree.details["recherche"] == "durand -léa"


def test_la_page_montre_l_echeance_et_garde_recherche_et_tri(monde, client_de, mesures):
    response = client_de(monde.users["bureau_admissions"]).get(URL, {"q": "martin", "tri": "-t0"})
    page = response.content.decode()
    assert "Prochaine échéance" in page and "1 mesure." in page
    assert f'href="{reverse("usagers:ssc_mesure", args=[mesures[1].pk])}">{mesures[1].reference}</a>' in page
    assert 'href="?q=martin&amp;tri=t0"' in page  # the T0 header, second click
    assert 'name="q" value="martin"' in page and 'name="tri" value="-t0"' in page


def test_recherche_et_tri_gardent_le_nombre_de_requetes(monde, client_de, mesures, django_assert_max_num_queries):
    for i in range(20):
        _admettre(monde, "Lefèvre", f"Jean {i}", f"IPP-L{i}", 5 + i)
    client = client_de(monde.users["bureau_admissions"])
    client.get(URL)
    with django_assert_max_num_queries(10):
        response = client.get(URL, {"q": "lefevre", "tri": "echeance", "active": "true"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 21
