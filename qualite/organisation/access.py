"""Who may do what, and which records they see. Every view goes through here.

Permissions are named capabilities granted to roles; scopes restrict querysets
to the établissements (and, for pôle-level roles, the pôle) a user covers.
A scoping rule is written once here and reused by pages, exports and reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from qualite.organisation.roles import Role

R = Role
TOUS = frozenset(Role.values)

# One catalogue for the whole product: permission -> roles granted it.
PERMISSIONS: dict[str, frozenset[str]] = {
    # Core
    "echeances.voir": TOUS,
    "echeances.regles": frozenset({R.GESTIONNAIRE_RISQUES, R.RELATIONS_USAGERS, R.BUREAU_ADMISSIONS, R.DIRECTION, R.ADMINISTRATEUR}),
    "echeances.regles_modifier": frozenset({R.ADMINISTRATEUR}),
    "audit.consulter": frozenset({R.ADMINISTRATEUR}),
    "organisation.administrer": frozenset({R.ADMINISTRATEUR}),
    # The REST API (qualite/api): a personal token; each endpoint then asks for its page's own permission.
    "api.utiliser": TOUS,
    # Importing a register also needs that register's own management permission (evenements.gerer...).
    "import.registres": frozenset({R.GESTIONNAIRE_RISQUES, R.RELATIONS_USAGERS, R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),
    # Adverse events
    "evenements.declarer": TOUS,
    # Other people's declarations: within each role's reach (a cadre: his pôle).
    "evenements.voir": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.CADRE_POLE, R.ADMINISTRATEUR}),
    "evenements.gerer": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "evenements.statistiques_anonymes": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.DIRECTION, R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "evenements.identite_declarant_confidentiel": frozenset({R.GESTIONNAIRE_RISQUES}),
    "evenements.referentiels": frozenset({R.ADMINISTRATEUR, R.GESTIONNAIRE_RISQUES}),
    # FHIR AdverseEvent export of named events (evenements/fhir.py), within evenements.voir's reach; the CDU and
    # the user representatives get the anonymised EIGS through evenements.statistiques_anonymes instead.
    "evenements.export_fhir": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.ADMINISTRATEUR}),
    # Involuntary psychiatric care (nominative health data)
    "ssc.voir": frozenset({R.BUREAU_ADMISSIONS, R.PSYCHIATRE, R.ADMINISTRATEUR}),
    # Every write on a measure, named: usagers/ssc/access.py maps each act type to one of them.
    "ssc.gerer": frozenset({R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),  # admission, its documents, import
    "ssc.certificats": frozenset({R.PSYCHIATRE, R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),  # certificates, college
    "ssc.decisions": frozenset({R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),  # préfet, judge, form of care, transfer
    "ssc.lever": frozenset({R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),  # the lifting act
    "ssc.annuler": frozenset({R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),  # cancel an act recorded by mistake
    "ssc.isolement": frozenset({R.PSYCHIATRE, R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),  # isolation decisions
    "ssc.juge_isolement": frozenset({R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),  # judge on isolation
    # A psychiatrist's evaluations in isolation or restraint: entered by the psychiatrist, or transcribed by the
    # admissions office that keeps the register.
    "ssc.evaluations": frozenset({R.PSYCHIATRE, R.BUREAU_ADMISSIONS, R.ADMINISTRATEUR}),
    "ssc.statistiques": frozenset({R.BUREAU_ADMISSIONS, R.DIRECTION, R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.ADMINISTRATEUR}),
    # User relations: complaints, mediation, medical-record requests, CDU, user representatives
    "reclamations.gerer": frozenset({R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "reclamations.voir_nominatif": frozenset({R.RELATIONS_USAGERS, R.MEDIATEUR, R.DIRECTION, R.ADMINISTRATEUR}),
    "reclamations.voir_anonymise": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS}),
    # Letter templates, letterhead, signatory and appeal routes of the user's établissements (usagers/relations).
    "courriers.modeles": frozenset({R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "dossiers.gerer": frozenset({R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "dossiers.statistiques": frozenset({R.RELATIONS_USAGERS, R.DIRECTION, R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.ADMINISTRATEUR}),
    "cdu.gerer": frozenset({R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "cdu.consulter": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.RELATIONS_USAGERS, R.MEDIATEUR, R.DIRECTION, R.ADMINISTRATEUR}),
    "ru.campagnes": frozenset({R.REPRESENTANT_USAGERS, R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    # What the representatives bring (usagers/impact): indicators and before/after comparisons (no nominative
    # data), campaigns run by the relations staff, each volunteer representative answering for himself only.
    "impact.consulter": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.RELATIONS_USAGERS, R.MEDIATEUR, R.DIRECTION,
                                   R.ADMINISTRATEUR}),
    "impact.gerer": frozenset({R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "impact.repondre": frozenset({R.REPRESENTANT_USAGERS}),
    # Bientraitance self-assessment per service: scores per theme, no nominative data; a cadre: his pôle.
    "bientraitance.voir": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.CADRE_POLE, R.RELATIONS_USAGERS,
                                     R.MEMBRE_CDU, R.REPRESENTANT_USAGERS, R.ADMINISTRATEUR}),
    "bientraitance.gerer": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "bientraitance.saisir": frozenset({R.CADRE_POLE, R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    # Certification, quality programme (PAQSS) and indicators
    "certification.gerer": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "certification.consulter": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.CADRE_POLE, R.ADMINISTRATEUR}),
    "paqss.gerer": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "paqss.voir": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.RELATIONS_USAGERS, R.CADRE_POLE, R.ADMINISTRATEUR}),
    "paqss.mon_pole": frozenset({R.CADRE_POLE}),
    "indicateurs.saisir": frozenset({R.GESTIONNAIRE_RISQUES, R.CADRE_POLE, R.ADMINISTRATEUR}),
    # A-priori risk map (qualite/risques): no nominative data; its linked events follow evenements.voir.
    "risques.voir": frozenset({R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.ADMINISTRATEUR}),
    "risques.modifier": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    # Quality document system (qualite/documents): everyone reads what is diffused; quality staff write,
    # verify and diffuse; the direction approves; the cadre de pôle writes and verifies his unit's procedures.
    "documents.voir": TOUS,
    "documents.rediger": frozenset({R.GESTIONNAIRE_RISQUES, R.CADRE_POLE, R.ADMINISTRATEUR}),
    "documents.verifier": frozenset({R.GESTIONNAIRE_RISQUES, R.CADRE_POLE, R.ADMINISTRATEUR}),
    "documents.approuver": frozenset({R.DIRECTION, R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "documents.diffuser": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    # Services' quality meeting spaces (qualite/espaces): the binôme is named on the space, but what a user
    # sees and runs comes from these permissions within their reach (a cadre his pôle, a psychiatrist his unit).
    "espaces.voir": frozenset({R.CADRE_POLE, R.PSYCHIATRE, R.GESTIONNAIRE_RISQUES, R.DIRECTION, R.ADMINISTRATEUR}),
    "espaces.animer": frozenset({R.CADRE_POLE, R.PSYCHIATRE, R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    "espaces.gerer": frozenset({R.GESTIONNAIRE_RISQUES, R.ADMINISTRATEUR}),
    # Annual report and dashboards
    "rapports.generer": frozenset({R.DIRECTION, R.GESTIONNAIRE_RISQUES, R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "rapports.telecharger_anonyme": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS}),
    "tableaux.direction": frozenset({R.DIRECTION, R.GESTIONNAIRE_RISQUES, R.RELATIONS_USAGERS, R.ADMINISTRATEUR}),
    "tableaux.cdu": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS}),
    "tableaux.pole": frozenset({R.CADRE_POLE}),
    # Counts of 1 or 2 shown « < 3 » wherever these roles see statistics (qualite/pilotage/anonymat.py).
    "statistiques.effectifs_masques": frozenset({R.MEMBRE_CDU, R.REPRESENTANT_USAGERS}),
}


class Portee(IntEnum):
    """How far a role reaches inside the user's établissements."""

    AUCUNE = 0
    SERVICE = 1
    POLE = 2
    ETABLISSEMENT = 3


# The one table where a role limits what a user sees to a pôle or a unit. Every other role reaches
# the user's whole établissements. A permission's reach is the widest among the roles granting it.
PORTEE_ROLES: dict[str, Portee] = {R.CADRE_POLE: Portee.POLE, R.PSYCHIATRE: Portee.SERVICE}


def portee_du_role(role: str) -> Portee:
    return PORTEE_ROLES.get(role, Portee.ETABLISSEMENT)


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
    from qualite.organisation.models import Etablissement

    propres = Etablissement.objects.filter(utilisateurs=user)
    if user.perimetre_ght:
        ids = Etablissement.objects.filter(ght__in=propres.values("ght")).values_list("id", flat=True)
    else:
        ids = propres.values_list("id", flat=True)
    user._etablissements_visibles = frozenset(ids)
    return user._etablissements_visibles


@dataclass(frozen=True)
class Perimetre:
    """Which établissements, and which pôle or unit if any, a permission opens to a user."""

    etablissements: frozenset[int]
    portee: Portee
    pole_id: int | None = None
    service_id: int | None = None

    @property
    def vide(self) -> bool:
        return (self.portee == Portee.AUCUNE or not self.etablissements
                or (self.portee == Portee.POLE and not self.pole_id)
                or (self.portee == Portee.SERVICE and not self.service_id))

    def q(self, *, etablissement: str = "etablissement_id", pole: str = "pole_id", service: str = "service_id") -> Q:
        """The filter on a model whose établissement, pôle and unit are at these lookup paths."""
        if self.vide:
            return Q(pk__in=[])
        q = Q(**{f"{etablissement}__in": self.etablissements})
        if self.portee == Portee.POLE:
            q &= Q(**{pole: self.pole_id})
        elif self.portee == Portee.SERVICE:
            q &= Q(**{service: self.service_id})
        return q

    def filtrer(self, qs: QuerySet, **chemins) -> QuerySet:
        return qs.none() if self.vide else qs.filter(self.q(**chemins))

    def filtrer_etablissement(self, qs: QuerySet, champ: str = "etablissement_id") -> QuerySet:
        """Records of an établissement as a whole (a process, a self-assessment): whoever the permission
        opens that établissement to sees them, a pôle or unit reach included."""
        return qs.none() if self.vide else qs.filter(**{f"{champ}__in": self.etablissements})

    def contient(self, objet, *, pole_id=None, service_id=None) -> bool:
        """The same rule on one record in memory (a write check after the object is loaded)."""
        if self.vide or getattr(objet, "etablissement_id", None) not in self.etablissements:
            return False
        if self.portee == Portee.POLE:
            return (pole_id if pole_id is not None else getattr(objet, "pole_id", None)) == self.pole_id
        if self.portee == Portee.SERVICE:
            return (service_id if service_id is not None else getattr(objet, "service_id", None)) == self.service_id
        return True


def _perimetre_des_roles(user, roles) -> Perimetre:
    portee = max((portee_du_role(r) for r in roles), default=Portee.AUCUNE)
    return Perimetre(etablissements_visibles(user) if portee else frozenset(), portee,
                     user.pole_id if portee == Portee.POLE else None,
                     user.service_id if portee == Portee.SERVICE else None)


def perimetre(user, permission: str) -> Perimetre:
    """The single scoping rule: the user's établissements, narrowed to a pôle or a unit when every
    role granting `permission` to this user is a pôle or unit role. A user holding several roles gets
    the reach of the roles that grant this permission, never that of an unrelated role."""
    if not user.is_authenticated or not user.is_active:
        return Perimetre(frozenset(), Portee.AUCUNE)
    if permission not in PERMISSIONS:
        raise KeyError(f"Permission inconnue : {permission}")
    return _perimetre_des_roles(user, set(user.roles) & PERMISSIONS[permission])


def objet_ou_404(qs: QuerySet, **lookup):
    """Fetch from an already scoped queryset: out of scope is indistinguishable from absent."""
    try:
        return qs.get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None


def echeances_scope(qs: QuerySet, user) -> QuerySet:
    """Deadlines a user must follow: theirs by name, and those of the rules their roles answer for,
    each role within its reach (a cadre his pôle, a psychiatrist his unit)."""
    if not user.is_authenticated:
        return qs.none()
    q = Q(responsable=user)
    par_portee: dict[Portee, list[str]] = {}
    for role in user.roles:
        par_portee.setdefault(portee_du_role(role), []).append(role)
    for roles in par_portee.values():
        q |= Q(regle_id__in=_regles_des_roles(sorted(roles))) & _perimetre_des_roles(user, roles).q()
    return qs.filter(q)


def _regles_des_roles(roles: list[str]) -> list[int]:
    """The rules these roles answer for, as ids: the planner then counts a rule's deadlines by its index instead
    of walking every open deadline in date order to test its rule (80 ms for 5 rows among 74 000 deadlines).
    Cached under the rule table's version."""
    from qualite.echeances.models import RegleEcheance
    from qualite.outils import registres

    return registres.en_cache(
        lambda: f"regles-des-roles:{registres.version(RegleEcheance)}:{','.join(roles)}",
        lambda: list(RegleEcheance.objects.filter(roles__overlap=roles).order_by("id").values_list("id", flat=True)))
