"""API authentication: a personal token (qualite.identite.JetonAPI), sent as `Authorization: Token <jeton>`.
Only the token's SHA-256 is stored; a revoked token or a deactivated user is refused."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from qualite.identite.models import JetonAPI


class JetonAuthentication(authentication.BaseAuthentication):
    mot_cle = "Token"

    def authenticate(self, request):
        morceaux = authentication.get_authorization_header(request).split()
        if not morceaux or morceaux[0].lower() != self.mot_cle.lower().encode():
            return None
        if len(morceaux) != 2:
            raise exceptions.AuthenticationFailed("En-tête Authorization invalide : « Token <jeton> » attendu.")
        try:
            clair = morceaux[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Jeton invalide.") from None
        jeton = (JetonAPI.objects.select_related("utilisateur")
                 .filter(empreinte=JetonAPI.empreinte_de(clair), revoque_le__isnull=True).first())
        if jeton is None or not jeton.utilisateur.is_active:
            raise exceptions.AuthenticationFailed("Jeton invalide ou révoqué.")
        maintenant = timezone.now()
        # "Last used" to the minute: one write per minute at most, not one per call.
        if jeton.dernier_usage is None or maintenant - jeton.dernier_usage > timedelta(minutes=1):
            JetonAPI.objects.filter(pk=jeton.pk).update(dernier_usage=maintenant)
        return jeton.utilisateur, jeton

    def authenticate_header(self, request):
        return self.mot_cle


class JetonSchema(OpenApiAuthenticationExtension):
    target_class = "qualite.api.authentification.JetonAuthentication"
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Jeton personnel, créé sur la page « Mon jeton d'API » : `Token <jeton>`."}
