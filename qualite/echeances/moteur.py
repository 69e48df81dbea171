"""The one deadline engine. Modules describe the deadlines an object should
have (EcheancePrevue) and call synchroniser(); status is derived from the
due date-time and the local calendar day in Europe/Paris."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, CharField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from qualite.echeances.models import Echeance, RegleEcheance
from qualite.outils import copie
from qualite.outils.dates import en_utc

Statut = Echeance.Statut


def bornes_du_jour(maintenant: datetime | None = None) -> tuple[datetime, datetime, datetime]:
    """(now, start of today, start of tomorrow), aware, in the current time zone.

    Days are local calendar days: 23 or 25 hours long across a daylight-saving change."""
    maintenant = maintenant or timezone.now()
    tz = timezone.get_current_timezone()
    jour = timezone.localtime(maintenant, tz).date()
    debut = datetime.combine(jour, time.min, tzinfo=tz)
    demain = datetime.combine(jour + timedelta(days=1), time.min, tzinfo=tz)
    return maintenant, debut, demain


def statut_de(echeance: Echeance, maintenant: datetime | None = None) -> str:
    if echeance.satisfaite_le is not None:
        return Statut.SATISFAIT
    if echeance.sans_objet:
        return Statut.SANS_OBJET
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    if echeance.echeance < maintenant:
        return Statut.EN_RETARD
    if echeance.echeance < demain:
        return Statut.DU_AUJOURDHUI
    return Statut.A_VENIR


def annoter_statut(qs, maintenant: datetime | None = None):
    """The same rule as statut_de(), in SQL, so lists can filter and count by status."""
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    return qs.annotate(
        statut_calcule=Case(
            When(satisfaite_le__isnull=False, then=Value(Statut.SATISFAIT)),
            When(sans_objet=True, then=Value(Statut.SANS_OBJET)),
            When(echeance__lt=maintenant, then=Value(Statut.EN_RETARD)),
            When(echeance__lt=demain, then=Value(Statut.DU_AUJOURDHUI)),
            default=Value(Statut.A_VENIR),
            output_field=CharField(),
        )
    )


def fin_de_jour(jour: date) -> datetime:
    """Last instant of a local calendar day, for deadlines the law counts in days."""
    tz = timezone.get_current_timezone()
    if jour >= date.max:  # 31/12/9999 has no next day: forms refuse it, old rows must not break the engine
        return datetime.combine(date.max, time.max, tzinfo=tz)
    return datetime.combine(jour + timedelta(days=1), time.min, tzinfo=tz) - timedelta(microseconds=1)


def ajouter_mois(jour: date, mois: int) -> date:
    """Same day-number `mois` months later; clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = jour.month - 1 + mois
    annee, mois_cible = jour.year + index // 12, index % 12 + 1
    if annee > date.max.year:
        return date.max
    if annee < date.min.year:
        return date.min
    return date(annee, mois_cible, min(jour.day, calendar.monthrange(annee, mois_cible)[1]))


def ajouter_heures(debut: datetime, heures: float) -> datetime:
    """Elapsed hours, not wall-clock hours: 24 h after 01:00 on the spring-forward day is 02:00 the next day.

    The result is in UTC, so that whoever adds or compares further still counts elapsed time."""
    # Python adds timedeltas to aware datetimes in wall-clock time: go through UTC (a naive datetime is refused).
    instant = en_utc(debut)
    try:
        return instant + timedelta(hours=heures)
    except OverflowError:  # clamped, like ajouter_mois(): a deadline past year 9999 is "never"
        borne = datetime.max - timedelta(days=2) if heures > 0 else datetime.min + timedelta(days=2)
        return borne.replace(tzinfo=UTC)


@dataclass(frozen=True)
class EcheancePrevue:
    regle: str
    echeance: datetime
    cle: str = ""
    debut_compte: str = ""
    satisfaite_le: datetime | None = None
    satisfaite_par_id: int | None = None


MOTIF_DISPARITION = "Ne s'applique plus après la dernière modification du dossier."


@dataclass
class Synchronisation:
    """What one object's deadlines should now be, and what each of them carries (reference, units, page)."""

    objet: object
    prevues: list[EcheancePrevue]
    reference: str
    etablissement_id: int
    pole_id: int | None = None
    service_id: int | None = None
    url: str = ""
    responsable_id: int | None = None
    motif_disparition: str = MOTIF_DISPARITION
    correction: bool = False


# What a recomputation writes on a deadline it (re)computes: every other column keeps its value.
CHAMPS_CALCULES = ["echeance", "debut_compte", "delai_applique", "reference", "url", "etablissement", "pole", "service",
                   "responsable", "sans_objet", "motif_sans_objet", "satisfaite_le", "satisfaite_par", "updated_at"]
CHAMPS_DISPARITION = ["sans_objet", "motif_sans_objet", "updated_at"]


@transaction.atomic
def synchroniser(
    *,
    objet,
    prevues: list[EcheancePrevue],
    reference: str,
    etablissement_id: int,
    pole_id: int | None = None,
    service_id: int | None = None,
    url: str = "",
    responsable_id: int | None = None,
    motif_disparition: str = MOTIF_DISPARITION,
    correction: bool = False,
) -> list[Echeance]:
    """Bring an object's deadlines in line with what its module now expects.

    A satisfied deadline is never moved, unless `correction` says the record
    that satisfied it was cancelled. An open deadline that is no longer
    expected becomes "sans objet" (kept, never deleted)."""
    return synchroniser_en_lot([Synchronisation(
        objet=objet, prevues=prevues, reference=reference, etablissement_id=etablissement_id, pole_id=pole_id,
        service_id=service_id, url=url, responsable_id=responsable_id, motif_disparition=motif_disparition,
        correction=correction)])[0]


@transaction.atomic
def synchroniser_en_lot(synchros: list[Synchronisation]) -> list[list[Echeance]]:
    """synchroniser() for many objects at once (an import, a generator): the rules and the deadlines already
    there read in two queries, the new deadlines written by one COPY and the others by one UPDATE … FROM (VALUES …)
    (qualite/outils/copie.py). The same rows, values and history as one call per object. Returns each object's
    deadlines, in order."""
    regles = _regles(synchros)
    existantes = _existantes(synchros)
    maintenant = timezone.now()
    resultats, a_creer, a_recalculer, a_ecarter = [], [], [], []
    for synchro in synchros:
        ct = ContentType.objects.get_for_model(synchro.objet)
        deja = existantes.get((ct.pk, synchro.objet.pk), {})
        resultat, vues = [], set()
        for prevue in synchro.prevues:
            vues.add((prevue.regle, prevue.cle))
            ech = deja.get((prevue.regle, prevue.cle))
            if ech is not None and ech.satisfaite_le is not None and not synchro.correction:
                resultat.append(ech)  # met: never moved
                continue
            if ech is None:
                ech = Echeance(regle=regles[prevue.regle], content_type=ct, object_id=synchro.objet.pk, cle=prevue.cle)
                a_creer.append(ech)
            else:
                a_recalculer.append(ech)
            _appliquer(ech, prevue, synchro, regles[prevue.regle], maintenant)
            resultat.append(ech)
        a_ecarter += _disparues(deja, vues, synchro.motif_disparition, maintenant)
        resultats.append(resultat)
    _ecrire(a_creer, a_recalculer, a_ecarter)
    return resultats


def _regles(synchros: list[Synchronisation]) -> dict[str, RegleEcheance]:
    """The rules the expected deadlines name (one query), each with its delay's text computed once."""
    codes = {p.regle for s in synchros for p in s.prevues}
    regles = {r.code: r for r in RegleEcheance.objects.filter(code__in=codes)}
    manquantes = codes - set(regles)
    if manquantes:
        raise ValueError(f"Règle(s) d'échéance inconnue(s) : {', '.join(sorted(manquantes))}")
    for regle in regles.values():
        regle.texte_du_delai = regle.delai_texte
    return regles


def _existantes(synchros: list[Synchronisation]) -> dict[tuple[int, int], dict[tuple[str, str], Echeance]]:
    """The objects' deadlines as they stand, locked, by (content type, object) then (rule, key)."""
    par_type: dict[int, list[int]] = {}
    for s in synchros:
        ids = par_type.setdefault(ContentType.objects.get_for_model(s.objet).pk, [])
        if s.objet.pk in ids:
            raise ValueError(f"Objet synchronisé deux fois dans le même lot : {s.objet!r}")
        ids.append(s.objet.pk)
    filtre = Q()
    for ct_id, ids in par_type.items():
        filtre |= Q(content_type_id=ct_id, object_id__in=ids)
    existantes: dict = {}
    if not par_type:
        return existantes
    for e in (Echeance.objects.select_for_update().select_related("regle").filter(filtre).order_by("id")):
        existantes.setdefault((e.content_type_id, e.object_id), {})[(e.regle.code, e.cle)] = e
    return existantes


def _appliquer(ech: Echeance, prevue: EcheancePrevue, synchro: Synchronisation, regle: RegleEcheance, maintenant) -> None:
    ech.echeance = prevue.echeance
    ech.debut_compte = prevue.debut_compte
    ech.delai_applique = regle.texte_du_delai
    ech.reference = synchro.reference
    ech.url = synchro.url
    ech.etablissement_id = synchro.etablissement_id
    ech.pole_id = synchro.pole_id
    ech.service_id = synchro.service_id
    ech.responsable_id = synchro.responsable_id
    ech.sans_objet = False
    ech.motif_sans_objet = ""
    ech.satisfaite_le = prevue.satisfaite_le
    ech.satisfaite_par_id = prevue.satisfaite_par_id
    ech.updated_at = maintenant


def _disparues(deja: dict, vues: set, motif: str, maintenant) -> list[Echeance]:
    """Open deadlines no longer expected: "sans objet", kept with the reason."""
    ecartees = []
    for cle, ech in deja.items():
        if cle not in vues and ech.satisfaite_le is None and not ech.sans_objet:
            ech.sans_objet, ech.motif_sans_objet, ech.updated_at = True, motif, maintenant
            ecartees.append(ech)
    return ecartees


def _ecrire(a_creer: list[Echeance], a_recalculer: list[Echeance], a_ecarter: list[Echeance]) -> None:
    # Every (re)computed deadline is written, changed or not, as one save() each did: same rows, same history
    # (the row triggers run for COPY and UPDATE … FROM as for save()).
    copie.inserer(Echeance, a_creer)
    copie.mettre_a_jour(Echeance, a_recalculer, CHAMPS_CALCULES)
    copie.mettre_a_jour(Echeance, a_ecarter, CHAMPS_DISPARITION)


# ---- recomputation after a rule's edit ----------------------------------------------------------------------
# Each domain registers how one of its objects recomputes its deadlines (in its AppConfig.ready()): the engine
# then recomputes every object that has a deadline of an edited rule, without importing the domains.
RECALCULS: dict[str, callable] = {}


def recalcul_enregistrer(modele, fonction) -> None:
    RECALCULS[modele._meta.label_lower] = fonction


def regle_recalculer(code: str) -> int:
    """Recompute every object that has a deadline of this rule (its delay was edited): open deadlines move,
    satisfied ones stay as they were met. Returns the number of objects recomputed."""
    faits = 0
    cibles = (Echeance.objects.filter(regle__code=code).values_list("content_type_id", "object_id").distinct()
              .order_by("content_type_id", "object_id"))
    for ct_id, object_id in cibles:
        ct = ContentType.objects.get_for_id(ct_id)
        fonction = RECALCULS.get(f"{ct.app_label}.{ct.model}")
        objet = ct.model_class()._default_manager.filter(pk=object_id).first()
        if fonction is None or objet is None:
            continue
        with transaction.atomic():
            fonction(objet)
        faits += 1
    return faits


@transaction.atomic
def echeance_satisfaire(*, echeance: Echeance, par, le: datetime | None = None) -> Echeance:
    echeance = Echeance.objects.select_for_update().get(pk=echeance.pk)
    if echeance.satisfaite_le is None:
        echeance.satisfaite_le = le or timezone.now()
        echeance.satisfaite_par = par
        echeance.save(update_fields=["satisfaite_le", "satisfaite_par", "updated_at"])
    return echeance


def echeances_de(objet):
    ct = ContentType.objects.get_for_model(objet)
    return (
        Echeance.objects.filter(content_type=ct, object_id=objet.pk)
        .select_related("regle", "satisfaite_par")
        .avec_statut()
        .order_by("echeance")
    )



def annoter_prochaine_echeance(qs, maintenant: datetime | None = None):
    """Each row of `qs` with its earliest open deadline (prochaine_echeance, prochaine_echeance_libelle) and
    that deadline's status (statut_echeance: en retard, dû aujourd'hui, à venir; None when nothing is open),
    in SQL: two subqueries through the partial index of open deadlines, none per row in Python."""
    maintenant, _debut, demain = bornes_du_jour(maintenant)
    ouvertes = Echeance.objects.filter(
        content_type=ContentType.objects.get_for_model(qs.model), object_id=OuterRef("pk"),
        sans_objet=False, satisfaite_le__isnull=True).order_by("echeance", "id")
    qs = qs.annotate(prochaine_echeance=Subquery(ouvertes.values("echeance")[:1]),
                     prochaine_echeance_libelle=Subquery(ouvertes.values("regle__libelle")[:1]))
    return qs.annotate(statut_echeance=Case(
        When(prochaine_echeance__isnull=True, then=Value(None)),
        When(prochaine_echeance__lt=maintenant, then=Value(Statut.EN_RETARD)),
        When(prochaine_echeance__lt=demain, then=Value(Statut.DU_AUJOURDHUI)),
        default=Value(Statut.A_VENIR), output_field=CharField(null=True)))
