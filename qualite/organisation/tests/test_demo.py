import pytest
from django.core.management import call_command

from qualite.organisation.demo import COMPTES, MOT_DE_PASSE_DEMO
from qualite.organisation.models import Etablissement, Service, Utilisateur
from qualite.organisation.roles import Role

pytestmark = pytest.mark.django_db


def test_la_demo_est_idempotente_et_couvre_chaque_role():
    call_command("demo")
    counts = (Etablissement.objects.count(), Service.objects.count(), Utilisateur.objects.count())
    call_command("demo")
    assert (Etablissement.objects.count(), Service.objects.count(), Utilisateur.objects.count()) == counts
    assert counts[0] == 2
    roles = {r for u in Utilisateur.objects.all() for r in u.roles}
    assert roles == set(Role.values)
    user = Utilisateur.objects.get(username=COMPTES[0][0])
    assert user.check_password(MOT_DE_PASSE_DEMO)
