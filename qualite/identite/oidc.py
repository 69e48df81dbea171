"""OpenID Connect client (Authlib): discovery from OIDC_DISCOVERY_URL, authorisation code with PKCE (S256),
state and nonce kept in the session, id_token checked against the provider's keys (JWKS). The claims then go
through services.compte_oidc_connecter, the same group mapping as the directory."""

from __future__ import annotations

import threading
from urllib.parse import parse_qsl

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth.backends import ModelBackend

NOM = "oidc"
_verrou = threading.Lock()
_clients: dict[tuple, object] = {}


class BackendOIDC(ModelBackend):
    """Holds the sessions opened by the OpenID Connect exchange; never checks a password."""

    def authenticate(self, request, **kwargs):
        return None


def active() -> bool:
    return bool(getattr(settings, "OIDC_DISCOVERY_URL", "") and getattr(settings, "OIDC_CLIENT_ID", ""))


def libelle() -> str:
    return settings.OIDC_LIBELLE


def parametres_autorisation() -> dict:
    return dict(parse_qsl(settings.OIDC_PARAMETRES_AUTORISATION))


def client():
    """One Authlib client per configuration and process: the discovery document and the keys are fetched once,
    the keys again when a token names an unknown key (rotation)."""
    cle = (settings.OIDC_DISCOVERY_URL, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, settings.OIDC_SCOPES,
           settings.OIDC_DELAI)
    with _verrou:
        if cle not in _clients:
            registre = OAuth()
            _clients[cle] = registre.register(
                NOM, client_id=settings.OIDC_CLIENT_ID, client_secret=settings.OIDC_CLIENT_SECRET or None,
                server_metadata_url=settings.OIDC_DISCOVERY_URL,
                client_kwargs={"scope": settings.OIDC_SCOPES, "code_challenge_method": "S256",
                               "default_timeout": settings.OIDC_DELAI,
                               # A public client (no secret) authenticates by PKCE alone.
                               **({} if settings.OIDC_CLIENT_SECRET else {"token_endpoint_auth_method": "none"})})
        return _clients[cle]


def url_fin_de_session(*, id_token: str, retour: str) -> str | None:
    """RP-initiated logout: the provider's end_session_endpoint when it announces one, else None."""
    oauth = client()
    if not oauth.load_server_metadata().get("end_session_endpoint"):
        return None
    return oauth.create_logout_url(post_logout_redirect_uri=retour, id_token_hint=id_token,
                                   client_id=settings.OIDC_CLIENT_ID)["url"]


def completer_par_userinfo(oauth, jeton: dict, claims: dict) -> dict:
    """Many providers (Pro Santé Connect among them) put names or groups in the userinfo answer only: it
    completes the id_token's claims, never replaces its `sub` (an answer about someone else is refused)."""
    if not settings.OIDC_USERINFO or not oauth.load_server_metadata().get("userinfo_endpoint"):
        return claims
    infos = dict(oauth.userinfo(token=jeton))
    if str(infos.get("sub")) != str(claims["sub"]):
        raise ValueError("userinfo : « sub » différent de celui de l'id_token")
    return {**claims, **infos, **{k: claims[k] for k in ("sub", "iss", "aud", "nonce") if k in claims}}
