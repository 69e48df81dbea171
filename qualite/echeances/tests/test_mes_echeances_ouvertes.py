"""« Mes échéances » opens on the open deadlines: a satisfied or voided one is listed only when asked."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from qualite.echeances.models import Echeance
from qualite.organisation.models import Etablissement
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import RegleEcheanceFactory

pytestmark = pytest.mark.django_db


def test_la_page_s_ouvre_sur_les_seules_echeances_ouvertes(monde, client_de, django_assert_max_num_queries):
    regle = RegleEcheanceFactory(code="r-ouvertes", libelle="Rapport", roles=[Role.GESTIONNAIRE_RISQUES])
    ct = ContentType.objects.get_for_model(Etablissement)
    maintenant = timezone.now()
    for cle, champs in (("o1", {}), ("o2", {}), ("s", {"satisfaite_le": maintenant}), ("x", {"sans_objet": True})):
        Echeance.objects.create(regle=regle, content_type=ct, object_id=monde.etab_a.pk, cle=cle, reference=cle,
                                etablissement=monde.etab_a, echeance=maintenant + timedelta(days=1), **champs)
    client = client_de(monde.users["gestionnaire_risques"])
    with django_assert_max_num_queries(10):
        page = client.get(reverse("qualite:mes_echeances")).context["page"]
    assert sorted(e.cle for e in page) == ["o1", "o2"] and page.paginator.count == 2
    satisfaites = client.get(reverse("qualite:mes_echeances"), {"statut": "satisfait"}).context["page"]
    assert [e.cle for e in satisfaites] == ["s"]
