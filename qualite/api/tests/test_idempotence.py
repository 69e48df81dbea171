"""A creation sent twice by a program (a retry after a lost answer) files one record, not two."""

import uuid

from django.test import Client

from qualite.organisation.models import AuditEntry
from qualite.organisation.roles import Role as R
from qualite.paqss.models import ActionAmelioration

ACTION = {"titre": "Former aux transferts", "echeance": "2027-03-31"}


def _poster(client, cle, donnees):
    entetes = {"HTTP_IDEMPOTENCY_KEY": cle} if cle is not None else {}
    return client.client.post("/api/v1/actions/", donnees, content_type="application/json", **entetes)


def test_la_meme_cle_rend_l_action_deja_creee(monde, api):
    client = api(monde.users[R.GESTIONNAIRE_RISQUES])
    donnees, cle = {**ACTION, "etablissement": monde.etab_a.pk}, str(uuid.uuid4())
    premiere, seconde = _poster(client, cle, donnees), _poster(client, cle, donnees)
    assert (premiere.status_code, seconde.status_code) == (201, 200)
    assert premiere.json()["id"] == seconde.json()["id"]
    assert ActionAmelioration.objects.filter(titre=ACTION["titre"]).count() == 1
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATION, details__api="/api/v1/actions/").count() == 1
    # Without a key, or with a new one, each call creates.
    assert _poster(client, None, donnees).status_code == 201
    assert _poster(client, str(uuid.uuid4()), donnees).status_code == 201
    assert ActionAmelioration.objects.filter(titre=ACTION["titre"]).count() == 3


def test_la_cle_d_un_autre_compte_ne_rend_pas_son_enregistrement(monde, api):
    cle = str(uuid.uuid4())
    a = _poster(api(monde.users[R.GESTIONNAIRE_RISQUES]), cle, {**ACTION, "etablissement": monde.etab_a.pk})
    b = _poster(api(monde.user_b), cle, {**ACTION, "etablissement": monde.etab_b.pk})
    assert (a.status_code, b.status_code) == (201, 201) and a.json()["id"] != b.json()["id"]


def test_une_cle_qui_n_est_pas_un_uuid_est_refusee_en_francais(monde, api):
    client = api(monde.users[R.GESTIONNAIRE_RISQUES])
    r = _poster(client, "pas-une-cle", {**ACTION, "etablissement": monde.etab_a.pk})
    assert r.status_code == 400 and "doit être un UUID" in r.json()["non_field_errors"][0]
    assert not ActionAmelioration.objects.exists()


def test_le_schema_documente_l_en_tete(monde):
    client = Client()
    client.force_login(monde.users[R.ADMINISTRATEUR])
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "Idempotency-Key" in schema
