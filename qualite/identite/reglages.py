"""Directory login settings (django-auth-ldap), built from environment variables. Safe to import from
config/settings: nothing here touches Django's settings. docs/integration.md lists every variable."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlsplit

import ldap
from django_auth_ldap.config import (
    ActiveDirectoryGroupType,
    GroupOfNamesType,
    GroupOfUniqueNamesType,
    LDAPSearch,
    NestedActiveDirectoryGroupType,
    NestedGroupOfNamesType,
    PosixGroupType,
)

TYPES_DE_GROUPE = {
    "groupOfNames": GroupOfNamesType,
    "groupOfNames_imbrique": NestedGroupOfNamesType,
    "groupOfUniqueNames": GroupOfUniqueNamesType,
    "posixGroup": PosixGroupType,
    "ad": ActiveDirectoryGroupType,
    # Active Directory with groups inside groups (the usual case in a hospital's AD)
    "ad_imbrique": NestedActiveDirectoryGroupType,
}

# Active Directory: the "account disabled" bit of userAccountControl, through the bitwise-AND matching rule.
FILTRE_AD_ACTIF = "(!(userAccountControl:1.2.840.113556.1.4.803:=2))"


def reglages_ldap(env: Mapping[str, str]) -> dict:
    """The AUTH_LDAP_* settings. Without LDAP_URI the directory login is off (the backend answers None)."""
    uri = env.get("LDAP_URI", "").strip()
    type_groupe = env.get("LDAP_TYPE_GROUPE", "groupOfNames")
    if type_groupe not in TYPES_DE_GROUPE:
        raise ValueError(f"LDAP_TYPE_GROUPE inconnu : {type_groupe} (possibles : {', '.join(TYPES_DE_GROUPE)})")
    reglages = {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_BIND_DN": env.get("LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env.get("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_START_TLS": env.get("LDAP_START_TLS", "").lower() in ("1", "true", "oui", "yes"),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            env.get("LDAP_BASE_UTILISATEURS", ""), ldap.SCOPE_SUBTREE,
            env.get("LDAP_FILTRE_UTILISATEUR", "(uid=%(user)s)")),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(
            env.get("LDAP_BASE_GROUPES", ""), ldap.SCOPE_SUBTREE,
            env.get("LDAP_FILTRE_GROUPES", "(objectClass=*)")),
        "AUTH_LDAP_GROUP_TYPE": TYPES_DE_GROUPE[type_groupe](),
        "AUTH_LDAP_USER_ATTR_MAP": {
            "first_name": env.get("LDAP_ATTRIBUT_PRENOM", "givenName"),
            "last_name": env.get("LDAP_ATTRIBUT_NOM", "sn"),
            "email": env.get("LDAP_ATTRIBUT_EMAIL", "mail"),
        },
        # Name and e-mail refreshed from the directory at each login.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_DENY_GROUP": env.get("LDAP_GROUPE_REFUSE") or None,
        "AUTH_LDAP_REQUIRE_GROUP": env.get("LDAP_GROUPE_REQUIS") or None,
        # A directory that does not answer must not hold the login page for minutes; AD referrals off.
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_REFERRALS: 0,
            ldap.OPT_NETWORK_TIMEOUT: int(env.get("LDAP_DELAI", "5")),
            ldap.OPT_TIMEOUT: int(env.get("LDAP_DELAI", "5")),
        },
    }
    return reglages


def origine(url: str) -> str:
    """scheme://host[:port] of a URL (for the Content-Security-Policy)."""
    morceaux = urlsplit(url)
    return f"{morceaux.scheme}://{morceaux.netloc}"


def _oui(valeur: str) -> bool:
    return valeur.strip().lower() in ("1", "true", "oui", "yes")


def reglages_oidc(env: Mapping[str, str]) -> dict:
    """The OIDC_* settings (OpenID Connect login and OIDC bearer tokens for the API), and the switch for local
    passwords. Without OIDC_DISCOVERY_URL the OpenID Connect login is off."""
    return {
        "OIDC_DISCOVERY_URL": env.get("OIDC_DISCOVERY_URL", "").strip(),
        "OIDC_CLIENT_ID": env.get("OIDC_CLIENT_ID", "").strip(),
        "OIDC_CLIENT_SECRET": env.get("OIDC_CLIENT_SECRET", ""),
        "OIDC_SCOPES": env.get("OIDC_SCOPES", "openid profile email").strip(),
        "OIDC_LIBELLE": env.get("OIDC_LIBELLE", "").strip() or "le portail d'identité",
        # Claims read from the userinfo endpoint too (names or groups missing from the id_token).
        "OIDC_USERINFO": _oui(env.get("OIDC_USERINFO", "1")),
        "OIDC_CLAIM_GROUPES": env.get("OIDC_CLAIM_GROUPES", "groups").strip(),
        "OIDC_CLAIM_IDENTIFIANT": env.get("OIDC_CLAIM_IDENTIFIANT", "preferred_username").strip(),
        "OIDC_CLAIM_PRENOM": env.get("OIDC_CLAIM_PRENOM", "given_name").strip(),
        "OIDC_CLAIM_NOM": env.get("OIDC_CLAIM_NOM", "family_name").strip(),
        "OIDC_CLAIM_EMAIL": env.get("OIDC_CLAIM_EMAIL", "email").strip(),
        # Extra parameters of the authorisation request (Pro Santé Connect asks for acr_values=eidas1).
        "OIDC_PARAMETRES_AUTORISATION": env.get("OIDC_PARAMETRES_AUTORISATION", "").strip(),
        # OIDC bearer tokens on the API: the access token is a JWT signed with the provider's keys (JWKS).
        "OIDC_API_PORTEUR": _oui(env.get("OIDC_API_PORTEUR", "1")),
        "OIDC_API_AUDIENCE": env.get("OIDC_API_AUDIENCE", "").strip(),
        "OIDC_DELAI": int(env.get("OIDC_DELAI", "5")),
        # Local passwords: off with CONNEXION_LOCALE=0, except for the break-glass account named here.
        "CONNEXION_LOCALE": _oui(env.get("CONNEXION_LOCALE", "1")),
        "COMPTE_SECOURS": env.get("COMPTE_SECOURS", "").strip(),
    }
