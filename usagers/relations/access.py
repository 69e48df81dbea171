"""Who sees which records of the user-relations and involuntary-care registers."""

from django.db.models import QuerySet

from qualite.organisation import access


def voit_nominatif_reclamations(user) -> bool:
    return access.has_perm(user, "reclamations.voir_nominatif")


def reclamations_scope(qs: QuerySet, user) -> QuerySet:
    """Relations staff, mediators, direction: named records; CDU and RU: the same records, anonymised by the views."""
    if voit_nominatif_reclamations(user) or access.has_perm(user, "reclamations.voir_anonymise"):
        return access.scope_etablissement(qs.non_archivees(), user)
    return qs.none()


def get_reclamation_for_user(user, pk):
    from usagers.relations.models import Reclamation

    qs = reclamations_scope(Reclamation.objects.select_related("etablissement", "seance_cdu", "ru_accompagnant", "evenement"), user)
    return access.objet_ou_404(qs, pk=pk)


def dossiers_scope(qs: QuerySet, user) -> QuerySet:
    if access.has_perm(user, "dossiers.gerer"):
        return access.scope_etablissement(qs, user)
    return qs.none()


def cdu_scope(qs: QuerySet, user, champ: str = "etablissement") -> QuerySet:
    if access.has_perm(user, "cdu.consulter") or access.has_perm(user, "ru.campagnes"):
        return access.scope_etablissement(qs, user, champ=champ)
    return qs.none()
