from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def espace_a(monde):
    """The cardiology space of établissement A: the unit's psychiatrist and the pôle's cadre as binôme."""
    from qualite.espaces.tests.factories import EspaceFactory

    return EspaceFactory(nom="Espace Cardiologie A", service=monde.service_a, services=[monde.service_a],
                         binome_medecin=monde.users["psychiatre"], binome_cadre=monde.users["cadre_pole"])


@pytest.fixture
def espace_b(monde):
    from qualite.espaces.tests.factories import EspaceFactory

    return EspaceFactory(nom="Espace Cardiologie B", service=monde.service_b, services=[monde.service_b],
                         binome_medecin=monde.user_b, binome_cadre=monde.direction_ght)


@pytest.fixture
def reunions_a(espace_a, monde):
    """Two meetings: one 30 days ago (held), the next one in 10 days."""
    from qualite.espaces import services

    aujourd_hui = timezone.localdate()
    return services.reunions_planifier(espace=espace_a, dates=[aujourd_hui - timedelta(days=30),
                                                               aujourd_hui + timedelta(days=10)],
                                       par=monde.users["cadre_pole"])
