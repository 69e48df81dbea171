"""The single scoping rule: the reach of the roles that grant a permission, never of another role."""

import pytest

from qualite.organisation import access
from qualite.organisation.access import Portee
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _user(monde, *roles, **kw):
    return UtilisateurFactory(roles=list(roles), etablissements=[monde.etab_a], pole=monde.pole_a,
                              service=monde.service_a, **kw)


@pytest.mark.parametrize("roles, permission, portee", [
    ((Role.CADRE_POLE, Role.DECLARANT), "certification.consulter", Portee.POLE),
    ((Role.CADRE_POLE, Role.DECLARANT), "paqss.voir", Portee.POLE),
    ((Role.CADRE_POLE, Role.DECLARANT), "evenements.voir", Portee.POLE),
    ((Role.CADRE_POLE, Role.GESTIONNAIRE_RISQUES), "certification.consulter", Portee.ETABLISSEMENT),
    ((Role.CADRE_POLE, Role.DIRECTION), "indicateurs.saisir", Portee.POLE),
    ((Role.PSYCHIATRE, Role.DECLARANT), "ssc.voir", Portee.SERVICE),
    ((Role.PSYCHIATRE, Role.BUREAU_ADMISSIONS), "ssc.voir", Portee.ETABLISSEMENT),
    ((Role.DECLARANT,), "paqss.voir", Portee.AUCUNE),
])
def test_la_portee_vient_des_seuls_roles_qui_donnent_la_permission(monde, roles, permission, portee):
    assert access.perimetre(_user(monde, *roles), permission).portee == portee


def test_un_cadre_sans_pole_ne_voit_rien(monde):
    perimetre = access.perimetre(UtilisateurFactory(roles=[Role.CADRE_POLE], etablissements=[monde.etab_a]), "paqss.voir")
    assert perimetre.vide


def test_un_compte_inactif_ne_voit_rien(monde):
    assert access.perimetre(_user(monde, Role.GESTIONNAIRE_RISQUES, is_active=False), "paqss.voir").vide


def test_les_actions_d_un_cadre_qui_declare_aussi_restent_dans_son_pole(monde):
    from qualite.paqss.access import actions_scope
    from qualite.paqss.models import ActionAmelioration

    for pole in (monde.pole_a, monde.pole_a2):
        ActionAmelioration.objects.create(titre=pole.nom, etablissement=monde.etab_a, pole=pole)
    visibles = actions_scope(ActionAmelioration.objects.all(), _user(monde, Role.CADRE_POLE, Role.DECLARANT))
    assert list(visibles.values_list("titre", flat=True)) == [monde.pole_a.nom]
