from collections import Counter
from datetime import date, datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from evenements.access import evenements_scope, statistiques_scope
from evenements.filters import EvenementFilter
from evenements.models import STATUTS_CLOS, EvenementIndesirable, FacteurContributif
from qualite.outils import registres
from qualite.pilotage.anonymat import est_masque, masquer, masquer_bloc, petit


def evenements_liste(user, params=None) -> EvenementFilter:
    """The one list of events a user may see, filtered: pages and exports use it alike."""
    qs = evenements_scope(
        EvenementIndesirable.objects.select_related("etablissement", "pole", "service", "type", "created_by"),
        user,
    ).avec_criticite()
    qs = qs.order_by("-survenu_le", "-id")
    return EvenementFilter(params or None, queryset=qs, user=user)


def pour_fhir(qs: QuerySet) -> QuerySet:
    """What evenements/fhir.py reads, in a fixed number of queries whatever the number of events."""
    return qs.select_related("etablissement", "pole", "service", "type", "created_by").prefetch_related(
        Prefetch("analyses__facteurs", FacteurContributif.objects.actifs()))


def mes_declarations(user):
    return EvenementIndesirable.objects.filter(created_by=user).select_related("service", "type").order_by("-created_at")


MOIS_MONTRES = 24


def debut_des_mois_montres(maintenant=None, mois: int = MOIS_MONTRES) -> datetime:
    """First instant (Paris) of the oldest of the `mois` calendar months ending with the current one."""
    local = timezone.localtime(maintenant or timezone.now())
    rang = local.year * 12 + local.month - 1 - (mois - 1)
    return datetime(rang // 12, rang % 12 + 1, 1, tzinfo=timezone.get_current_timezone())


def statistiques(user, qs=None, maintenant=None) -> dict:
    """Anonymised aggregates in two SQL queries, cached until the register changes: one pass over the
    scope grouped by (gravity, likelihood, type) gives the matrix, the types and the totals; the months
    are counted over the months shown only, through the date index."""
    base = statistiques_scope(qs if qs is not None else EvenementIndesirable.objects.all(), user)
    debut = debut_des_mois_montres(maintenant)
    return registres.en_cache(lambda: f"{registres.cle_requete('stats', base)}:{debut:%Y%m}",
                              lambda: _statistiques(base, debut))


def _statistiques(base, debut) -> dict:
    clos = Q(statut__in=STATUTS_CLOS)
    groupes = list(
        base.values("gravite", "vraisemblance", "type__libelle")
        .annotate(n=Count("id"), eigs=Count("id", filter=Q(est_eigs=True)), clos=Count("id", filter=clos),
                  avec_retour=Count("id", filter=clos & ~Q(retour_declarant="")))
        .order_by()
    )
    matrice, types = Counter(), Counter()
    for g in groupes:  # one line per (gravity, likelihood, type): a few hundred at most
        if g["gravite"] is not None and g["vraisemblance"] is not None:
            matrice[(g["gravite"], g["vraisemblance"])] += g["n"]
        types[g["type__libelle"]] += g["n"]
    par_mois = list(base.filter(survenu_le__gte=debut).annotate(mois=TruncMonth("survenu_le"))
                    .values("mois").annotate(n=Count("id")).order_by("mois"))
    return {
        "matrice": dict(matrice),
        "par_mois": par_mois,
        "par_type": [{"type__libelle": t, "n": n} for t, n in sorted(types.items(), key=lambda tn: (-tn[1], tn[0] or ""))],
        "retours": {"total": sum(g["clos"] for g in groupes), "avec_retour": sum(g["avec_retour"] for g in groupes)},
        "total": sum(g["n"] for g in groupes),
        "eigs": sum(g["eigs"] for g in groupes),
    }


def statistiques_masquees(stats: dict) -> dict:
    """The same aggregates as the CDU and the user representatives see them: every count of 1 or 2
    masked by the one rule (qualite/pilotage/anonymat.py), each breakdown of the total as one block."""
    total = stats["total"]
    par_type = masquer_bloc([r["n"] for r in stats["par_type"]], total=total)
    # The months shown and, as one more value, the earlier ones: the block still sums to the total.
    mois = [r["n"] for r in stats["par_mois"]]
    par_mois = masquer_bloc([*mois, total - sum(mois)], total=total)
    cases = list(stats["matrice"])
    matrice = masquer_bloc([stats["matrice"][k] for k in cases])
    retours = stats["retours"]
    sans_retour = retours["total"] - retours["avec_retour"]
    return {
        **stats,
        "total": next((b.total for b in (par_type, par_mois) if est_masque(b.total)), masquer(total)),
        "eigs": masquer(stats["eigs"]),
        "par_type": [dict(r, n=n) for r, n in zip(stats["par_type"], par_type.valeurs, strict=True)],
        "par_mois": [dict(r, n=n) for r, n in zip(stats["par_mois"], par_mois.valeurs[:-1], strict=True)],
        "matrice": dict(zip(cases, matrice.valeurs, strict=True)),
        # A rate gives back its numerator: no rate when 1 or 2 declarations had (or lacked) feedback.
        "retours": {**retours, "total": masquer(retours["total"]),
                    "taux_masque": petit(retours["avec_retour"]) or petit(sans_retour)},
    }


def eigs_anonymises(user, *, du: date | None = None, au: date | None = None):
    """EIGS as the CDU sees them: month, type, pôle, state, whether it was a near miss, and the summary staff
    wrote for it — nothing else. `du` / `au`: the Paris days of occurrence (the FHIR bundle's period)."""
    qs = statistiques_scope(EvenementIndesirable.objects.filter(est_eigs=True), user).exclude(resume_anonymise="")
    if du:
        qs = qs.filter(survenu_le__date__gte=du)
    if au:
        qs = qs.filter(survenu_le__date__lte=au)
    return (
        qs.annotate(mois=TruncMonth("survenu_le"))
        .values("mois", "type__libelle", "pole__nom", "statut", "presque_accident", "resume_anonymise")
        .order_by("-mois")
    )


def eigs_recents(user, nombre: int = 100) -> list[dict]:
    """The statistics page's latest anonymised EIGS, cached like the statistics until the register changes."""
    qs = eigs_anonymises(user)[:nombre]
    return registres.en_cache(lambda: registres.cle_requete("eigs", qs), lambda: list(qs))
