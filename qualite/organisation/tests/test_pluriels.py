"""Counts agree in French: « 1 analyse approfondie des causes », « 2 analyses approfondies des causes »,
« 0 résultat » (singular for 0 and 1), on the pages and in the filter every template uses."""

import re
from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from conftest import texte
from evenements.models import AnalyseApprofondie
from evenements.tests.factories import EvenementFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("valeur", "formes", "attendu"), [
    (0, "s", ""), (1, "s", ""), (2, "s", "s"), (150, "s", "s"), (-3, "s", "s"), ("2", "s", "s"),
    (1, "al,aux", "al"), (2, "al,aux", "aux"), ([1], "s", ""), ([1, 2], "s", "s"), ("< 3", "s", "s"), (None, "s", "s"),
])
def test_le_filtre_pluriel(valeur, formes, attendu):
    rendu = Template("{% load qualite_format %}{{ v|pluriel:f }}").render(Context({"v": valeur, "f": formes}))
    assert rendu == attendu


def test_le_registre_des_evenements_accorde_son_nombre(monde, client_de):
    client = client_de(monde.users["gestionnaire_risques"])
    assert "0 évènement." in texte(client.get(reverse("evenements:liste")))
    EvenementFactory(service=monde.service_a)
    page = texte(client.get(reverse("evenements:liste")))
    assert "1 évènement." in page and "évènement(s)" not in page
    EvenementFactory(service=monde.service_a)
    assert "2 évènements." in texte(client.get(reverse("evenements:liste")))


def test_le_tableau_de_bord_dit_1_analyse_et_2_analyses(monde, client_de):
    client = client_de(monde.users["direction"])
    evenements = [EvenementFactory(service=monde.service_a) for _ in range(2)]
    AnalyseApprofondie.objects.create(evenement=evenements[0], date=date(2025, 3, 1), participants="IDE")

    def chiffre():  # the visible text: the count and its label are in two elements
        return " ".join(re.sub(r"<[^>]+>", "", texte(client.get(reverse("pilotage:tableau_direction"),
                                                                 {"annee": 2025}))).split())

    page = chiffre()
    assert "1 analyse approfondie des causes" in page and "1 analyses" not in page
    AnalyseApprofondie.objects.create(evenement=evenements[1], date=date(2025, 4, 1), participants="IDE")
    assert "2 analyses approfondies des causes" in chiffre()
