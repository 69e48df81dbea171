"""Review fixes: the acknowledgement of reading is audited; a référentiel version read from the address never
answers 500."""

import pytest
from django.urls import reverse

from qualite.documents.tests.test_documents import _publie, equipe  # noqa: F401  (fixture)
from qualite.organisation.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_l_accuse_de_lecture_est_trace(monde, equipe, client):  # noqa: F811
    _document, version = _publie(monde, equipe)
    client.force_login(equipe["membre"])
    client.post(reverse("documents:accuser_lecture", args=[version.pk]))
    entree = AuditEntry.objects.get(action="creation", utilisateur=equipe["membre"], details__accuse_lecture=version.pk)
    assert entree.etablissement_id == version.document.etablissement_id


@pytest.mark.parametrize(("version", "statut"), [("²", 200), ("abc", 200), ("999999", 404)])
def test_une_version_de_referentiel_erronee_n_est_pas_une_erreur_500(monde, client, version, statut):
    """« ² » passed str.isdigit() then broke int(): a 500. Unreadable: the current version; unknown: 404."""
    client.force_login(monde.users["gestionnaire_risques"])
    assert client.get(reverse("certification:referentiel"), {"version": version}).status_code == statut
