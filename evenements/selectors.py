from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from evenements.access import evenements_scope, statistiques_scope
from evenements.filters import EvenementFilter
from evenements.models import STATUTS_CLOS, EvenementIndesirable, FacteurContributif
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


def statistiques(user, qs=None) -> dict:
    """Anonymised aggregates, all in SQL: matrix cells, months, types, feedback rate."""
    base = statistiques_scope(qs if qs is not None else EvenementIndesirable.objects.all(), user)
    matrice = {
        (r["gravite"], r["vraisemblance"]): r["n"]
        for r in base.filter(gravite__isnull=False, vraisemblance__isnull=False)
        .values("gravite", "vraisemblance").annotate(n=Count("id")).order_by()
    }
    par_mois = list(base.annotate(mois=TruncMonth("survenu_le")).values("mois").annotate(n=Count("id")).order_by("mois"))
    par_type = list(base.values("type__libelle").annotate(n=Count("id")).order_by("-n"))
    clos = base.filter(statut__in=STATUTS_CLOS)
    retours = clos.aggregate(total=Count("id"), avec_retour=Count("id", filter=~Q(retour_declarant="")))
    totaux = base.aggregate(total=Count("id"), eigs=Count("id", filter=Q(est_eigs=True)))
    return {"matrice": matrice, "par_mois": par_mois, "par_type": par_type, "retours": retours, **totaux}


def statistiques_masquees(stats: dict) -> dict:
    """The same aggregates as the CDU and the user representatives see them: every count of 1 or 2
    masked by the one rule (qualite/pilotage/anonymat.py), each breakdown of the total as one block."""
    total = stats["total"]
    par_type = masquer_bloc([r["n"] for r in stats["par_type"]], total=total)
    par_mois = masquer_bloc([r["n"] for r in stats["par_mois"]], total=total)
    cases = list(stats["matrice"])
    matrice = masquer_bloc([stats["matrice"][k] for k in cases])
    retours = stats["retours"]
    sans_retour = retours["total"] - retours["avec_retour"]
    return {
        **stats,
        "total": next((b.total for b in (par_type, par_mois) if est_masque(b.total)), masquer(total)),
        "eigs": masquer(stats["eigs"]),
        "par_type": [dict(r, n=n) for r, n in zip(stats["par_type"], par_type.valeurs, strict=True)],
        "par_mois": [dict(r, n=n) for r, n in zip(stats["par_mois"], par_mois.valeurs, strict=True)],
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
