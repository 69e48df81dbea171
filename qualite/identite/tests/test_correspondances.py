"""The administrators' page for the directory group mapping."""

import pytest
from django.urls import reverse

from qualite.identite.models import CorrespondanceGroupe
from qualite.organisation.roles import Role

URL = "qualite:correspondances"


def _donnees(monde, **autres):
    donnees = {"source": "ldap", "groupe": "cn=qualite,ou=groupes,dc=chu,dc=fr", "libelle": "Qualité",
               "roles": [Role.GESTIONNAIRE_RISQUES], "etablissements": [monde.etab_a.pk], "actif": "on"}
    donnees.update(autres)
    return donnees


def test_un_administrateur_cree_une_correspondance(monde, client_de):
    client = client_de(monde.users[Role.ADMINISTRATEUR])
    reponse = client.post(reverse("qualite:correspondance_nouvelle"), _donnees(monde, pole=monde.pole_a.pk))
    assert reponse.status_code == 302
    c = CorrespondanceGroupe.objects.get()
    assert c.roles == [Role.GESTIONNAIRE_RISQUES] and list(c.etablissements.all()) == [monde.etab_a]
    assert c.pole == monde.pole_a and c.created_by == monde.users[Role.ADMINISTRATEUR]
    assert "Qualité" in client.get(reverse(URL)).content.decode()


def test_un_pole_hors_des_etablissements_est_refuse_en_francais(monde, client_de):
    client = client_de(monde.users[Role.ADMINISTRATEUR])
    reponse = client.post(reverse("qualite:correspondance_nouvelle"), _donnees(monde, pole=monde.pole_b.pk))
    assert reponse.status_code == 200
    assert "Ce pôle n&#x27;appartient à aucun des établissements choisis." in reponse.content.decode()
    assert not CorrespondanceGroupe.objects.exists()


def test_un_groupe_en_double_est_refuse_quelle_que_soit_la_casse(monde, client_de):
    CorrespondanceGroupe.objects.create(groupe="CN=Qualite,OU=Groupes,DC=chu,DC=fr", roles=[Role.DIRECTION])
    client = client_de(monde.users[Role.ADMINISTRATEUR])
    reponse = client.post(reverse("qualite:correspondance_nouvelle"), _donnees(monde))
    assert reponse.status_code == 200
    assert "Ce groupe a déjà une correspondance pour cette source." in reponse.content.decode()


def test_une_modification_perimee_est_refusee(monde, client_de):
    c = CorrespondanceGroupe.objects.create(groupe="cn=a", roles=[Role.DIRECTION])
    client = client_de(monde.users[Role.ADMINISTRATEUR])
    url = reverse("qualite:correspondance_modifier", args=[c.pk])
    assert client.post(url, _donnees(monde, groupe="cn=a", libelle="Premier", revision=1)).status_code == 302
    reponse = client.post(url, _donnees(monde, groupe="cn=a", libelle="Second", revision=1))
    assert reponse.status_code == 200 and "rien n&#x27;a été enregistré" in reponse.content.decode()
    c.refresh_from_db()
    assert c.libelle == "Premier" and c.revision == 2


@pytest.mark.parametrize("role", [Role.GESTIONNAIRE_RISQUES, Role.DIRECTION])
def test_il_refuse_qui_n_administre_pas(monde, client_de, role):
    client = client_de(monde.users[role])
    assert client.get(reverse(URL)).status_code == 403
    assert client.post(reverse("qualite:correspondance_nouvelle"), _donnees(monde)).status_code == 403
    assert not CorrespondanceGroupe.objects.exists()


def test_la_liste_a_un_nombre_de_requetes_fixe(monde, client_de, django_assert_num_queries):
    for i in range(5):
        c = CorrespondanceGroupe.objects.create(groupe=f"cn=g{i}", roles=[Role.DIRECTION], pole=monde.pole_a)
        c.etablissements.set([monde.etab_a, monde.etab_b])
    client = client_de(monde.users[Role.ADMINISTRATEUR])
    client.get(reverse(URL))
    with django_assert_num_queries(5):  # session, user, mappings, their établissements, directory accounts (menu count cached)
        assert client.get(reverse(URL)).status_code == 200


def test_l_administration_django_edite_aussi_les_correspondances(monde, client_de):
    client = client_de(monde.users[Role.ADMINISTRATEUR])
    url = reverse("admin:identite_correspondancegroupe_add")
    assert client.get(url).status_code == 200
    reponse = client.post(url, _donnees(monde))
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    c = CorrespondanceGroupe.objects.get()
    assert c.created_by == monde.users[Role.ADMINISTRATEUR] and list(c.etablissements.all()) == [monde.etab_a]
