"""Directory login (LDAP / Active Directory) through django-auth-ldap: the user is created at the first
login, name and e-mail come from the directory, roles from their groups through the mapping table."""

from __future__ import annotations

from django.conf import settings
from django_auth_ldap.backend import LDAPBackend

from qualite.identite.models import CompteExterne, Source
from qualite.identite.services import compte_externe_synchroniser


class AnnuaireBackend(LDAPBackend):
    """Off while LDAP_URI is unset. A local account (one without a directory link) is never taken over by a
    directory entry of the same name: it keeps logging in with its own password through ModelBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not getattr(settings, "AUTH_LDAP_SERVER_URI", ""):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username, ldap_user):
        user, built = super().get_or_build_user(username, ldap_user)
        if not built and not CompteExterne.objects.filter(utilisateur=user, source=Source.LDAP).exists():
            raise ldap_user.AuthenticationFailed(f"{username} est un compte local : l'annuaire ne le reprend pas")
        if not built and not user.is_active:
            raise ldap_user.AuthenticationFailed(f"{username} est désactivé dans l'application")
        return user, built

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            compte_externe_synchroniser(utilisateur=user, source=Source.LDAP, identifiant=ldap_user.dn,
                                        groupes=list(ldap_user.group_dns))
        return user
