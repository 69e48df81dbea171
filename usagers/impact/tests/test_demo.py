import pytest
from django.core.management import call_command

from conftest import texte
from qualite.organisation.models import Utilisateur
from usagers.impact.models import CampagneBientraitance, CampagneImpact, ReponsesImpact

pytestmark = pytest.mark.django_db


def test_demo_gives_the_ru_account_an_after_measure_to_answer(client):
    call_command("demo")
    call_command("demo")  # idempotent
    assert CampagneImpact.objects.count() == 1
    assert ReponsesImpact.objects.filter(temps="avant").count() == 3
    assert CampagneBientraitance.objects.count() == 4
    c = CampagneImpact.objects.get()
    client.force_login(Utilisateur.objects.get(username="ru"))
    page = texte(client.get(f"/usagers/impact/campagnes/{c.pk}/"))
    assert "Répondre" in page and "Voir mes réponses" in page  # after open, before closed
    client.force_login(Utilisateur.objects.get(username="cadre"))
    page = texte(client.get("/usagers/impact/bientraitance/"))
    assert "Cardiologie" in page and "Gériatrie" in page
