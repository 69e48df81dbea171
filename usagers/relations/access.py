"""Who sees which records of the user-relations registers, through the single rule access.perimetre()."""

from django.db.models import QuerySet

from qualite.organisation import access


def voit_nominatif_reclamations(user) -> bool:
    return access.has_perm(user, "reclamations.voir_nominatif")


def reclamations_scope(qs: QuerySet, user) -> QuerySet:
    """Relations staff, mediators, direction: named records; CDU and RU: the same records, anonymised by the views."""
    perimetre = access.perimetre(user, "reclamations.voir_nominatif")
    if perimetre.vide:
        perimetre = access.perimetre(user, "reclamations.voir_anonymise")
    return perimetre.filtrer(qs.non_archivees())


def get_reclamation_for_user(user, pk):
    from usagers.relations.models import Reclamation

    qs = reclamations_scope(Reclamation.objects.select_related("etablissement", "seance_cdu", "ru_accompagnant", "evenement"), user)
    return access.objet_ou_404(qs, pk=pk)


def peut_gerer_reclamation(user, rec) -> bool:
    """Whether the user may do the complaint's gestures and edit it: the same rule as the registers, on one record."""
    return access.perimetre(user, "reclamations.gerer").contient(rec)


def dossiers_scope(qs: QuerySet, user) -> QuerySet:
    return access.perimetre(user, "dossiers.gerer").filtrer(qs)


def cdu_scope(qs: QuerySet, user, champ: str = "etablissement") -> QuerySet:
    perimetre = access.perimetre(user, "cdu.consulter")
    if perimetre.vide:
        perimetre = access.perimetre(user, "ru.campagnes")
    return perimetre.filtrer(qs, etablissement=f"{champ}_id")
