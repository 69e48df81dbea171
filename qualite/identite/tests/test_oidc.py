"""OpenID Connect login against a real provider (django-oauth-toolkit, tests/fournisseur_oidc.py) reached over
HTTP: the person's browser at the provider is a requests session, the application is Django's test client."""

import base64
import json
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from django.test import Client
from django.urls import reverse

from conftest import MOT_DE_PASSE as MDP_LOCAL
from qualite.identite.models import CompteExterne, CorrespondanceGroupe, Source
from qualite.identite.reglages import reglages_oidc
from qualite.identite.tests.oidc_fixture import (
    AUDIENCE,
    CLIENT_ID,
    CLIENT_SECRET,
    MOT_DE_PASSE,
    PERSONNES,
    RETOUR,
)
from qualite.identite.tests.serveurs import appliquer_reglages, creer_correspondance
from qualite.organisation import access
from qualite.organisation.access import Portee
from qualite.organisation.models import AuditEntry, Utilisateur
from qualite.organisation.roles import Role

LIBELLE = "Fournisseur de test"


@pytest.fixture
def oidc_actif(settings, fournisseur_oidc):
    appliquer_reglages(settings, reglages_oidc({
        "OIDC_DISCOVERY_URL": fournisseur_oidc.decouverte,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_SCOPES": "openid profile email groups",
        "OIDC_LIBELLE": LIBELLE,
        "OIDC_API_AUDIENCE": AUDIENCE,
    }))
    return fournisseur_oidc


@pytest.fixture
def correspondances(monde):
    def creer(groupe, roles, etablissements=(), pole=None):
        return creer_correspondance(groupe, roles, etablissements, pole, source=Source.OIDC)

    creer("qualite-gdr", [Role.GESTIONNAIRE_RISQUES], [monde.etab_a])
    creer("direction", [Role.DIRECTION], [monde.etab_a])  # the claim says "Direction": compared without case
    creer("cadres-medecine", [Role.CADRE_POLE], [monde.etab_a], pole=monde.pole_a)
    # The same group name from the directory gives nothing to an OIDC user.
    CorrespondanceGroupe.objects.create(source=Source.LDAP, groupe="cadres-medecine", roles=[Role.ADMINISTRATEUR])
    return monde


def _chez_le_fournisseur(navigateur: requests.Session, url: str, nom: str, mot_de_passe: str) -> str:
    """Follows the provider's redirects, logging in on its form when asked; returns the first URL that leaves
    the provider (the application's callback)."""
    hote = urlsplit(url).netloc
    for _ in range(10):
        if urlsplit(url).netloc != hote:
            return url
        reponse = navigateur.get(url, allow_redirects=False, timeout=10)
        if reponse.status_code == 200 and 'name="password"' in reponse.text:
            reponse = navigateur.post(url, allow_redirects=False, timeout=10, data={
                "username": nom, "password": mot_de_passe,
                "csrfmiddlewaretoken": navigateur.cookies["fournisseur_csrf"],
                "next": parse_qs(urlsplit(url).query)["next"][0]})
        assert reponse.status_code == 302, (reponse.status_code, reponse.text[:500])
        url = urljoin(url, reponse.headers["Location"])
    raise AssertionError("trop de redirections chez le fournisseur")


def _chemin(url: str) -> str:
    morceaux = urlsplit(url)
    assert morceaux.netloc == "testserver", url
    return urlunsplit(("", "", morceaux.path, morceaux.query, ""))


def _connexion_oidc(nom: str, *, client: Client | None = None, navigateur: requests.Session | None = None):
    client = client or Client()
    navigateur = navigateur or requests.Session()
    depart = client.get(reverse("oidc_connexion"))
    assert depart.status_code == 302
    retour = _chez_le_fournisseur(navigateur, depart["Location"], nom, MOT_DE_PASSE)
    return client, client.get(_chemin(retour)), navigateur


def _messages(reponse) -> str:
    return " ".join(str(m) for m in reponse.wsgi_request._messages)


def test_un_utilisateur_oidc_arrive_avec_les_roles_de_ses_groupes(db, oidc_actif, correspondances):
    page = Client().get(reverse("login")).content.decode()
    assert f"Se connecter avec {LIBELLE}" in page

    client = Client()
    depart = client.get(reverse("oidc_connexion"))
    demande = parse_qs(urlsplit(depart["Location"]).query)
    # Authorisation code with PKCE (S256), state and nonce.
    assert demande["response_type"] == ["code"] and demande["code_challenge_method"] == ["S256"]
    assert demande["code_challenge"][0] and demande["state"][0] and demande["nonce"][0]
    assert demande["redirect_uri"] == [RETOUR]

    retour = _chez_le_fournisseur(requests.Session(), depart["Location"], "oalice", MOT_DE_PASSE)
    reponse = client.get(_chemin(retour))
    assert reponse["Location"] == reverse("qualite:accueil"), list(AuditEntry.objects.values_list("details"))

    alice = Utilisateur.objects.get(username="oalice")
    assert (alice.first_name, alice.last_name, alice.email) == ("Alice", "Oidc", "oalice@chu-test.fr")
    assert alice.roles == [Role.DIRECTION, Role.GESTIONNAIRE_RISQUES]
    assert set(alice.etablissements.all()) == {correspondances.etab_a}
    assert not alice.has_usable_password()
    compte = CompteExterne.objects.get(utilisateur=alice)
    assert compte.source == Source.OIDC
    assert compte.identifiant == f"{oidc_actif.emetteur}|{_sub('oalice')}"
    accueil = client.get(reverse("qualite:accueil")).content.decode()
    assert "Gestionnaire des risques" in accueil and "Direction" in accueil
    assert access.perimetre(alice, "evenements.voir").etablissements == {correspondances.etab_a.pk}
    assert AuditEntry.objects.filter(utilisateur=alice, action=AuditEntry.Action.CONNEXION,
                                     details__source="OpenID Connect").exists()


def _sub(nom) -> str:
    """The provider's `sub` is its user's primary key, in the order the fixture created them."""
    return str(list(PERSONNES).index(nom) + 1)


def test_sans_userinfo_les_groupes_absents_de_l_id_token_ne_donnent_rien(db, settings, oidc_actif,
                                                                         correspondances):
    settings.OIDC_USERINFO = False
    _, reponse, _ = _connexion_oidc("oalice")
    assert reponse["Location"] == reverse("qualite:accueil")
    alice = Utilisateur.objects.get(username="oalice")
    assert alice.first_name == "Alice" and alice.roles == [] and CompteExterne.objects.get(utilisateur=alice).groupes == []


def test_un_cadre_oidc_est_limite_au_pole_de_sa_correspondance(db, oidc_actif, correspondances):
    _, reponse, _ = _connexion_oidc("obruno")
    assert reponse.status_code == 302
    bruno = Utilisateur.objects.get(username="obruno")
    assert bruno.roles == [Role.CADRE_POLE] and bruno.pole == correspondances.pole_a
    perimetre = access.perimetre(bruno, "paqss.voir")
    assert perimetre.portee == Portee.POLE and perimetre.pole_id == correspondances.pole_a.pk


def test_une_correspondance_desactivee_retire_ses_roles_a_la_connexion_suivante(db, oidc_actif, correspondances):
    _connexion_oidc("oalice")
    CorrespondanceGroupe.objects.filter(source=Source.OIDC, groupe="direction").update(actif=False)
    _, reponse, _ = _connexion_oidc("oalice")
    assert reponse.status_code == 302
    alice = Utilisateur.objects.get(username="oalice")
    assert alice.roles == [Role.GESTIONNAIRE_RISQUES]
    assert Utilisateur.objects.filter(username="oalice").count() == 1


def test_le_fournisseur_exige_pkce(db, oidc_actif, correspondances):
    """The provider refuses an authorisation request without a code challenge: the application's requests pass
    only because they carry one (test above)."""
    depart = Client().get(reverse("oidc_connexion"))
    morceaux = urlsplit(depart["Location"])
    sans_pkce = {k: v for k, v in parse_qs(morceaux.query).items() if not k.startswith("code_challenge")}
    url = urlunsplit(morceaux._replace(query=urlencode(sans_pkce, doseq=True)))
    retour = _chez_le_fournisseur(requests.Session(), url, "oalice", MOT_DE_PASSE)
    erreur = parse_qs(urlsplit(retour).query)
    assert erreur["error"] == ["invalid_request"] and "code" not in erreur
    assert "challenge" in erreur["error_description"][0].lower()


def test_un_state_falsifie_est_refuse(db, oidc_actif, correspondances):
    client = Client()
    depart = client.get(reverse("oidc_connexion"))
    retour = urlsplit(_chez_le_fournisseur(requests.Session(), depart["Location"], "oalice", MOT_DE_PASSE))
    parametres = parse_qs(retour.query)
    parametres["state"] = ["falsifie-" + parametres["state"][0][:10]]
    reponse = client.get(urlunsplit(("", "", retour.path, urlencode(parametres, doseq=True), "")))
    assert reponse.status_code == 302 and reponse["Location"] == reverse("login")
    assert "a échoué" in _messages(reponse)
    assert "_auth_user_id" not in client.session
    assert not Utilisateur.objects.filter(username="oalice").exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ECHEC_CONNEXION, identifiant="OpenID Connect").exists()


def test_un_code_rejoue_est_refuse(db, oidc_actif, correspondances):
    client = Client()
    depart = client.get(reverse("oidc_connexion"))
    retour = _chemin(_chez_le_fournisseur(requests.Session(), depart["Location"], "oalice", MOT_DE_PASSE))
    assert client.get(retour)["Location"] == reverse("qualite:accueil")
    autre = Client()
    reponse = autre.get(retour)  # the same code and state from another browser: no state in its session
    assert reponse["Location"] == reverse("login") and "_auth_user_id" not in autre.session


def test_un_compte_desactive_dans_l_application_est_refuse(db, oidc_actif, correspondances):
    _, reponse, _ = _connexion_oidc("odenis")
    assert reponse["Location"] == reverse("qualite:accueil")
    Utilisateur.objects.filter(username="odenis").update(is_active=False)
    client, reponse, _ = _connexion_oidc("odenis")
    assert reponse["Location"] == reverse("login")
    assert "désactivé" in _messages(reponse)
    assert "_auth_user_id" not in client.session


def test_un_compte_local_du_meme_nom_n_est_jamais_repris(db, oidc_actif, correspondances):
    local = correspondances.users[Role.GESTIONNAIRE_RISQUES]
    client, reponse, _ = _connexion_oidc("gestionnaire_risques")
    assert reponse["Location"] == reverse("login")
    assert "n'est pas repris" in _messages(reponse)
    assert "_auth_user_id" not in client.session
    local.refresh_from_db()
    assert local.roles == [Role.GESTIONNAIRE_RISQUES] and local.first_name != "Homonyme"
    assert not CompteExterne.objects.filter(utilisateur=local).exists()
    assert Utilisateur.objects.filter(username__iexact="gestionnaire_risques").count() == 1


def test_deconnexion_locale_et_chez_le_fournisseur(db, oidc_actif, correspondances):
    client, _, navigateur = _connexion_oidc("oalice")
    reponse = client.post(reverse("logout"))
    assert reponse.status_code == 302
    fin = urlsplit(reponse["Location"])
    assert f"{fin.scheme}://{fin.netloc}{fin.path}" == f"{oidc_actif.emetteur}/logout/"
    parametres = parse_qs(fin.query)
    assert parametres["id_token_hint"][0].count(".") == 2
    assert parametres["post_logout_redirect_uri"] == ["http://testserver/connexion/"]
    assert "_auth_user_id" not in client.session  # logged out of the application already
    # The provider ends its own session and sends the browser back to the application's login page.
    retour = _chez_le_fournisseur(navigateur, reponse["Location"], "oalice", "jamais-demande")
    assert _chemin(retour).startswith("/connexion/")
    # Its session is gone: a new login asks for the password again (a wrong one fails at the provider).
    depart = Client().get(reverse("oidc_connexion"))
    page = navigateur.get(depart["Location"], timeout=10)
    assert 'name="password"' in page.text


def test_deconnexion_d_un_compte_local_reste_locale(db, oidc_actif, correspondances, client_de):
    client = client_de(correspondances.users[Role.DIRECTION])
    reponse = client.post(reverse("logout"))
    assert reponse["Location"] == reverse("login")


# Local passwords off (CONNEXION_LOCALE=0), break-glass account kept.

@pytest.fixture
def locale_coupee(settings, oidc_actif):
    settings.CONNEXION_LOCALE = False
    settings.COMPTE_SECOURS = "administrateur"
    return oidc_actif


def test_mots_de_passe_locaux_coupes_sauf_le_compte_de_secours(db, locale_coupee, correspondances):
    refuse = Client().post(reverse("login"), {"username": "gestionnaire_risques", "password": MDP_LOCAL})
    assert refuse.status_code == 200
    texte = refuse.content.decode()
    assert "Les mots de passe propres à l&#x27;application sont désactivés" in texte
    assert f"Se connecter avec {LIBELLE}" in texte
    secours = Client()
    reponse = secours.post(reverse("login"), {"username": "administrateur", "password": MDP_LOCAL})
    assert reponse.status_code == 302 and reponse["Location"] == reverse("qualite:accueil")
    # OpenID Connect still works.
    _, reponse, _ = _connexion_oidc("oalice")
    assert reponse["Location"] == reverse("qualite:accueil")


def test_mots_de_passe_locaux_coupes_sans_compte_de_secours_nomme(db, settings, correspondances):
    settings.CONNEXION_LOCALE = False
    settings.COMPTE_SECOURS = ""
    reponse = Client().post(reverse("login"), {"username": "administrateur", "password": MDP_LOCAL})
    assert reponse.status_code == 200 and "compte administrateur de secours" in reponse.content.decode()


def test_sans_reglage_oidc_la_connexion_oidc_est_eteinte(db, settings, monde):
    settings.OIDC_DISCOVERY_URL = ""
    assert Client().get(reverse("oidc_connexion")).status_code == 404
    assert Client().get(reverse("oidc_retour"), {"code": "x", "state": "y"}).status_code == 404
    assert "Se connecter avec" not in Client().get(reverse("login")).content.decode()
    assert Client(HTTP_AUTHORIZATION="Bearer abc.def.ghi").get("/api/v1/evenements/").status_code == 401


# The API with an OpenID Connect bearer token.

def _jeton_d_acces(fournisseur, nom: str) -> dict:
    """Another program obtains an access token for the person (authorisation code + PKCE, Authlib's client)."""
    metadata = requests.get(fournisseur.decouverte, timeout=10).json()
    session = OAuth2Session(CLIENT_ID, CLIENT_SECRET, scope="openid profile email groups", redirect_uri=RETOUR,
                            code_challenge_method="S256")
    from authlib.common.security import generate_token

    verificateur = generate_token(48)
    url, _ = session.create_authorization_url(metadata["authorization_endpoint"], code_verifier=verificateur)
    retour = _chez_le_fournisseur(requests.Session(), url, nom, MOT_DE_PASSE)
    return session.fetch_token(metadata["token_endpoint"], authorization_response=retour, code_verifier=verificateur)


def _appel(jeton: str, chemin="/api/v1/evenements/"):
    return Client(HTTP_AUTHORIZATION=f"Bearer {jeton}").get(chemin)


def test_l_api_accepte_le_jeton_porteur_oidc_avec_les_droits_de_la_personne(db, oidc_actif, correspondances):
    from evenements.tests.factories import EvenementFactory
    from qualite.identite.services import jeton_creer

    ev_a = EvenementFactory(service=correspondances.service_a)
    EvenementFactory(service=correspondances.service_b)
    _connexion_oidc("oalice")
    jeton = _jeton_d_acces(oidc_actif, "oalice")
    reponse = _appel(jeton["access_token"])
    assert reponse.status_code == 200, reponse.content
    assert [e["id"] for e in reponse.json()["results"]] == [ev_a.pk]
    # The same answer as with the person's own API token.
    _, clair = jeton_creer(utilisateur=Utilisateur.objects.get(username="oalice"), nom="comparaison")
    assert Client(HTTP_AUTHORIZATION=f"Token {clair}").get("/api/v1/evenements/").json() == reponse.json()


def test_l_api_refuse_un_jeton_porteur_invalide(db, oidc_actif, correspondances):
    _connexion_oidc("oalice")
    jeton = _jeton_d_acces(oidc_actif, "oalice")
    entete, corps, signature = jeton["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(corps + "=" * (-len(corps) % 4)))
    claims["sub"] = "999"  # someone else, signature unchanged
    falsifie = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert _appel(f"{entete}.{falsifie}.{signature}").status_code == 401
    assert _appel("pas-un-jwt").status_code == 401
    # The login's id_token is not an API key.
    assert _appel(jeton["id_token"]).status_code == 401
    # Signed with a key the provider does not publish.
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    cle = RSAKey.generate_key(2048, parameters={"kid": "inconnue"})
    autre = jwt.encode({"alg": "RS256", "kid": "inconnue"}, {**claims, "sub": claims["sub"]}, cle)
    assert _appel(autre).status_code == 401


def test_l_api_refuse_le_jeton_porteur_d_un_compte_desactive_ou_inconnu(db, oidc_actif, correspondances):
    jeton = _jeton_d_acces(oidc_actif, "obruno")  # never logged in to the application: no account, no roles
    reponse = _appel(jeton["access_token"])
    assert reponse.status_code == 401 and "connectez-vous une fois" in reponse.json()["detail"]
    _connexion_oidc("obruno")
    assert _appel(jeton["access_token"]).status_code == 200
    Utilisateur.objects.filter(username="obruno").update(is_active=False)
    assert _appel(jeton["access_token"]).status_code == 401


def test_l_api_refuse_un_jeton_d_une_autre_audience(db, settings, oidc_actif, correspondances):
    _connexion_oidc("oalice")
    jeton = _jeton_d_acces(oidc_actif, "oalice")
    settings.OIDC_API_AUDIENCE = "une-autre-api"
    assert _appel(jeton["access_token"]).status_code == 401
