"""Who sees and runs which spaces, through the single rule access.perimetre(): a space belongs to its
établissement, its pôle and its services (M2M: a unit reach sees the spaces that name its unit)."""

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


def get_reunion_for_user(user, pk, permission: str = "espaces.voir") -> ReunionEspace:
    access.exiger(user, permission)
    qs = ReunionEspace.objects.select_related("espace__etablissement", "espace__pole", "compte_rendu_valide_par")
    visibles = espaces_scope(EspaceEchanges.objects.all(), user, permission)
    return access.objet_ou_404(qs.filter(espace__in=visibles), pk=pk)


# Writes: 403 without the permission, then 404 outside its reach (a director who is also a cadre runs the
# spaces of his pôle only, even though he reads the whole établissement's).

def espace_a_animer(user, pk) -> EspaceEchanges:
    access.exiger(user, "espaces.animer")
    return access.objet_ou_404(espaces_scope(EspaceEchanges.objects.select_related("etablissement", "pole"), user,
                                             "espaces.animer"), pk=pk)


def espace_a_gerer(user, pk) -> EspaceEchanges:
    access.exiger(user, "espaces.gerer")
    return access.objet_ou_404(espaces_scope(EspaceEchanges.objects.select_related("etablissement", "pole"), user,
                                             "espaces.gerer"), pk=pk)


def reunion_a_animer(user, pk) -> ReunionEspace:
    return get_reunion_for_user(user, pk, "espaces.animer")


def element_a_animer(user, pk) -> ElementOrdreDuJour:
    access.exiger(user, "espaces.animer")
    visibles = espaces_scope(EspaceEchanges.objects.all(), user, "espaces.animer")
    return access.objet_ou_404(ElementOrdreDuJour.objects.select_related("reunion__espace")
                               .filter(reunion__espace__in=visibles), pk=pk)


def decision_a_animer(user, pk) -> DecisionReunion:
    access.exiger(user, "espaces.animer")
    visibles = espaces_scope(EspaceEchanges.objects.all(), user, "espaces.animer")
    return access.objet_ou_404(DecisionReunion.objects.select_related("reunion__espace")
                               .filter(reunion__espace__in=visibles), pk=pk)
