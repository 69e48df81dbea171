"""Reads of the meeting spaces: scoped lists, a meeting's page, the annual review and the representatives'
attendance (read by usagers/impact)."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from qualite.espaces import sources
from qualite.espaces.access import espaces_scope
from qualite.espaces.models import DecisionReunion, EspaceEchanges, PresenceReunion, ReunionEspace
from qualite.organisation.roles import Role

Statut = ReunionEspace.Statut


def espaces_liste(user):
    """The spaces a user sees, with their next planned meeting and the year's counts (one query)."""
    aujourd_hui = timezone.localdate()
    annee = Q(reunions__date__year=aujourd_hui.year)
    return (espaces_scope(EspaceEchanges.objects.filter(actif=True), user)
            .select_related("etablissement", "pole", "binome_medecin", "binome_cadre")
            .annotate(prochaine=Min("reunions__date", filter=Q(reunions__statut=Statut.PREVUE,
                                                                 reunions__date__gte=aujourd_hui)),
                      prevues_annee=Count("reunions", filter=annee & ~Q(reunions__statut=Statut.ANNULEE)),
                      tenues_annee=Count("reunions", filter=annee & Q(reunions__statut=Statut.TENUE)))
            .order_by("etablissement__nom", "pole__nom", "nom"))


def reunions_de(espace: EspaceEchanges, annee: int | None = None):
    qs = espace.reunions.select_related("compte_rendu_valide_par").annotate(
        presents=Count("presences", filter=Q(presences__statut=PresenceReunion.Statut.PRESENT)),
        decisions_nb=Count("decisions", distinct=True))
    return qs.filter(date__year=annee) if annee else qs


def prochaine_reunion(espace: EspaceEchanges) -> ReunionEspace | None:
    return (espace.reunions.filter(statut=Statut.PREVUE, compte_rendu_valide_le__isnull=True)
            .order_by("date").first())


def elements_de(reunion: ReunionEspace):
    return reunion.elements.select_related("retire_par").order_by("retire_le", "ordre", "id")


def decisions_de(reunion: ReunionEspace):
    return reunion.decisions.select_related("responsable", "service", "action").order_by("id")


def presences_de(reunion: ReunionEspace):
    return reunion.presences.select_related("utilisateur").order_by("qualite", "id")


def bilan(*, espace: EspaceEchanges, annee: int, user) -> dict:
    """The annual review: meetings held against planned, attendance, actions raised and completed,
    indicators over the year — aggregates in SQL."""
    from qualite.paqss.models import ActionAmelioration

    reunions = espace.reunions.filter(date__year=annee)
    compte = reunions.aggregate(
        prevues=Count("id", filter=~Q(statut=Statut.ANNULEE)),
        tenues=Count("id", filter=Q(statut=Statut.TENUE)),
        annulees=Count("id", filter=Q(statut=Statut.ANNULEE)))
    presences = PresenceReunion.objects.filter(reunion__in=reunions.filter(statut=Statut.TENUE)).aggregate(
        presents=Count("id", filter=Q(statut=PresenceReunion.Statut.PRESENT)),
        excuses=Count("id", filter=Q(statut=PresenceReunion.Statut.EXCUSE)),
        invites=Count("id", filter=Q(statut=PresenceReunion.Statut.PRESENT)
                      & ~Q(qualite=PresenceReunion.Qualite.MEMBRE)))
    par_reunion = list(reunions.filter(statut=Statut.TENUE).order_by("date").annotate(
        presents=Count("presences", filter=Q(presences__statut=PresenceReunion.Statut.PRESENT)))
        .values("date", "presents"))
    decisions = DecisionReunion.objects.filter(reunion__in=reunions)
    actions = ActionAmelioration.objects.filter(pk__in=decisions.values("action_id"))
    compte_actions = actions.aggregate(
        levees=Count("id"), realisees=Count("id", filter=Q(statut=ActionAmelioration.Statut.REALISEE)),
        en_retard=Count("id", filter=ActionAmelioration.q_en_retard()))
    indicateurs = []
    for fournisseur in sources.INDICATEURS.values():
        indicateurs.extend(fournisseur.fonction(user=user, espace=espace, annee=annee))
    taux = round(100 * compte["tenues"] / compte["prevues"]) if compte["prevues"] else None
    return {
        "annee": annee, "reunions": compte, "taux_tenue": taux, "presences": presences,
        "presence_moyenne": (round(presences["presents"] / compte["tenues"], 1) if compte["tenues"] else None),
        "par_reunion": par_reunion, "decisions": decisions.count(), "actions": compte_actions,
        "indicateurs": indicateurs,
    }


def _presences_representants(tenues):
    """Presences at the meetings `tenues` of user accounts there as invited user representatives, or holding
    the representative's role."""
    return (PresenceReunion.objects.filter(reunion__in=tenues, statut=PresenceReunion.Statut.PRESENT,
                                           utilisateur__isnull=False)
            .filter(Q(qualite=PresenceReunion.Qualite.REPRESENTANT)
                    | Q(utilisateur__roles__contains=[Role.REPRESENTANT_USAGERS])))


def presences_representants(annee: int, *, etablissement_ids=None) -> dict[int, int]:
    """For usagers/impact: per user account, the number of meetings held in `annee` (any space) at which the
    account was present as an invited user representative, or while holding the representative's role.
    `etablissement_ids`: restrict to the spaces of these établissements (None: all). One SQL query."""
    tenues = ReunionEspace.objects.filter(statut=Statut.TENUE, date__year=annee)
    if etablissement_ids is not None:
        tenues = tenues.filter(espace__etablissement_id__in=etablissement_ids)
    qs = _presences_representants(tenues).values("utilisateur_id").annotate(n=Count("reunion", distinct=True))
    return {ligne["utilisateur_id"]: ligne["n"] for ligne in qs}


def presences_representants_par_annee(*, annees, etablissements) -> dict[tuple[int, int], int]:
    """The representatives' indicator (qualite/pilotage/indicateurs_ru.py): {(account id, year): meetings
    held that year at which the account was present}, for several years in one grouped SQL query."""
    tenues = ReunionEspace.objects.filter(statut=Statut.TENUE, date__year__in=list(annees),
                                          espace__etablissement_id__in=list(etablissements))
    qs = (_presences_representants(tenues).values("utilisateur_id", annee=ExtractYear("reunion__date"))
          .annotate(n=Count("reunion", distinct=True)))
    return {(ligne["utilisateur_id"], ligne["annee"]): ligne["n"] for ligne in qs}


