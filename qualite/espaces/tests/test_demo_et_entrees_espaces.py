"""The demo space, and hostile inputs on the spaces' pages (never a 500)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from qualite.espaces.models import EspaceEchanges, ReunionEspace
from qualite.espaces.sources import SOURCES
from qualite.paqss.models import ActionAmelioration

pytestmark = pytest.mark.django_db


def test_chaque_registre_a_declare_sa_source():
    assert {"evenements", "paqss", "indicateurs", "evaluations", "reclamations", "succes"} <= set(SOURCES)


def test_la_demo_cree_un_espace_une_fois():
    call_command("demo")
    call_command("demo")
    espace = EspaceEchanges.objects.get()
    assert espace.binome_medecin.username == "chef-pole-medecine"
    tenue = ReunionEspace.objects.get(espace=espace, statut="tenue")
    assert tenue.decisions.get().action.origine == ActionAmelioration.Origine.ESPACE
    assert espace.reunions.filter(statut="prevue").count() == 3


@pytest.mark.parametrize("annee", ["²", "99999", "1" * 22, "-1", "\x00"])
def test_une_annee_hostile_affiche_l_annee_en_cours(monde, espace_a, annee):
    client = Client(raise_request_exception=False)
    client.force_login(monde.users["cadre_pole"])
    for nom in ("espaces:detail", "espaces:bilan"):
        attendu = 400 if "\x00" in annee else 200  # a null byte: the product's French 400 page
        assert client.get(reverse(nom, args=[espace_a.pk]), {"annee": annee}).status_code == attendu


def test_une_date_de_l_an_9999_est_une_erreur_de_formulaire(monde, espace_a):
    client = Client(raise_request_exception=False)
    client.force_login(monde.users["cadre_pole"])
    r = client.post(reverse("espaces:planifier", args=[espace_a.pk]), {"date_1": "9999-12-31"})
    assert r.status_code == 200 and not espace_a.reunions.exists()
