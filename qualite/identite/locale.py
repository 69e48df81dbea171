"""Local passwords (Django's own accounts). A deployment that logs everyone in through the directory or
OpenID Connect turns them off with CONNEXION_LOCALE=0: only the break-glass administrator named by
COMPTE_SECOURS keeps a password, for the day the identity provider is down."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def connexion_locale_permise(username: str | None) -> bool:
    if getattr(settings, "CONNEXION_LOCALE", True):
        return True
    secours = getattr(settings, "COMPTE_SECOURS", "")
    return bool(secours) and username == secours


class BackendLocal(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not connexion_locale_permise(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
