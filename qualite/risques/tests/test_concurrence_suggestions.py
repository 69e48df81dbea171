"""Two managers refresh the suggestions at the same instant, in two real transactions: each pair is stored
once and the two counts add up to what was stored."""

import threading

import pytest
from django.db import connection

from evenements.models import TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory
from qualite.risques import services
from qualite.risques.models import RisqueEvenement
from qualite.risques.tests.factories import FamilleFactory, RisqueFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_deux_actualisations_simultanees_comptent_juste(monde):
    chute, _ = TypeEvenement.objects.get_or_create(libelle="Chute")
    famille = FamilleFactory(etablissement=monde.etab_a, types_evenement=[chute])
    for _ in range(3):
        RisqueFactory(etablissement=monde.etab_a, famille=famille)
    for _ in range(4):
        EvenementFactory(service=monde.service_a, type=chute)
    gestionnaires = [monde.users["gestionnaire_risques"],
                     UtilisateurFactory(username="gdr2", roles=[Role.GESTIONNAIRE_RISQUES], etablissements=[monde.etab_a])]
    depart = threading.Barrier(2)
    comptes: dict[str, int] = {}

    def actualiser(user):
        try:
            depart.wait(timeout=30)
            comptes[user.username] = services.suggestions_actualiser(
                user=user, etablissements=frozenset({monde.etab_a.pk}))
        finally:
            connection.close()

    fils = [threading.Thread(target=actualiser, args=(u,)) for u in gestionnaires]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)
    assert RisqueEvenement.objects.count() == 12
    assert sorted(comptes.values()) == [0, 12]
