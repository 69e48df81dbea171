"""Who may do what, and which records they see. Every view goes through here.

Permissions are named capabilities granted to roles; scopes restrict querysets
to the établissements (and, for pôle-level roles, the pôle) a user covers.
A scoping rule is written once here and reused by pages, exports and reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .roles import Role

R = Role
TOUS = frozenset(Role.values)

# One catalogue for the whole product: permission -> roles granted it.
PERMISSIONS: dict[str, frozenset[str]] = {
    # Core
    "echeances.voir": TOUS,
    "echeances.regles": frozenset({R.GESTIONNAIRE_RISQUES, R.RELATIONS_USAGERS, R.BUREAU_ADMISSIONS, R.DIRECTION, R.ADMINISTRATEUR}),
    "audit.consulter": frozenset({R.ADMINISTRATEUR}),
    "organisation.administrer": frozenset({R.ADMINISTRATEUR}),
    # Importing a register also needs that register's own management permission (evenements.gerer...).
    "import.registres": frozenset({R.GESTIONNAIRE_RISQUES, R.RELATIONS_USAGERS, R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),
    # Adverse events
    "evenements.declarer": TOUS,
    "evenements.voir_pole": frozenset({R.CADRE_POLE}),
    "evenements.gerer": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "evenements.voir_etablissement": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.ADMINISTRATEUR}),
    "evenements.statistiques_anonymes": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.DIRECTION, R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "evenements.identite_declarant_confidentiel": frozenset({R.GESTIONNAIRE_RISQUES}),
    "evenements.referentiels": frozenset({R.ADMINISTRATEUR, R.GESTIONNAIRE_RISQUES}),
    # Involuntary psychiatric care (nominative health data)
    "ssc.gerer": frozenset({R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),
    "ssc.voir_unite": frozenset({R.PSYCHIATRE}),
    "ssc.statistiques": frozenset({R.BUREAU_ADMISSIONS, R.DIRECTION, R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.ADMINISTRATEUR}),
    # User relations: complaints, mediation, medical-record requests, CDU, user representatives
    "reclamations.gerer": frozenset({R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "reclamations.voir_nominatif": frozenset({R.RELATIONS_USAGERS, R.MEDIATEUR, R.DIRECTION, R.ADMINISTRATEUR}),
    "reclamations.voir_anonymise": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS}),
    "dossiers.gerer": frozenset({R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "dossiers.statistiques": frozenset({R.RELATIONS_USAGERS, R.DIRECTION, R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.ADMINISTRATEUR}),
    "cdu.gerer": frozenset({R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "cdu.consulter": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.RELATIONS_USAGERS, R.MEDIATEUR, R.DIRECTION, R.ADMINISTRATEUR}),
    "ru.campagnes": frozenset({R.REPRESENTANT_USAGERS, R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    # Certification, quality programme (PAQSS) and indicators
    "certification.gerer": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "certification.consulter": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.CADRE_POLE, R.ADMINISTRATEUR}),
    "paqss.gerer": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "paqss.voir_etablissement": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "paqss.voir_pole": frozenset({R.CADRE_POLE}),
    "indicateurs.saisir": frozenset({R.GESTIONNAIRE_RISQUES, R.CADRE_POLE, R.ADMINISTRATEUR}),
    # Annual report and dashboards
    "rapports.generer": frozenset({R.DIRECTION, R.GESTIONNAIRE_RISQUES, R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "rapports.telecharger_anonyme": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS}),
    "tableaux.direction": frozenset({R.DIRECTION, R.GESTIONNAIRE_RISQUES, R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "tableaux.cdu": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS}),
    "tableaux.pole": frozenset({R.CADRE_POLE}),
}

# Roles whose records scope is their pôle rather than their établissement(s).
ROLES_POLE = frozenset({R.CADRE_POLE})


def has_perm(user, permission: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if permission not in PERMISSIONS:
        raise KeyError(f"Permission inconnue : {permission}")
    return bool(set(user.roles) & PERMISSIONS[permission])


def exiger(user, permission: str) -> None:
    """Raise 403 unless the user holds the permission."""
    if not has_perm(user, permission):
        raise PermissionDenied


def etablissements_visibles(user) -> frozenset[int]:
    """Ids of the établissements whose records the user may see (cached per request)."""
    if not user.is_authenticated:
        return frozenset()
    cache = getattr(user, "_etablissements_visibles", None)
    if cache is not None:
        return cache
    from .models import Etablissement

    propres = Etablissement.objects.filter(utilisateurs=user)
    if user.perimetre_ght:
        ids = Etablissement.objects.filter(ght__in=propres.values("ght")).values_list("id", flat=True)
    else:
        ids = propres.values_list("id", flat=True)
    user._etablissements_visibles = frozenset(ids)
    return user._etablissements_visibles


def scope_etablissement(qs: QuerySet, user, champ: str = "etablissement") -> QuerySet:
    return qs.filter(**{f"{champ}__in": etablissements_visibles(user)})


def scope_pole(qs: QuerySet, user, champ: str = "pole") -> QuerySet:
    """Records of the user's own pôle, inside the établissements they see."""
    if not user.pole_id:
        return qs.none()
    return qs.filter(**{champ: user.pole_id})


def objet_ou_404(qs: QuerySet, **lookup):
    """Fetch from an already scoped queryset: out of scope is indistinguishable from absent."""
    try:
        return qs.get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None


def echeances_scope(qs: QuerySet, user) -> QuerySet:
    """Deadlines a user must follow: theirs by name, and those of the rules their
    roles answer for, within their établissements (or pôle, for pôle roles)."""
    if not user.is_authenticated:
        return qs.none()
    roles = set(user.roles)
    q = Q(responsable=user)
    etab_roles = sorted(roles - ROLES_POLE)
    if etab_roles:
        q |= Q(etablissement_id__in=etablissements_visibles(user), regle__roles__overlap=etab_roles)
    pole_roles = sorted(roles & ROLES_POLE)
    if pole_roles and user.pole_id:
        q |= Q(
            etablissement_id__in=etablissements_visibles(user),
            pole_id=user.pole_id,
            regle__roles__overlap=pole_roles,
        )
    return qs.filter(q)
