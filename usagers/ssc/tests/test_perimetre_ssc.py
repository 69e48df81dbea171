"""A psychiatrist follows the legal deadlines of his unit only: "Mes échéances" and the
iCalendar feed never show another unit's measures; several roles widen, never narrow."""

import pytest
from django.urls import reverse

from conftest import texte
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _ical(client, user):
    from qualite.echeances.tests.test_jeton_ical import creer_jeton

    client.force_login(user)
    jeton = creer_jeton(client)
    client.logout()
    return texte(client.get(reverse("qualite:ical", args=[jeton])))


def test_le_psychiatre_ne_voit_que_les_echeances_de_son_unite(monde, client, admettre):
    mienne = admettre("sdt", ipp="UNITE-A")
    autre = admettre("sdt", ipp="UNITE-A2", service=monde.service_a2)
    psy = monde.users["psychiatre"]
    client.force_login(psy)
    page = texte(client.get(reverse("qualite:mes_echeances")))
    assert mienne.reference in page and autre.reference not in page
    flux = _ical(client, psy)
    assert mienne.reference in flux and autre.reference not in flux


def test_psychiatre_et_bureau_des_admissions_voit_tout_l_etablissement(monde, client, admettre):
    mienne = admettre("sdt", ipp="UNITE-A")
    autre = admettre("sdt", ipp="UNITE-A2", service=monde.service_a2)
    hors = admettre("sdt", ipp="ETAB-B", service=monde.service_b)
    double = UtilisateurFactory(roles=[Role.PSYCHIATRE, Role.BUREAU_ADMISSIONS], etablissements=[monde.etab_a],
                                pole=monde.pole_a, service=monde.service_a)
    client.force_login(double)
    page = texte(client.get(reverse("qualite:mes_echeances")))
    assert mienne.reference in page and autre.reference in page and hors.reference not in page


def test_psychiatre_qui_declare_aussi_reste_limite_a_son_unite(monde, client, admettre):
    autre = admettre("sdt", ipp="UNITE-A2", service=monde.service_a2)
    double = UtilisateurFactory(roles=[Role.PSYCHIATRE, Role.DECLARANT], etablissements=[monde.etab_a],
                                pole=monde.pole_a, service=monde.service_a)
    client.force_login(double)
    assert autre.reference not in texte(client.get(reverse("qualite:mes_echeances")))
    assert client.get(reverse("usagers:ssc_mesure", args=[autre.pk])).status_code == 404
