"""The API fuzzed from its own OpenAPI schema with schemathesis, in-process (WSGI), authenticated by a real
token: no 5xx, and every response conforms to the schema (content type, body of each documented status).
A bounded number of examples per operation keeps it under a minute; derandomised, so a failure replays."""

from contextlib import contextmanager

import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as reglages_hypothesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from evenements.tests.factories import EvenementFactory
from qualite.identite.services import jeton_creer
from qualite.organisation.roles import Role
from qualite.paqss.models import ActionAmelioration

# Positive: data the schema allows (the forms may still refuse it: 400); negative: data it forbids (400).
EXEMPLES_PAR_OPERATION = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 10}
VERIFICATIONS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@contextmanager
def _connexion_gardee():
    """Like Django's test client: the WSGI handler must not close the connection holding the test's
    transaction at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_schemathesis_ne_trouve_ni_erreur_500_ni_reponse_hors_schema(monde):
    admin = monde.users[Role.ADMINISTRATEUR]
    EvenementFactory(service=monde.service_a, created_by=admin)
    ActionAmelioration.objects.create(titre="Action", origine=ActionAmelioration.Origine.AXE,
                                      etablissement=monde.etab_a, pole=monde.pole_a)
    entetes = {"Authorization": f"Token {jeton_creer(utilisateur=admin, nom='schemathesis')[1]}"}
    with _connexion_gardee():
        schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
        operations = [resultat.ok() for resultat in schema.get_all_operations()]
        assert len(operations) >= 20
        statuts = []
        for operation, mode in [(o, m) for o in operations for m in GenerationMode]:
            @reglages_hypothesis(max_examples=EXEMPLES_PAR_OPERATION[mode], deadline=None, database=None,
                                 derandomize=True, suppress_health_check=list(HealthCheck),
                                 phases=[Phase.explicit, Phase.generate, Phase.shrink])
            @given(case=operation.as_strategy(generation_mode=mode))
            def essayer(case):
                statuts.append(case.call_and_validate(headers=entetes, checks=VERIFICATIONS).status_code)

            essayer()
    # The control: requests did run, reads answered, random writes were refused as user input (400, 404).
    # Accepted writes (201) are tested with meaningful data in test_api.py.
    assert len(statuts) >= 5 * len(operations)
    assert {200, 400, 404} <= set(statuts), sorted(set(statuts))
