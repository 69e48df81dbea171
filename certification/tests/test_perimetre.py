"""A cadre de pôle who also declares events stays limited to his pôle in certification,
for reads (pages, CSV exports) and writes (indicator values)."""

from datetime import date

import pytest
from django.urls import reverse

from certification.models import EPP, Audit, ValeurIndicateur
from certification.tests.factories import EvaluationFactory, IndicateurFactory
from conftest import texte
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

AUTRE = "MARQUEUR-AUTRE-POLE"
MIEN = "MARQUEUR-MON-POLE"


@pytest.fixture
def cadre_declarant(monde):
    return UtilisateurFactory(username="cadre_et_declarant", roles=[Role.CADRE_POLE, Role.DECLARANT],
                              etablissements=[monde.etab_a], pole=monde.pole_a, service=monde.service_a)


@pytest.fixture
def registres(monde):
    for service, marque in ((monde.service_a, MIEN), (monde.service_a2, AUTRE)):
        EvaluationFactory(service=service, constats=marque)
        Audit.objects.create(titre=marque, date=date(2026, 3, 1), etablissement=monde.etab_a, service=service)
        EPP.objects.create(theme=marque, pilotes="Dr X", etablissement=monde.etab_a, pole=service.pole)


@pytest.mark.parametrize("code", ["evaluations", "audits", "epp"])
def test_l_export_d_un_cadre_qui_declare_aussi_reste_dans_son_pole(client_de, cadre_declarant, registres, code):
    response = client_de(cadre_declarant).get(reverse("certification:exporter", args=[code]), {"format": "csv"})
    contenu = b"".join(response.streaming_content).decode()
    assert MIEN in contenu and AUTRE not in contenu


def test_les_pages_d_un_cadre_qui_declare_aussi_restent_dans_son_pole(client_de, cadre_declarant, registres, monde):
    client = client_de(cadre_declarant)
    page = texte(client.get(reverse("certification:registres")))
    assert MIEN in page and AUTRE not in page
    autre = EvaluationFactory(service=monde.service_a2)
    assert client.get(reverse("certification:evaluation", args=[autre.pk])).status_code == 404


def test_un_cadre_qui_declare_aussi_ne_saisit_pas_d_indicateur_pour_un_autre_pole(client_de, cadre_declarant, monde):
    ind = IndicateurFactory()
    client = client_de(cadre_declarant)
    url = reverse("certification:indicateur", args=[ind.pk])
    response = client.post(url, {"etablissement": monde.etab_a.pk, "service": monde.service_a2.pk,
                                  "periode": "2026-01-01", "valeur": "12"})
    assert response.status_code == 200
    assert response.context["form"].errors["service"]
    assert not ValeurIndicateur.objects.exists()
    client.post(url, {"etablissement": monde.etab_a.pk, "service": monde.service_a.pk, "periode": "2026-01-01", "valeur": "12"})
    assert ValeurIndicateur.objects.get().service == monde.service_a


def test_un_gestionnaire_qui_est_aussi_cadre_voit_tout_l_etablissement(client_de, monde, registres):
    double = UtilisateurFactory(roles=[Role.CADRE_POLE, Role.GESTIONNAIRE_RISQUES], etablissements=[monde.etab_a],
                                pole=monde.pole_a)
    response = client_de(double).get(reverse("certification:exporter", args=["evaluations"]), {"format": "csv"})
    contenu = b"".join(response.streaming_content).decode()
    assert MIEN in contenu and AUTRE in contenu
