"""Directory login against a real OpenLDAP (tests/slapd.py), through the real login page."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import MOT_DE_PASSE as MDP_LOCAL
from qualite.identite.models import CompteExterne, CorrespondanceGroupe
from qualite.identite.reglages import FILTRE_AD_ACTIF, reglages_ldap
from qualite.identite.tests.serveurs import appliquer_reglages, creer_correspondance
from qualite.identite.tests.slapd import ADMIN_DN, ADMIN_MDP, GROUPES, MOT_DE_PASSE, PERSONNES, dn_groupe
from qualite.organisation import access
from qualite.organisation.access import Portee
from qualite.organisation.models import AuditEntry, Utilisateur
from qualite.organisation.roles import Role


@pytest.fixture
def ldap_actif(settings, annuaire):
    appliquer_reglages(settings, reglages_ldap({
        "LDAP_URI": annuaire.uri,
        "LDAP_BIND_DN": ADMIN_DN,
        "LDAP_BIND_PASSWORD": ADMIN_MDP,
        "LDAP_BASE_UTILISATEURS": PERSONNES,
        "LDAP_FILTRE_UTILISATEUR": f"(&(uid=%(user)s){FILTRE_AD_ACTIF})",
        "LDAP_BASE_GROUPES": GROUPES,
        "LDAP_FILTRE_GROUPES": "(objectClass=groupOfNames)",
        "LDAP_GROUPE_REFUSE": dn_groupe("comptes-desactives"),
    }))
    return annuaire


@pytest.fixture
def correspondances(monde):
    creer = creer_correspondance
    # Written in capitals on purpose: a DN compares case-insensitively.
    creer("CN=Qualite-GDR,OU=Groupes,DC=chu-test,DC=fr", [Role.GESTIONNAIRE_RISQUES], [monde.etab_a])
    creer(dn_groupe("direction"), [Role.DIRECTION], [monde.etab_a])
    creer(dn_groupe("cadres-medecine"), [Role.CADRE_POLE], [monde.etab_a], pole=monde.pole_a)
    return monde


def _connexion(username, password):
    client = Client()
    return client, client.post(reverse("login"), {"username": username, "password": password})


def test_un_utilisateur_de_l_annuaire_arrive_avec_les_roles_de_ses_groupes(db, ldap_actif, correspondances):
    client, reponse = _connexion("alice", MOT_DE_PASSE)
    assert reponse.status_code == 302 and reponse["Location"] == reverse("qualite:accueil")
    alice = Utilisateur.objects.get(username="alice")
    assert (alice.first_name, alice.last_name, alice.email) == ("Alice", "Martin", "alice@chu-test.fr")
    assert alice.roles == [Role.DIRECTION, Role.GESTIONNAIRE_RISQUES]
    assert set(alice.etablissements.all()) == {correspondances.etab_a}
    assert not alice.has_usable_password()
    assert CompteExterne.objects.get(utilisateur=alice).identifiant == f"uid=alice,{PERSONNES}"
    accueil = client.get(reverse("qualite:accueil")).content.decode()
    assert "Gestionnaire des risques" in accueil and "Direction" in accueil
    assert access.perimetre(alice, "evenements.voir").etablissements == {correspondances.etab_a.pk}
    assert AuditEntry.objects.filter(utilisateur=alice, action=AuditEntry.Action.CONNEXION).exists()


def test_un_cadre_de_l_annuaire_est_limite_au_pole_de_sa_correspondance(db, ldap_actif, correspondances):
    _, reponse = _connexion("bruno", MOT_DE_PASSE)
    assert reponse.status_code == 302
    bruno = Utilisateur.objects.get(username="bruno")
    assert bruno.roles == [Role.CADRE_POLE] and bruno.pole == correspondances.pole_a
    perimetre = access.perimetre(bruno, "paqss.voir")
    assert perimetre.portee == Portee.POLE and perimetre.pole_id == correspondances.pole_a.pk


def test_un_mauvais_mot_de_passe_est_refuse(db, ldap_actif, correspondances):
    client, reponse = _connexion("alice", "pas-le-bon")
    assert reponse.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in reponse.content.decode()
    assert not Utilisateur.objects.filter(username="alice").exists()
    assert AuditEntry.objects.filter(identifiant="alice", action=AuditEntry.Action.ECHEC_CONNEXION).exists()


@pytest.mark.parametrize("uid", ["carole", "denis"], ids=["groupe-des-comptes-desactives", "compte-ad-desactive"])
def test_un_compte_desactive_dans_l_annuaire_est_refuse(db, ldap_actif, correspondances, uid):
    _, reponse = _connexion(uid, MOT_DE_PASSE)
    assert reponse.status_code == 200
    assert not Utilisateur.objects.filter(username=uid).exists()


def test_un_compte_desactive_apres_une_premiere_connexion_est_refuse(db, ldap_actif, correspondances):
    assert _connexion("alice", MOT_DE_PASSE)[1].status_code == 302
    ldap_actif.ajouter_au_groupe("comptes-desactives", "alice")
    try:
        _, reponse = _connexion("alice", MOT_DE_PASSE)
    finally:
        ldap_actif.retirer_du_groupe("comptes-desactives", "alice")
    assert reponse.status_code == 200
    assert "_auth_user_id" not in reponse.wsgi_request.session


def test_un_changement_de_groupe_change_les_roles_a_la_connexion_suivante(db, ldap_actif, correspondances):
    assert _connexion("alice", MOT_DE_PASSE)[1].status_code == 302
    ldap_actif.retirer_du_groupe("qualite-gdr", "alice")
    ldap_actif.ajouter_au_groupe("cadres-medecine", "alice")
    try:
        assert _connexion("alice", MOT_DE_PASSE)[1].status_code == 302
    finally:
        ldap_actif.ajouter_au_groupe("qualite-gdr", "alice")
        ldap_actif.retirer_du_groupe("cadres-medecine", "alice")
    alice = Utilisateur.objects.get(username="alice")
    assert alice.roles == [Role.CADRE_POLE, Role.DIRECTION]
    assert alice.pole == correspondances.pole_a
    assert not access.has_perm(alice, "evenements.gerer")


def test_une_correspondance_desactivee_ne_donne_plus_rien(db, ldap_actif, correspondances):
    CorrespondanceGroupe.objects.filter(groupe__iexact=dn_groupe("direction")).update(actif=False)
    assert _connexion("alice", MOT_DE_PASSE)[1].status_code == 302
    assert Utilisateur.objects.get(username="alice").roles == [Role.GESTIONNAIRE_RISQUES]


def test_sans_correspondance_l_utilisateur_entre_sans_role(db, ldap_actif, monde):
    assert _connexion("alice", MOT_DE_PASSE)[1].status_code == 302
    alice = Utilisateur.objects.get(username="alice")
    assert alice.roles == [] and not alice.etablissements.exists()
    assert not access.has_perm(alice, "evenements.declarer")


def test_les_comptes_locaux_fonctionnent_toujours(db, ldap_actif, correspondances):
    local = correspondances.users[Role.GESTIONNAIRE_RISQUES]
    # The directory has an entry of the same name, with another password: it never takes the local account.
    _, reponse = _connexion(local.username, MOT_DE_PASSE)
    assert reponse.status_code == 200
    _, reponse = _connexion(local.username, MDP_LOCAL)
    assert reponse.status_code == 302
    local.refresh_from_db()
    assert local.roles == [Role.GESTIONNAIRE_RISQUES] and local.has_usable_password()
    assert not CompteExterne.objects.filter(utilisateur=local).exists()


def test_sans_ldap_uri_l_annuaire_est_eteint(db, ldap_actif, correspondances, settings):
    settings.AUTH_LDAP_SERVER_URI = ""
    _, reponse = _connexion("alice", MOT_DE_PASSE)
    assert reponse.status_code == 200
    assert not Utilisateur.objects.filter(username="alice").exists()


def test_un_compte_desactive_dans_l_application_reste_refuse(db, ldap_actif, correspondances):
    assert _connexion("alice", MOT_DE_PASSE)[1].status_code == 302
    Utilisateur.objects.filter(username="alice").update(is_active=False)
    assert _connexion("alice", MOT_DE_PASSE)[1].status_code == 200
