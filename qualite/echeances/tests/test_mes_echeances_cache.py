"""« Mes échéances » keeps its counts in the cache (the page measured 2.7 times a bare page): a deadline met
or added shows at the next page, in the list and in the counters."""

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


def test_compteurs_et_liste_suivent_une_echeance_satisfaite_ou_ajoutee(monde, client_de):
    regle = RegleEcheanceFactory(code="r-cache", libelle="Rapport", roles=[Role.GESTIONNAIRE_RISQUES])
    ct = ContentType.objects.get_for_model(Etablissement)
    maintenant = timezone.now()

    def creer(cle, delai):
        return Echeance.objects.create(regle=regle, content_type=ct, object_id=monde.etab_a.pk, cle=cle, reference=cle,
                                       etablissement=monde.etab_a, echeance=maintenant + delai)

    retard = creer("retard", -timedelta(days=2))
    creer("bientot", timedelta(days=3))
    client = client_de(monde.users["gestionnaire_risques"])
    for _ in range(2):  # the second page is read from the cache
        reponse = client.get(reverse("qualite:mes_echeances"))
        assert reponse.context["compteurs"]["en_retard"] == 1 and reponse.context["page"].paginator.count == 2
    retard.satisfaite_le = maintenant
    retard.save()
    reponse = client.get(reverse("qualite:mes_echeances"))
    assert reponse.context["compteurs"]["en_retard"] == 0 and reponse.context["page"].paginator.count == 1
    creer("nouvelle", -timedelta(hours=1))
    reponse = client.get(reverse("qualite:mes_echeances"))
    assert reponse.context["compteurs"]["en_retard"] == 1 and reponse.context["page"].paginator.count == 2


def test_chaque_compte_ses_echeances(monde, client_de):
    regle = RegleEcheanceFactory(code="r-cache-b", libelle="Rapport", roles=[Role.GESTIONNAIRE_RISQUES])
    ct = ContentType.objects.get_for_model(Etablissement)
    Echeance.objects.create(regle=regle, content_type=ct, object_id=monde.etab_b.pk, cle="b", reference="b",
                            etablissement=monde.etab_b, echeance=timezone.now() - timedelta(days=1))
    assert client_de(monde.user_b).get(reverse("qualite:mes_echeances")).context["compteurs"]["en_retard"] == 1
    reponse = client_de(monde.users["gestionnaire_risques"]).get(reverse("qualite:mes_echeances"))
    assert reponse.context["compteurs"]["en_retard"] == 0 and reponse.context["page"].paginator.count == 0


def test_les_roles_d_une_regle_modifies_changent_aussitot_qui_la_suit(monde, client_de):
    """The scope reads the rules of a role as ids kept in the cache: a rule given to a role shows at once."""
    regle = RegleEcheanceFactory(code="r-roles", libelle="Rapport", roles=[Role.DIRECTION])
    ct = ContentType.objects.get_for_model(Etablissement)
    Echeance.objects.create(regle=regle, content_type=ct, object_id=monde.etab_a.pk, cle="r", reference="r",
                            etablissement=monde.etab_a, echeance=timezone.now() + timedelta(days=2))
    client = client_de(monde.users["gestionnaire_risques"])
    assert client.get(reverse("qualite:mes_echeances")).context["page"].paginator.count == 0
    regle.roles = [Role.DIRECTION, Role.GESTIONNAIRE_RISQUES]
    regle.save()
    assert client.get(reverse("qualite:mes_echeances")).context["page"].paginator.count == 1
