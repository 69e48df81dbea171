"""The REST API: token authentication, writes through the pages' forms and services, French errors, audit,
filters, pagination, rate limits, the documentation page served without a CDN."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.models import Indicateur, ValeurIndicateur
from evenements.models import EvenementIndesirable, TransitionEvenement, TypeEvenement
from evenements.tests.factories import EvenementFactory
from qualite.echeances.models import Echeance
from qualite.identite.models import JetonAPI
from qualite.organisation.models import AuditEntry
from qualite.organisation.roles import Role
from qualite.paqss.models import ActionAmelioration
from usagers.relations.models import Reclamation

R = Role
EV = "/api/v1/evenements/"


def _declaration(monde, **autres):
    donnees = {"survenu_le": (timezone.now() - timedelta(hours=3)).isoformat(), "service": monde.service_a.pk,
               "type": TypeEvenement.objects.filter(actif=True).first().pk, "description": "Chute au lever",
               "personnes": ["patient"], "gravite_estimee": 2, "lieu": "Chambre 12"}
    donnees.update(autres)
    return donnees


# --- authentication ---------------------------------------------------------------------------------------

def test_sans_jeton_l_api_repond_401(monde):
    reponse = Client().get(EV)
    assert reponse.status_code == 401 and reponse["WWW-Authenticate"] == "Token"


def test_un_jeton_revoque_ou_inconnu_est_refuse(monde, api):
    client = api(monde.users[R.GESTIONNAIRE_RISQUES])
    assert client.get(EV).status_code == 200
    JetonAPI.objects.filter(utilisateur=client.user).update(revoque_le=timezone.now())
    reponse = client.get(EV)
    assert reponse.status_code == 401 and reponse.json()["detail"] == "Jeton invalide ou révoqué."
    assert Client(HTTP_AUTHORIZATION="Token inconnu").get(EV).status_code == 401


def test_un_utilisateur_desactive_perd_l_acces_par_jeton(monde, api):
    client = api(monde.users[R.GESTIONNAIRE_RISQUES])
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    assert client.get(EV).status_code == 401


def test_seule_l_empreinte_du_jeton_est_gardee_et_la_page_le_montre_une_fois(monde, client_de):
    client = client_de(monde.users[R.DIRECTION])
    reponse = client.post(reverse("qualite:jeton_api_creer"), {"nom": "Entrepôt de données"})
    assert reponse.status_code == 200
    clair = reponse.content.decode().split("data-jeton>")[1].split("<")[0]
    jeton = JetonAPI.objects.get()
    assert clair not in (jeton.empreinte, jeton.prefixe) and jeton.empreinte == JetonAPI.empreinte_de(clair)
    assert Client(HTTP_AUTHORIZATION=f"Token {clair}").get("/api/v1/actions/").status_code == 200
    assert clair not in client.get(reverse("qualite:jeton_api")).content.decode()
    client.post(reverse("qualite:jeton_api_revoquer", args=[jeton.pk]))
    assert Client(HTTP_AUTHORIZATION=f"Token {clair}").get("/api/v1/actions/").status_code == 401


def test_la_session_de_la_page_suffit_pour_lire(monde, client_de):
    assert client_de(monde.users[R.GESTIONNAIRE_RISQUES]).get(EV).status_code == 200


# --- reads: audit, filters, pagination, confidentiality --------------------------------------------------

def test_chaque_lecture_nominative_est_tracee(monde, api):
    ev = EvenementFactory(service=monde.service_a, created_by=monde.users[R.DECLARANT])
    client = api(monde.users[R.GESTIONNAIRE_RISQUES])
    liste = client.get(EV, {"statut": "declare"})
    assert liste.status_code == 200 and [e["id"] for e in liste.json()["results"]] == [ev.pk]
    entree = AuditEntry.objects.filter(utilisateur=client.user, action=AuditEntry.Action.LECTURE).latest("id")
    assert entree.details["ids"] == [ev.pk] and entree.details["api"] == EV
    assert client.get(f"{EV}{ev.pk}/").status_code == 200
    entree = AuditEntry.objects.filter(utilisateur=client.user, action=AuditEntry.Action.LECTURE).latest("id")
    assert entree.object_id == str(ev.pk)


def test_un_filtre_invalide_est_une_erreur_400_en_francais(monde, api):
    reponse = api(monde.users[R.GESTIONNAIRE_RISQUES]).get(EV, {"statut": "inconnu", "du": "pas-une-date"})
    assert reponse.status_code == 400
    assert "Sélectionnez un choix valide" in reponse.json()["statut"][0]
    assert reponse.json()["du"] == ["Saisissez une date valide."]


def test_la_pagination_suit_le_parametre_taille(monde, api):
    for _ in range(3):
        EvenementFactory(service=monde.service_a, created_by=monde.users[R.DECLARANT])
    reponse = api(monde.users[R.GESTIONNAIRE_RISQUES]).get(EV, {"taille": 2})
    corps = reponse.json()
    assert corps["count"] == 3 and len(corps["results"]) == 2 and corps["next"]


def test_le_declarant_confidentiel_reste_masque(monde, api):
    ev = EvenementFactory(service=monde.service_a, created_by=monde.users[R.DECLARANT], confidentiel=True)
    assert api(monde.users[R.DIRECTION]).get(f"{EV}{ev.pk}/").json()["declarant"] == "Déclarant confidentiel"
    assert api(monde.users[R.GESTIONNAIRE_RISQUES]).get(f"{EV}{ev.pk}/").json()["declarant"] != "Déclarant confidentiel"


def test_la_cdu_lit_les_reclamations_anonymisees(monde, api):
    Reclamation.objects.create(reference="REC-T-1", etablissement=monde.etab_a, nature="reclamation",
                               canal="courrier", categories=["soins"], auteur_nom="M. NOMINATIF",
                               patient_nom="PATIENT-NOMINATIF", objet="Objet nominatif", resume_anonymise="Résumé",
                               resume_valide=True, recue_le=date(2026, 1, 5))
    reponse = api(monde.users[R.MEMBRE_CDU]).get("/api/v1/reclamations/")
    assert reponse.status_code == 200
    assert "NOMINATIF" not in reponse.content.decode()
    assert reponse.json()["results"][0]["resume"] == "Résumé"
    assert "PATIENT-NOMINATIF" in api(monde.users[R.RELATIONS_USAGERS]).get("/api/v1/reclamations/").content.decode()


# --- writes through the forms and services ----------------------------------------------------------------

def test_declarer_un_evenement_passe_par_le_service(monde, api):
    client = api(monde.users[R.DECLARANT])
    reponse = client.post(EV, _declaration(monde))
    assert reponse.status_code == 201, reponse.content
    ev = EvenementIndesirable.objects.get(pk=reponse.json()["id"])
    assert ev.reference.startswith("EI-") and ev.created_by == client.user and ev.pole == monde.pole_a
    assert TransitionEvenement.objects.filter(evenement=ev, vers="declare").exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CREATION, object_id=str(ev.pk)).exists()


def test_une_declaration_invalide_est_refusee_en_francais(monde, api):
    client = api(monde.users[R.DECLARANT])
    reponse = client.post(EV, _declaration(monde, description="", service=monde.service_b.pk))
    assert reponse.status_code == 400
    erreurs = reponse.json()
    assert erreurs["description"] == ["Ce champ ne peut être vide."] or erreurs["description"] == [
        "Ce champ est obligatoire."]
    assert not EvenementIndesirable.objects.exists()
    reponse = client.post(EV, _declaration(monde, service=monde.service_b.pk))
    assert reponse.status_code == 400 and "Sélectionnez un choix valide" in reponse.json()["service"][0]
    reponse = client.post(EV, _declaration(monde, survenu_le=(timezone.now() + timedelta(days=2)).isoformat()))
    assert reponse.status_code == 400 and "survenu_le" in reponse.json()
    assert not EvenementIndesirable.objects.exists()


def test_qualifier_refuse_une_revision_perimee(monde, api):
    ev = EvenementFactory(service=monde.service_a, created_by=monde.users[R.DECLARANT])
    client = api(monde.users[R.GESTIONNAIRE_RISQUES])
    url = f"{EV}{ev.pk}/"
    ok = client.patch(url, {"gravite": 3, "vraisemblance": 2, "revision": 1})
    assert ok.status_code == 200 and ok.json()["gravite"] == 3 and ok.json()["revision"] == 2
    perime = client.patch(url, {"gravite": 5, "vraisemblance": 5, "revision": 1})
    assert perime.status_code == 400 and "rien n'a été enregistré" in perime.json()["non_field_errors"][0]
    ev.refresh_from_db()
    assert ev.gravite == 3


def test_qualifier_est_refuse_a_qui_ne_gere_pas(monde, api):
    ev = EvenementFactory(service=monde.service_a, created_by=monde.users[R.DECLARANT])
    refus = api(monde.users[R.DIRECTION]).patch(f"{EV}{ev.pk}/", {"gravite": 3})
    assert refus.status_code == 403
    assert refus.json()["detail"] == "Vous n'avez pas la permission d'utiliser cette ressource."
    assert api(monde.users[R.DECLARANT]).patch(f"{EV}{ev.pk}/", {"gravite": 3}).status_code == 403
    autre = EvenementFactory(service=monde.service_b, created_by=monde.user_b)
    absent = api(monde.users[R.GESTIONNAIRE_RISQUES]).patch(f"{EV}{autre.pk}/", {"gravite": 3})
    assert absent.status_code == 404 and absent.json()["detail"] == "Non trouvé."
    mauvais_type = api(monde.users[R.GESTIONNAIRE_RISQUES]).patch(f"{EV}{ev.pk}/", {"gravite": "grave"})
    assert mauvais_type.status_code == 400 and "gravite" in mauvais_type.json()
    ev.refresh_from_db()
    assert ev.gravite is None


def test_une_reclamation_creee_par_l_api_a_ses_echeances(monde, api):
    client = api(monde.users[R.RELATIONS_USAGERS])
    reponse = client.post("/api/v1/reclamations/", {
        "etablissement": monde.etab_a.pk, "nature": "reclamation", "canal": "courrier", "categories": ["soins"],
        "auteur_nom": "Mme Martin", "lien_patient": "fille", "patient_nom": "Martin", "objet": "Attente",
        "recue_le": "2026-11-02"})
    assert reponse.status_code == 201, reponse.content
    rec = Reclamation.objects.get(pk=reponse.json()["id"])
    assert rec.reference.startswith("REC-2026-")
    assert Echeance.objects.filter(object_id=rec.pk, content_type__model="reclamation").exists()
    refus = client.patch(f"/api/v1/reclamations/{rec.pk}/", {"recue_le": "1800-01-01", "revision": rec.revision})
    assert refus.status_code == 400 and "recue_le" in refus.json()
    assert api(monde.users[R.MEMBRE_CDU]).post("/api/v1/reclamations/", {}).status_code == 403


def test_une_action_creee_puis_modifiee_par_l_api(monde, api):
    client = api(monde.users[R.GESTIONNAIRE_RISQUES])
    reponse = client.post("/api/v1/actions/", {"titre": "Former aux transferts", "etablissement": monde.etab_a.pk,
                                               "pole": monde.pole_a.pk, "echeance": "2027-03-31"})
    assert reponse.status_code == 201, reponse.content
    action = ActionAmelioration.objects.get(pk=reponse.json()["id"])
    assert action.origine == ActionAmelioration.Origine.AXE and action.created_by == client.user
    assert Echeance.objects.filter(object_id=action.pk, content_type__model="actionamelioration").exists()
    modif = client.patch(f"/api/v1/actions/{action.pk}/", {"avancement": 40, "preuves": "Feuilles d'émargement",
                                                          "revision": action.revision})
    assert modif.status_code == 200, modif.content
    action.refresh_from_db()
    assert action.avancement == 40 and action.preuves == "Feuilles d'émargement" and action.revision == 2
    # The model's rules, in French, as on the page.
    trop_tot = client.patch(f"/api/v1/actions/{action.pk}/", {"efficace": True, "revision": action.revision})
    assert trop_tot.json()["efficace"] == ["L'efficacité se vérifie sur une action réalisée."]
    hors = client.post("/api/v1/actions/", {"titre": "Ailleurs", "etablissement": monde.etab_b.pk})
    assert hors.status_code == 400 and "Sélectionnez un choix valide" in hors.json()["etablissement"][0]
    mauvais_pole = client.post("/api/v1/actions/", {"titre": "X", "etablissement": monde.etab_a.pk,
                                                    "pole": monde.pole_b.pk})
    assert mauvais_pole.json()["pole"] == ["Ce pôle n'appartient pas à l'établissement choisi."]
    assert api(monde.users[R.CADRE_POLE]).patch(f"/api/v1/actions/{action.pk}/", {"avancement": 90}).status_code == 403


def test_une_valeur_d_indicateur_saisie_puis_refusee_en_double(monde, api):
    indicateur = Indicateur.objects.create(code="t-ind", libelle="Taux de test", unite="%")
    client = api(monde.users[R.GESTIONNAIRE_RISQUES])
    donnees = {"indicateur": indicateur.pk, "etablissement": monde.etab_a.pk, "periode": "2026-10-01",
               "valeur": "87.50"}
    reponse = client.post("/api/v1/valeurs-indicateurs/", donnees)
    assert reponse.status_code == 201, reponse.content
    assert ValeurIndicateur.objects.get().created_by == client.user
    double = client.post("/api/v1/valeurs-indicateurs/", donnees)
    assert double.status_code == 400
    assert double.json()["periode"] == ["Une valeur existe déjà pour cette période (et ce service)."]
    url = f"/api/v1/valeurs-indicateurs/{reponse.json()['id']}/"
    # Without the revision read, nothing is written (a change made meanwhile would be overwritten unseen).
    sans = client.patch(url, {"valeur": "91"})
    assert sans.status_code == 400 and "revision" in sans.json()
    corrige = client.patch(url, {"valeur": "90", "revision": str(reponse.json()["revision"])})
    assert corrige.status_code == 200 and corrige.json()["valeur"] == "90.00"
    perime = client.patch(url, {"valeur": "80", "revision": str(reponse.json()["revision"])})  # as text, stale
    assert perime.status_code == 400 and ValeurIndicateur.objects.get().valeur == 90
    assert client.post("/api/v1/valeurs-indicateurs/", {**donnees, "indicateur": 999999}).status_code == 400


# --- rate limits, documentation ---------------------------------------------------------------------------

def test_au_dela_du_debit_l_api_repond_429(monde, api, settings):
    client = api(monde.users[R.DIRECTION])
    cache.delete(f"throttle_user_{client.user.pk}")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": "3/minute"}}
    statuts = [client.get("/api/v1/actions/").status_code for _ in range(4)]
    cache.delete(f"throttle_user_{client.user.pk}")
    assert statuts == [200, 200, 200, 429]


def test_la_documentation_est_servie_sans_cdn(monde, client_de):
    client = client_de(monde.users[R.DECLARANT])
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html and "<script>" not in html
    script = client.get("/api/v1/docs/?script=").content.decode()
    assert "/api/v1/schema/" in script
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/evenements/" in schema["paths"] and "jeton" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize("role", [R.MEMBRE_CDU, R.REPRESENTANT_USAGERS])
def test_sans_la_permission_de_la_page_l_api_repond_403(monde, api, role):
    assert api(monde.users[role]).get("/api/v1/demandes-dossier/").status_code == 403


# Token, établissements in reach, count, page (and for nominative data: the audit entry).
@pytest.mark.parametrize("url, creer, requetes", [
    (EV, lambda m, i: EvenementFactory(service=m.service_a, created_by=m.users[R.DECLARANT]), 5),
    ("/api/v1/actions/", lambda m, i: ActionAmelioration.objects.create(
        titre=f"A{i}", origine=ActionAmelioration.Origine.AXE, etablissement=m.etab_a, pole=m.pole_a,
        service=m.service_a), 4),
])
def test_une_liste_a_un_nombre_de_requetes_fixe(monde, api, url, creer, requetes, django_assert_num_queries):
    client = api(monde.users[R.ADMINISTRATEUR])
    for i in range(6):
        creer(monde, i)
    client.get(url)  # the token's "last used" is written at most once a minute: not in the counted call
    with django_assert_num_queries(requetes):
        assert len(client.get(url).json()["results"]) == 6
