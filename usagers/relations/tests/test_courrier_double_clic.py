"""« Générer le PDF » clicked twice from one preview keeps one letter and one audit entry."""

from django.urls import reverse

from qualite.organisation.models import AuditEntry
from usagers.relations.models import CourrierGenere
from usagers.relations.tests.test_courriers import _rec


def test_un_double_clic_ne_garde_qu_un_courrier(monde, client_de):
    rec = _rec(monde)
    client = client_de(monde.users["relations_usagers"])
    url = reverse("usagers:reclamation_lettre", args=[rec.pk, "accuse"])
    apercu = client.get(url).content.decode()
    cle = apercu.split('name="cle_creation" value="')[1][:36]
    premiere, seconde = client.post(url, {"cle_creation": cle}), client.post(url, {"cle_creation": cle})
    assert premiere.status_code == seconde.status_code == 302 and premiere["Location"] == seconde["Location"]
    assert CourrierGenere.objects.filter(reclamation=rec).count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATION, details__lettre="accuse").count() == 1
