"""Who sees and runs which spaces, through the single rule access.perimetre(): a space belongs to its
établissement, its pôle and its services (M2M: a unit reach sees the spaces that name its unit)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from qualite.espaces.models import DecisionReunion, ElementOrdreDuJour, EspaceEchanges, ReunionEspace
from qualite.organisation import access


def espaces_scope(qs: QuerySet, user, permission: str = "espaces.voir") -> QuerySet:
    perimetre = access.perimetre(user, permission)
    if perimetre.vide:
        return qs.none()
    dans = EspaceEchanges.objects.filter(perimetre.q(pole="pole_id", service="services")).values("pk")
    return qs.filter(pk__in=dans)


def exiger_voir(user) -> None:
    access.exiger(user, "espaces.voir")


def peut_animer(user, espace: EspaceEchanges) -> bool:
    return (access.has_perm(user, "espaces.animer")
            and espaces_scope(EspaceEchanges.objects.filter(pk=espace.pk), user, "espaces.animer").exists())


def peut_gerer(user, espace: EspaceEchanges) -> bool:
    return (access.has_perm(user, "espaces.gerer")
            and espaces_scope(EspaceEchanges.objects.filter(pk=espace.pk), user, "espaces.gerer").exists())


def get_espace_for_user(user, pk) -> EspaceEchanges:
    exiger_voir(user)
    qs = EspaceEchanges.objects.select_related("etablissement", "pole", "binome_medecin", "binome_cadre", "charte",
                                               "lettre_missions")
    return access.objet_ou_404(espaces_scope(qs, user), pk=pk)


def get_reunion_for_user(user, pk) -> ReunionEspace:
    exiger_voir(user)
    qs = ReunionEspace.objects.select_related("espace__etablissement", "espace__pole", "compte_rendu_valide_par")
    return access.objet_ou_404(qs.filter(espace__in=espaces_scope(EspaceEchanges.objects.all(), user)), pk=pk)


def exiger_animer(user, espace: EspaceEchanges) -> None:
    """Seen but not run: 403 (the object was fetched in scope first, out of scope is already a 404)."""
    if not peut_animer(user, espace):
        raise PermissionDenied


def exiger_gerer(user, espace: EspaceEchanges) -> None:
    if not peut_gerer(user, espace):
        raise PermissionDenied


def reunion_a_animer(user, pk) -> ReunionEspace:
    reunion = get_reunion_for_user(user, pk)
    exiger_animer(user, reunion.espace)
    return reunion


def element_a_animer(user, pk) -> ElementOrdreDuJour:
    exiger_voir(user)
    visibles = espaces_scope(EspaceEchanges.objects.all(), user)
    element = access.objet_ou_404(ElementOrdreDuJour.objects.select_related("reunion__espace")
                                  .filter(reunion__espace__in=visibles), pk=pk)
    exiger_animer(user, element.reunion.espace)
    return element


def decision_a_animer(user, pk) -> DecisionReunion:
    exiger_voir(user)
    visibles = espaces_scope(EspaceEchanges.objects.all(), user)
    decision = access.objet_ou_404(DecisionReunion.objects.select_related("reunion__espace")
                                   .filter(reunion__espace__in=visibles), pk=pk)
    exiger_animer(user, decision.reunion.espace)
    return decision
