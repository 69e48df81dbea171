"""A complaint page shown again with a form's errors is a nominative reading like any other: it is traced."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qualite.organisation.models import AuditEntry
from usagers.relations.models import GesteReclamation
from usagers.relations.tests.test_etapes_reclamation import _rec

pytestmark = pytest.mark.django_db


def _lectures(rec) -> int:
    return AuditEntry.objects.filter(action=AuditEntry.Action.LECTURE, object_id=str(rec.pk),
                                     objet=rec.reference_audit).count()


def test_geste_refuse_pour_une_date_la_fiche_remontree_est_tracee(monde, client_de):
    rec = _rec(monde)
    client = client_de(monde.users["relations_usagers"])
    avant = (timezone.localdate() - timedelta(days=40)).isoformat()
    reponse = client.post(reverse("usagers:reclamation_geste", args=[rec.pk, GesteReclamation.ACCUSE]),
                          {"geste-accuse-accuse_le": avant})
    assert reponse.status_code == 200 and "Robert Lenoir" in reponse.content.decode()
    assert _lectures(rec) == 1


def test_correction_refusee_la_fiche_remontree_est_tracee(monde, client_de):
    rec = _rec(monde)
    client = client_de(monde.users["relations_usagers"])
    reponse = client.post(reverse("usagers:reclamation", args=[rec.pk]), {"description": "x", "revision": "abc"})
    assert reponse.status_code == 200 and "Robert Lenoir" in reponse.content.decode()
    assert _lectures(rec) == 1
