"""Who sees which impact campaigns and bientraitance self-assessments, through access.perimetre()."""

from django.db.models import QuerySet

from qualite.organisation import access


def campagnes_impact_scope(qs: QuerySet, user) -> QuerySet:
    perimetre = access.perimetre(user, "impact.consulter")
    if perimetre.vide:
        perimetre = access.perimetre(user, "impact.repondre")
    return perimetre.filtrer(qs)


def get_campagne_impact_for_user(user, pk):
    from usagers.impact.models import CampagneImpact

    return access.objet_ou_404(campagnes_impact_scope(CampagneImpact.objects.select_related("etablissement", "grille"),
                                                      user), pk=pk)


def membre_repondant(user, campagne):
    """The CDU member this account answers as, when it is in the campaign's cohort: a representative
    answers for himself only, never for another member."""
    if not access.has_perm(user, "impact.repondre"):
        return None
    return campagne.cohorte.filter(utilisateur=user, actif=True).first()


def bientraitance_scope(qs: QuerySet, user, permission: str = "bientraitance.voir") -> QuerySet:
    return access.perimetre(user, permission).filtrer(qs, pole="service__pole_id")


def get_bientraitance_for_user(user, pk):
    from usagers.impact.models import CampagneBientraitance

    qs = CampagneBientraitance.objects.select_related("etablissement", "service__pole", "grille")
    return access.objet_ou_404(bientraitance_scope(qs, user), pk=pk)


def peut_saisir_bientraitance(user, campagne) -> bool:
    return access.perimetre(user, "bientraitance.saisir").contient(
        campagne, pole_id=campagne.service.pole_id, service_id=campagne.service_id)
