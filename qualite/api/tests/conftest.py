import pytest
from django.test import Client

from qualite.identite.services import jeton_creer


@pytest.fixture(autouse=True)
def debits_larges(settings):
    """Tests call the API more than a person would: the rate limits are tested apart (test_api.py)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"user": "100000/hour", "anon": "100000/hour"}}


class ClientAPI:
    """A client that authenticates with a real personal token, as an outside program would."""

    def __init__(self, user):
        self.user = user
        self.jeton = jeton_creer(utilisateur=user, nom="tests")[1]
        self.client = Client(HTTP_AUTHORIZATION=f"Token {self.jeton}")

    def get(self, url, params=None):
        return self.client.get(url, params or {})

    def post(self, url, donnees):
        return self.client.post(url, donnees, content_type="application/json")

    def patch(self, url, donnees):
        return self.client.patch(url, donnees, content_type="application/json")


@pytest.fixture
def api():
    return ClientAPI


# The leak matrix's data set (both établissements, two pôles, one user per role and the double roles),
# reused by the API's matrix: same users, same records, compared with what the pages answer.
from qualite.organisation.tests.test_matrice_acces import jeu  # noqa: E402, F401
