"""A directory psychiatrist keeps the unit an administrator set in the application: the group mapping names no
pôle, so each login must not wipe the pôle and unit that give the psychiatrist their measures."""

import pytest

from qualite.identite.models import CorrespondanceGroupe, Source
from qualite.identite.services import compte_externe_synchroniser
from qualite.organisation.access import perimetre
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_le_pole_et_l_unite_fixes_dans_l_application_restent_a_chaque_connexion(monde):
    c = CorrespondanceGroupe.objects.create(groupe="cn=psychiatres,dc=chu", roles=[Role.PSYCHIATRE])
    c.etablissements.set([monde.etab_a])
    psy = UtilisateurFactory(username="dr.annuaire", roles=[], etablissements=[], pole=monde.pole_a,
                             service=monde.service_a)
    for _ in range(2):  # first login, then the next one
        compte_externe_synchroniser(utilisateur=psy, source=Source.LDAP, identifiant="uid=dr.annuaire",
                                    groupes=["cn=psychiatres,dc=chu"])
        psy.refresh_from_db()
        assert psy.roles == [Role.PSYCHIATRE] and (psy.pole_id, psy.service_id) == (monde.pole_a.pk, monde.service_a.pk)
        assert not perimetre(psy, "ssc.voir").vide


def test_deux_poles_dans_les_groupes_ne_donnent_aucun_pole(monde):
    for nom, pole in (("cn=cadres-a", monde.pole_a), ("cn=cadres-a2", monde.pole_a2)):
        CorrespondanceGroupe.objects.create(groupe=nom, roles=[Role.CADRE_POLE], pole=pole)
    cadre = UtilisateurFactory(username="cadre.annuaire", roles=[], etablissements=[], pole=monde.pole_a)
    compte_externe_synchroniser(utilisateur=cadre, source=Source.LDAP, identifiant="uid=cadre",
                                groupes=["cn=cadres-a", "cn=cadres-a2"])
    cadre.refresh_from_db()
    assert cadre.pole_id is None and cadre.service_id is None
