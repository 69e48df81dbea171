import pytest
from django.core.exceptions import PermissionDenied

from qualite.echeances.models import Echeance
from qualite.organisation import access
from qualite.organisation.models import Etablissement
from qualite.organisation.roles import Role
from qualite.organisation.tests.factories import RegleEcheanceFactory

pytestmark = pytest.mark.django_db


def test_chaque_permission_nomme_des_roles_connus():
    for perm, roles in access.PERMISSIONS.items():
        assert roles <= set(Role.values), perm


@pytest.mark.parametrize("role", list(Role.values))
def test_l_audit_est_reserve_aux_administrateurs(monde, role):
    assert access.has_perm(monde.users[role], "audit.consulter") is (role == Role.ADMINISTRATEUR)


def test_une_permission_inconnue_est_une_erreur_de_programmation(monde):
    with pytest.raises(KeyError):
        access.has_perm(monde.users["declarant"], "nimporte.quoi")


def test_exiger_leve_permission_denied(monde):
    with pytest.raises(PermissionDenied):
        access.exiger(monde.users["declarant"], "audit.consulter")


def test_un_compte_inactif_n_a_aucune_permission(monde):
    user = monde.users["administrateur"]
    user.is_active = False
    assert not access.has_perm(user, "audit.consulter")


# Role × établissement matrix: which établissements each user sees.
@pytest.mark.parametrize("role", list(Role.values))
def test_un_utilisateur_de_a_voit_a_et_jamais_b(monde, role):
    visibles = access.etablissements_visibles(monde.users[role])
    assert visibles == {monde.etab_a.pk}
    for permission in access.PERMISSIONS:
        perimetre = access.perimetre(monde.users[role], permission)
        qs = perimetre.filtrer_etablissement(Etablissement.objects.all(), champ="pk")
        assert list(qs) == ([] if perimetre.vide else [monde.etab_a]), permission


def test_un_utilisateur_de_b_ne_voit_que_b(monde):
    assert access.etablissements_visibles(monde.user_b) == {monde.etab_b.pk}


def test_un_role_de_ght_voit_chaque_etablissement_de_son_ght(monde):
    from qualite.organisation.tests.factories import EtablissementFactory

    autre_ght = EtablissementFactory(nom="Hors GHT")
    visibles = access.etablissements_visibles(monde.direction_ght)
    assert visibles == {monde.etab_a.pk, monde.etab_b.pk}
    assert autre_ght.pk not in visibles


def test_un_utilisateur_sans_etablissement_ne_voit_rien(db):
    from qualite.organisation.tests.factories import UtilisateurFactory

    user = UtilisateurFactory(roles=[Role.GESTIONNAIRE_RISQUES])
    assert access.etablissements_visibles(user) == frozenset()


def _echeance(regle, etab, pole=None, responsable=None):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    return Echeance.objects.create(
        regle=regle,
        content_type=ContentType.objects.get_for_model(Etablissement),
        object_id=etab.pk,
        cle=f"{regle.code}-{pole.pk if pole else 0}-{responsable.pk if responsable else 0}",
        reference="TEST",
        etablissement=etab,
        pole=pole,
        responsable=responsable,
        echeance=timezone.now(),
    )


def test_perimetre_des_echeances_par_role_etablissement_et_pole(monde):
    regle_risques = RegleEcheanceFactory(code="r-risques", roles=[Role.GESTIONNAIRE_RISQUES])
    regle_cadre = RegleEcheanceFactory(code="r-cadre", roles=[Role.CADRE_POLE])
    e_a = _echeance(regle_risques, monde.etab_a)
    e_b = _echeance(regle_risques, monde.etab_b)
    e_pole = _echeance(regle_cadre, monde.etab_a, pole=monde.pole_a)
    e_autre_pole = _echeance(regle_cadre, monde.etab_a, pole=monde.pole_a2)
    e_perso = _echeance(regle_cadre, monde.etab_b, responsable=monde.users["declarant"])

    def vues(user):
        return set(access.echeances_scope(Echeance.objects.all(), user))

    assert vues(monde.users["gestionnaire_risques"]) == {e_a}
    assert vues(monde.user_b) == {e_b}
    assert vues(monde.users["cadre_pole"]) == {e_pole}
    assert e_autre_pole not in vues(monde.users["cadre_pole"])
    assert vues(monde.users["declarant"]) == {e_perso}
    assert vues(monde.users["membre_cdu"]) == set()
