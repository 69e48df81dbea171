"""API authentication: a personal token (qualite.identite.JetonAPI), sent as `Authorization: Token <jeton>`.
Only the token's SHA-256 is stored; a revoked token or a deactivated user is refused. Or an OpenID Connect
access token, `Authorization: Bearer <jwt>`, checked against the provider's keys."""

from __future__ import annotations

from datetime import timedelta

import requests
from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from rest_framework import authentication, exceptions

from qualite.identite import oidc
from qualite.identite.models import CompteExterne, JetonAPI, Source
from qualite.identite.services import identifiant_oidc


class _EnteteAuthentication(authentication.BaseAuthentication):
    """`Authorization: <mot_cle> <valeur>`: the value, or None when the header names another scheme."""

    mot_cle = ""

    def valeur(self, request) -> str | None:
        morceaux = authentication.get_authorization_header(request).split()
        if not morceaux or morceaux[0].lower() != self.mot_cle.lower().encode():
            return None
        if len(morceaux) != 2:
            raise exceptions.AuthenticationFailed(
                f"En-tête Authorization invalide : « {self.mot_cle} <jeton> » attendu.")
        try:
            return morceaux[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Jeton invalide.") from None

    def authenticate_header(self, request):
        return self.mot_cle


class JetonAuthentication(_EnteteAuthentication):
    mot_cle = "Token"

    def authenticate(self, request):
        clair = self.valeur(request)
        if clair is None:
            return None
        jeton = (JetonAPI.objects.select_related("utilisateur")
                 .filter(empreinte=JetonAPI.empreinte_de(clair), revoque_le__isnull=True).first())
        if jeton is None or not jeton.utilisateur.is_active:
            raise exceptions.AuthenticationFailed("Jeton invalide ou révoqué.")
        maintenant = timezone.now()
        # "Last used" to the minute: one write per minute at most, not one per call.
        if jeton.dernier_usage is None or maintenant - jeton.dernier_usage > timedelta(minutes=1):
            JetonAPI.objects.filter(pk=jeton.pk).update(dernier_usage=maintenant)
        return jeton.utilisateur, jeton


class JetonSchema(OpenApiAuthenticationExtension):
    target_class = "qualite.api.authentification.JetonAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Jeton personnel, créé sur la page « Mon jeton d'API » : `Token <jeton>`."}


class PorteurOIDCAuthentication(_EnteteAuthentication):
    """`Authorization: Bearer <access token>` from the OpenID Connect provider: a JWT checked against the
    provider's keys (JWKS), its issuer, expiry and, when OIDC_API_AUDIENCE is set, its audience. The call acts
    as the person whose account that provider identity logged in to (same rights as on the pages); an identity
    that never logged in to the application has no roles here and is refused."""

    mot_cle = "Bearer"

    def authenticate(self, request):
        valeur = self.valeur(request)
        if valeur is None:
            return None
        if not (oidc.active() and settings.OIDC_API_PORTEUR):
            raise exceptions.AuthenticationFailed("Jetons porteurs OpenID Connect non acceptés par ce déploiement.")
        try:
            claims = self._verifier(valeur)
        except (JoseError, ValueError):
            raise exceptions.AuthenticationFailed("Jeton porteur invalide ou expiré.") from None
        except requests.RequestException:
            raise exceptions.AuthenticationFailed("Fournisseur d'identité injoignable : jeton non vérifié.") from None
        compte = (CompteExterne.objects.select_related("utilisateur")
                  .filter(source=Source.OIDC,
                          identifiant=identifiant_oidc(emetteur=claims["iss"], sujet=str(claims.get("sub", ""))))
                  .first())
        if compte is None:
            raise exceptions.AuthenticationFailed(
                "Aucun compte pour cette identité : connectez-vous une fois à l'application avec OpenID Connect.")
        if not compte.utilisateur.is_active:
            raise exceptions.AuthenticationFailed("Compte désactivé.")
        return compte.utilisateur, claims

    @staticmethod
    def _verifier(valeur: str) -> dict:
        client = oidc.client()
        metadata = client.load_server_metadata()
        # Asymmetric signatures only: the JWKS holds public keys, a shared-secret (HS*) token proves nothing here.
        algorithmes = [a for a in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
                       if a[:2] in ("RS", "PS", "ES", "Ed")]
        try:
            jeton = jwt.decode(valeur, KeySet.import_key_set(client.fetch_jwk_set()), algorithms=algorithmes)
        except InvalidKeyIdError:  # the provider rotated its keys
            jeton = jwt.decode(valeur, KeySet.import_key_set(client.fetch_jwk_set(force=True)),
                               algorithms=algorithmes)
        options = {"iss": {"essential": True, "value": metadata["issuer"]}, "exp": {"essential": True},
                   "sub": {"essential": True}}
        if settings.OIDC_API_AUDIENCE:
            options["aud"] = {"essential": True, "value": settings.OIDC_API_AUDIENCE}
        jwt.JWTClaimsRegistry(leeway=30, **options).validate(jeton.claims)
        # An id_token (it carries the login's nonce) is for the application's login, not a key to the API.
        if "nonce" in jeton.claims:
            raise ValueError("id_token présenté comme jeton d'accès")
        return jeton.claims


class PorteurOIDCSchema(OpenApiAuthenticationExtension):
    target_class = "qualite.api.authentification.PorteurOIDCAuthentication"
    name = "porteurOIDC"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "Jeton d'accès du fournisseur OpenID Connect de l'établissement : `Bearer <jeton>`."}
