"""The demo shows a non-empty map with history; the documented example file imports as is."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from qualite.organisation.models import Utilisateur
from qualite.outils import importation
from qualite.risques.models import Cotation, Risque

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("demo", stdout=io.StringIO())


def test_la_demo_donne_une_carte_non_vide_avec_deux_cotations_par_risque(demo, client):
    call_command("demo", stdout=io.StringIO())  # idempotent
    assert Risque.objects.count() == 5 and Cotation.objects.count() == 10
    client.force_login(Utilisateur.objects.get(username="qualiticien"))
    carte = client.get(reverse("risques:carte")).context["carte"]
    assert sum(carte.comptes.values()) == 5


def test_le_fichier_d_exemple_et_sa_page_suivent_le_registre(demo):
    registre = importation.REGISTRES["risques"]
    docs = Path(settings.BASE_DIR) / "docs" / "import"
    page = (docs / registre.doc).read_text()
    for nom in registre.noms:
        assert f"| `{nom}` |" in page, nom
    assert f"[{registre.doc}]({registre.doc})" in (docs / "README.md").read_text()
    contenu = (docs / "exemples" / "risques.csv").read_bytes()
    assert contenu.decode().splitlines()[0].split(";") == registre.noms
    user = Utilisateur.objects.get(username="qualiticien")
    bilan = importation.ecrire(importation.analyser(registre, contenu, utilisateur=user, nom_fichier="exemple.csv"),
                               utilisateur=user, essai=True)
    assert bilan.erreurs == [] and bilan.crees == 2
