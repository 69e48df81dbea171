"""A measure's page shown again with a form's errors shows the patient: its reading is traced."""

import pytest
from django.urls import reverse

from qualite.organisation.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_acte_refuse_la_fiche_remontree_est_tracee(monde, client_de, admettre):
    m = admettre("sdt", ipp="TRACE-1")
    client = client_de(monde.users["bureau_admissions"])
    reponse = client.post(reverse("usagers:ssc_acte", args=[m.pk]), {"type": "", "date_heure": "pas une date"})
    assert reponse.status_code == 200 and "DURAND" in reponse.content.decode().upper()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LECTURE, object_id=str(m.pk),
                                     content_type__model="mesuresoinssansconsentement").count() == 1
