"""Reads of the risk map: the register, the map at a date, a risk's events over time. Aggregates in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter
from django.utils import timezone

from qualite.risques import domaines
from qualite.risques.access import risques_scope
from qualite.risques.filters import CarteFilter, RisqueFilter
from qualite.risques.models import Cotation, Echelle, NiveauEchelle, ReglagesRisques, Risque, RisqueEvenement

CHAMPS_DERNIERE = ("date", "frequence", "gravite", "maitrise", "criticite_brute", "criticite_residuelle")


def avec_derniere_cotation(qs, jour: date | None = None):
    """Each risk annotated with its latest scoring on or before `jour` (today's latest without it):
    derniere_date, derniere_frequence, ..., derniere_criticite_residuelle; None when not scored yet."""
    cotations = Cotation.objects.filter(risque=OuterRef("pk"))
    if jour is not None:
        cotations = cotations.filter(date__lte=jour)
    cotations = cotations.order_by("-date", "-id")
    return qs.annotate(**{f"derniere_{c}": Subquery(cotations.values(c)[:1]) for c in CHAMPS_DERNIERE})


def avec_evenements_recents(qs, reglages: ReglagesRisques):
    """Confirmed events of the alert window, counted in SQL; a count, never the events themselves."""
    depuis = timezone.now() - timedelta(days=31 * reglages.alerte_mois)
    compte = (RisqueEvenement.objects.filter(risque=OuterRef("pk"), statut=RisqueEvenement.Statut.CONFIRME,
                                             evenement__survenu_le__gte=depuis)
              .order_by().values("risque").annotate(n=Count("id")).values("n"))
    return qs.annotate(evenements_recents=Coalesce(Subquery(compte, output_field=IntegerField()), Value(0)))


def signaler(risque, reglages: ReglagesRisques) -> bool:
    """« Many events, low score »: at least alerte_evenements confirmed events in the window while the current
    residual criticité is in the acceptable zone (a risk never scored is not flagged: it is to be scored)."""
    crit = getattr(risque, "derniere_criticite_residuelle", None)
    return (crit is not None and reglages.zone(crit) == "acceptable"
            and getattr(risque, "evenements_recents", 0) >= reglages.alerte_evenements)


def risques_liste(user, params=None) -> RisqueFilter:
    """The register as the user may see it, filtered; the page and its exports use it alike."""
    reglages = ReglagesRisques.courants()
    qs = risques_scope(Risque.objects.select_related("etablissement", "pole", "service", "processus", "famille",
                                                     "pilote"), user)
    qs = avec_evenements_recents(avec_derniere_cotation(qs), reglages).order_by("titre", "id")
    return RisqueFilter(params or None, queryset=qs, user=user, reglages=reglages)


def marquer(risques, reglages: ReglagesRisques) -> None:
    for r in risques:
        r.zone = reglages.zone(r.derniere_criticite_residuelle)
        r.signale = signaler(r, reglages)


def dimensions() -> tuple[int, int]:
    """(frequency levels, severity levels) of the scales as they stand."""
    maxima = dict(NiveauEchelle.objects.filter(echelle__in=[Echelle.FREQUENCE, Echelle.GRAVITE])
                  .values("echelle").annotate(m=Max("valeur")).values_list("echelle", "m"))
    return maxima.get(Echelle.FREQUENCE, 5) or 5, maxima.get(Echelle.GRAVITE, 5) or 5


@dataclass
class Carte:
    jour: date
    comptes: dict  # (frequence, gravite) -> number of risks
    risques: list  # the risks on the map, latest scoring annotated, worst first
    zones: dict  # zone -> number of risks by residual criticité
    nb_frequence: int
    nb_gravite: int
    par_processus: list  # (process name or "", number of risks)
    par_pole: list  # (pôle name or "", number of risks)
    reglages: ReglagesRisques


def carte(user, params=None) -> tuple[CarteFilter, Carte]:
    """The map at a date: each risk present that day at its latest scoring on or before it."""
    filtre = CarteFilter(params or None, queryset=risques_scope(Risque.objects.all(), user), user=user)
    jour = filtre.form.cleaned_data.get("date") if filtre.is_bound and filtre.form.is_valid() else None
    jour = jour or timezone.localdate()
    risques = avec_derniere_cotation(filtre.qs.presents_le(jour), jour).filter(derniere_date__isnull=False)
    # One grouped query gives both the grid's cells and the zone totals, over every risk on the map.
    groupes = (risques.order_by().values_list("derniere_frequence", "derniere_gravite", "derniere_criticite_residuelle")
               .annotate(n=Count("id")).values_list("derniere_frequence", "derniere_gravite",
                                                    "derniere_criticite_residuelle", "n"))
    comptes: dict = {}
    zones = {"inacceptable": 0, "a_surveiller": 0, "acceptable": 0}
    reglages = ReglagesRisques.courants()
    liste = list(risques.select_related("etablissement", "pole", "processus", "famille")
                 .order_by("-derniere_criticite_residuelle", "-derniere_criticite_brute", "titre")[:500])
    for f, g, criticite, n in groupes:  # not over the 500 risks listed below the grid
        comptes[f, g] = comptes.get((f, g), 0) + n
        zones[reglages.zone(criticite)] += n
    for r in liste:
        r.zone = reglages.zone(r.derniere_criticite_residuelle)
    par_processus = list(risques.order_by().values_list("processus__nom").annotate(
        n=Count("id")).order_by("processus__nom"))
    par_pole = list(risques.order_by().values_list("pole__nom").annotate(n=Count("id")).order_by("pole__nom"))
    nb_f, nb_g = dimensions()
    nb_f = max([nb_f, *(f for f, _ in comptes)])
    nb_g = max([nb_g, *(g for _, g in comptes)])
    return filtre, Carte(jour, comptes, liste, zones, nb_f, nb_g, [(nom or "", n) for nom, n in par_processus],
                         [(nom or "", n) for nom, n in par_pole], reglages)


def evenements_du_risque(risque, user):
    """The events linked to a risk that the user may see (the events' own rule), most recent first."""
    visibles = domaines.evenements_visibles(domaines.Evenement().objects.all(), user)
    return (risque.liens_evenements.filter(evenement__in=visibles)
            .select_related("evenement", "evenement__type", "evenement__service", "confirme_par")
            .order_by("-evenement__survenu_le", "-id"))


def evenements_par_periode(risque, *, par: str = "mois", periodes: int = 12) -> tuple[list[str], list[int]]:
    """Confirmed events of the risk per month (or quarter) over the last `periodes`, zeros included; counts
    only, so every reader of the risk sees them."""
    aujourd_hui = timezone.localdate()
    if par == "trimestre":
        debut_courant = date(aujourd_hui.year, 3 * ((aujourd_hui.month - 1) // 3) + 1, 1)
        pas, tronquer = 3, TruncQuarter
    else:
        debut_courant, pas, tronquer = aujourd_hui.replace(day=1), 1, TruncMonth
    debuts = []
    for i in range(periodes - 1, -1, -1):
        mois = debut_courant.year * 12 + debut_courant.month - 1 - i * pas
        debuts.append(date(mois // 12, mois % 12 + 1, 1))
    tz = timezone.get_current_timezone()
    comptes = dict(
        risque.liens_evenements.filter(statut=RisqueEvenement.Statut.CONFIRME,
                                       evenement__survenu_le__date__gte=debuts[0])
        .annotate(p=tronquer("evenement__survenu_le", tzinfo=tz)).values("p").annotate(n=Count("id"))
        .values_list("p", "n"))
    comptes = {(p.date() if hasattr(p, "date") else p): n for p, n in comptes.items()}
    if par == "trimestre":
        etiquettes = [f"T{(d.month - 1) // 3 + 1} {d:%y}" for d in debuts]
    else:
        etiquettes = [f"{d:%m/%y}" for d in debuts]  # short: the chart gives each bar about 6 characters
    return etiquettes, [comptes.get(d, 0) for d in debuts]


def suggestions(user, etablissements):
    """Suggested links awaiting the risk manager, for the events the user sees."""
    visibles = domaines.evenements_visibles(domaines.Evenement().objects.all(), user)
    return (RisqueEvenement.objects.filter(statut=RisqueEvenement.Statut.SUGGERE,
                                           risque__etablissement_id__in=etablissements, evenement__in=visibles)
            .select_related("risque", "risque__famille", "evenement", "evenement__type", "evenement__service")
            .order_by("-evenement__survenu_le", "evenement_id", "risque__titre"))


def risques_de_l_evenement(evenement, user) -> dict:
    """For the event's page: its links to risks the user may see (set-aside ones left out), and whether the
    user may decide them. None for a reader without risques.voir: the page shows no section then."""
    from qualite.organisation import access
    from qualite.risques.access import peut_modifier

    if not access.has_perm(user, "risques.voir"):
        return {"risques_lies": None, "risques_suggerer": False}
    liens = list(RisqueEvenement.objects.filter(evenement=evenement, risque__in=risques_scope(Risque.objects.all(), user))
                 .exclude(statut=RisqueEvenement.Statut.ECARTE).select_related("risque", "risque__famille")
                 .order_by("statut", "risque__titre"))
    for lien in liens:
        lien.decidable = lien.statut == RisqueEvenement.Statut.SUGGERE and peut_modifier(user, lien.risque)
    return {"risques_lies": liens,
            "risques_suggerer": access.perimetre(user, "risques.modifier").contient(evenement)}
