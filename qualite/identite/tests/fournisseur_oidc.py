"""A real OpenID Connect provider for the tests: a one-file Django project with django-oauth-toolkit (OIDC on,
PKCE required, RP-initiated logout), an RSA key generated at start, SQLite in a temporary folder. Started by
the `fournisseur_oidc` fixture (oidc_fixture.py) as a subprocess on a free port:

    python fournisseur_oidc.py <dossier> <port>

with FOURNISSEUR_OIDC (JSON: client, people, groups) in the environment. Access tokens are JWTs signed with the
same key (like Keycloak or Pro Santé Connect), so the application's API can check them against the JWKS."""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from pathlib import Path

import django
from django.conf import settings

DOSSIER, PORT = Path(sys.argv[1]), int(sys.argv[2])
CONFIG = json.loads(os.environ["FOURNISSEUR_OIDC"])
EMETTEUR = f"http://127.0.0.1:{PORT}/o"
CLE_PRIVEE = (DOSSIER / "cle.pem").read_text()

GABARIT_CONNEXION = """<!doctype html><title>Fournisseur de test</title>
<form method="post">{% csrf_token %}{{ form.as_p }}<input type="hidden" name="next" value="{{ next }}">
<button>Connexion</button></form>"""


def jeton_jwt(requete, refresh_token=False):
    """The access token: a JWT (RFC 9068 style) signed with the provider's OIDC key."""
    from jwcrypto import jwk
    from jwcrypto import jwt as jwt_

    cle = jwk.JWK.from_pem(CLE_PRIVEE.encode())
    maintenant = int(time.time())
    jeton = jwt_.JWT(
        header={"alg": "RS256", "typ": "at+jwt", "kid": cle.thumbprint()},
        claims={"iss": EMETTEUR, "sub": str(requete.user.pk), "aud": CONFIG["audience"],
                "client_id": requete.client_id, "scope": " ".join(requete.scopes or []),
                "iat": maintenant, "exp": maintenant + 300, "jti": uuid.uuid4().hex})
    jeton.make_signed_token(cle)
    return jeton.serialize()


def _validateur():
    from oauth2_provider.oauth2_validators import OAuth2Validator

    class Validateur(OAuth2Validator):
        oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "groups"}

        def get_additional_claims(self, request):
            u = request.user
            return {"given_name": u.first_name, "family_name": u.last_name, "email": u.email,
                    "preferred_username": u.username, "groups": sorted(g.name for g in u.groups.all())}

        def get_id_token_dictionary(self, token, token_handler, request):
            # Groups in the userinfo answer only, as several providers do: the application must ask for them.
            claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
            claims.pop("groups", None)
            return claims, expiration

    return Validateur


settings.configure(
    DEBUG=False,
    SECRET_KEY="fournisseur-oidc-de-test-" + uuid.uuid4().hex,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DOSSIER / "fournisseur.sqlite3")}},
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                    "oauth2_provider"],
    MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
                "django.contrib.auth.middleware.AuthenticationMiddleware"],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {
        "context_processors": ["django.template.context_processors.request"],
        "loaders": [("django.template.loaders.locmem.Loader", {"registration/login.html": GABARIT_CONNEXION}),
                    "django.template.loaders.app_directories.Loader"]}}],
    LOGIN_URL="/connexion/",
    # Cookies do not tell ports apart: names of its own, so that a browser also on 127.0.0.1 keeps both sessions.
    SESSION_COOKIE_NAME="fournisseur_session",
    CSRF_COOKIE_NAME="fournisseur_csrf",
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=True,
    OAUTH2_PROVIDER={
        "OIDC_ENABLED": True,
        "OIDC_RSA_PRIVATE_KEY": CLE_PRIVEE,
        "OIDC_ISS_ENDPOINT": EMETTEUR,
        "PKCE_REQUIRED": True,
        "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
        "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
        "SCOPES": {"openid": "OpenID Connect", "profile": "Profil", "email": "Courriel", "groups": "Groupes"},
        "OAUTH2_VALIDATOR_CLASS": f"{__name__}.Validateur",
        "EXTRA_SERVER_KWARGS": {"token_generator": jeton_jwt},
    },
)
django.setup()
Validateur = _validateur()

from django.contrib.auth import views as auth_views  # noqa: E402
from django.urls import include, path  # noqa: E402

urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]


def preparer():
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for nom, personne in CONFIG["personnes"].items():
        u = User.objects.create_user(nom, personne["email"], CONFIG["mot_de_passe"],
                                     first_name=personne["prenom"], last_name=personne["nom"])
        for groupe in personne["groupes"]:
            u.groups.add(Group.objects.get_or_create(name=groupe)[0])
    client = CONFIG["client"]
    Application.objects.create(
        name="Qualité", client_id=client["id"], client_secret=client["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(client["redirections"]), post_logout_redirect_uris=" ".join(client["deconnexions"]),
        algorithm=Application.RS256_ALGORITHM, skip_authorization=True)


if __name__ == "__main__":
    from django.core.management import call_command

    preparer()
    call_command("runserver", f"127.0.0.1:{PORT}", use_reloader=False, skip_checks=True)
