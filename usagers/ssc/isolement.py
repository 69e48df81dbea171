"""Isolation and restraint (L3222-5-1, R3211-31, 2022 version): durations and thresholds.

Pure functions over decisions. An episode chains decisions of one type less than
48 h apart (consecutive ones included); the 15-day figure adds every decision of
that type in the 15 days before the reference instant. A threshold (information, saisine) is
reached by either, whichever comes first (instant_atteint), for the page and the deadlines alike.

Every instant is converted to UTC on entry (qualite.outils.dates.en_utc): durations are elapsed
time across both clock changes, and a naive datetime is refused (TypeError).

The delays (a decision's length, the information and saisine thresholds, the 7-day saisine, the evaluation
period) are those of the rule table, handed in as `Seuils` (seuils(type_, delais)); SEUILS holds the law's.
The 48 h gap that chains decisions into an episode, the 15-day window and the two evaluations per period
define the rules themselves and are fixed here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from qualite.echeances.delais import LEGAUX, Delai
from qualite.outils.dates import en_utc
from usagers.ssc import referentiels  # noqa: F401  (declares the law's values)

ECART_EPISODE = timedelta(hours=48)
FENETRE = timedelta(days=15)
EVALUATIONS_PAR_PERIODE = 2
TYPES = ("isolement", "contention")


@dataclass(frozen=True)
class Seuils:
    decision: timedelta  # one decision's maximum length
    information: timedelta  # beyond: the judge and a relative are informed
    saisine: timedelta  # renewal beyond needs the judge seized before this
    nouvelle_saisine: timedelta  # after the judge's second maintenance decision in an episode
    evaluation: timedelta  # the period in which a psychiatrist evaluates the patient twice


def regles(type_: str) -> list[str]:
    return [f"ssc-{type_}-{s}" for s in ("renouvellement", "information", "saisine", "saisine-7j", "evaluation")]


def seuils(type_: str, delais: dict[str, Delai] | None = None) -> Seuils:
    """The delays of one type of measure, from the rule table's delays (the law's when none are given)."""
    dl = delais or LEGAUX
    return Seuils(*(dl[code].duree for code in regles(type_)))


SEUILS = {type_: seuils(type_) for type_ in TYPES}


@dataclass(frozen=True)
class Decision:
    debut: datetime
    fin: datetime | None  # None: ongoing


def _en_utc(decisions: list[Decision], maintenant: datetime) -> tuple[list[Decision], datetime]:
    return ([Decision(en_utc(d.debut), None if d.fin is None else en_utc(d.fin)) for d in decisions],
            en_utc(maintenant))


def _fin(d: Decision, maintenant: datetime) -> datetime:
    return d.fin if d.fin is not None else max(maintenant, d.debut)


def episode(decisions: list[Decision], maintenant: datetime) -> list[Decision]:
    """The latest chain of decisions less than 48 h apart, oldest first (in UTC)."""
    decisions, maintenant = _en_utc(decisions, maintenant)
    ds = sorted(decisions, key=lambda d: d.debut)
    if not ds:
        return []
    chaine = [ds[-1]]
    for d in reversed(ds[:-1]):
        if chaine[0].debut - _fin(d, maintenant) < ECART_EPISODE:
            chaine.insert(0, d)
        else:
            break
    return chaine


def duree(decisions: list[Decision], maintenant: datetime) -> timedelta:
    decisions, maintenant = _en_utc(decisions, maintenant)
    return sum((_fin(d, maintenant) - d.debut for d in decisions), timedelta())


def duree_15_jours(decisions: list[Decision], maintenant: datetime) -> timedelta:
    decisions, maintenant = _en_utc(decisions, maintenant)
    debut_fenetre = maintenant - FENETRE
    total = timedelta()
    for d in decisions:
        debut, fin = max(d.debut, debut_fenetre), min(_fin(d, maintenant), maintenant)
        if fin > debut:
            total += fin - debut
    return total


def instant_seuil(chaine: list[Decision], seuil: timedelta, maintenant: datetime) -> datetime | None:
    """When the episode's cumulative duration reaches `seuil` (already reached or, if it
    goes on, in the future); None if the episode ended below it. In UTC."""
    chaine, maintenant = _en_utc(chaine, maintenant)
    cumul = timedelta()
    for d in chaine:
        longueur = _fin(d, maintenant) - d.debut
        if cumul + longueur >= seuil:
            return d.debut + (seuil - cumul)
        cumul += longueur
    if chaine and chaine[-1].fin is None:
        return maintenant + (seuil - cumul)
    return None


def _total_fenetre(decisions: list[Decision], t: datetime) -> timedelta:
    """Time under measure in the 15 days before `t`, an ongoing decision counted as going on."""
    total = timedelta()
    for d in decisions:
        debut, fin = max(d.debut, t - FENETRE), t if d.fin is None else min(d.fin, t)
        if fin > debut:
            total += fin - debut
    return total


def instant_seuil_15_jours(decisions: list[Decision], seuil: timedelta, maintenant: datetime) -> datetime | None:
    """The first instant at which the decisions of the last 15 days add up to `seuil` (in UTC); in the
    future only while a decision goes on. The total is piecewise linear between the decisions' starts
    and ends and those shifted by 15 days: the crossing is found between two such instants."""
    decisions, maintenant = _en_utc(decisions, maintenant)
    if not decisions:
        return None
    horizon = maintenant + FENETRE + SEUILS["isolement"].saisine if any(d.fin is None for d in decisions) else None
    bornes = sorted({x for d in decisions for x in (d.debut, d.debut + FENETRE, *(
        (d.fin, d.fin + FENETRE) if d.fin is not None else ()))} | ({horizon} if horizon else set()))
    precedent, avant = bornes[0], _total_fenetre(decisions, bornes[0])
    for t in bornes[1:]:
        if horizon is None and t > maintenant + FENETRE:
            break
        total = _total_fenetre(decisions, t)
        if total >= seuil > avant:
            return precedent + (t - precedent) * ((seuil - avant) / (total - avant))
        precedent, avant = t, total
    return None


def instant_atteint(decisions: list[Decision], chaine: list[Decision], seuil: timedelta,
                    maintenant: datetime) -> datetime | None:
    """When a threshold (information, saisine) is reached: by the episode's cumulative duration or by the
    total of the last 15 days, whichever comes first. The page's flag and the dated deadlines use it."""
    instants = [i for i in (instant_seuil(chaine, seuil, maintenant),
                            instant_seuil_15_jours(decisions, seuil, maintenant)) if i is not None]
    return min(instants, default=None)


def fin_decision(d: Decision, type_: str, s: Seuils | None = None) -> datetime:
    """When a decision starting at d.debut lapses (12 h of isolation, 6 h of restraint, elapsed), in UTC."""
    return en_utc(d.debut) + (s or SEUILS[type_]).decision


def trop_longue(d: Decision, type_: str, s: Seuils | None = None) -> bool:
    """Whether a finished decision lasted longer than one decision allows (elapsed time, to the second)."""
    return d.fin is not None and en_utc(d.fin) - en_utc(d.debut) > (s or SEUILS[type_]).decision


def nouvelle_saisine(derniere_decision_juge: datetime, s: Seuils | None = None) -> datetime:
    """7 days (168 h of elapsed time) after the judge's last maintenance decision, in UTC."""
    return en_utc(derniere_decision_juge) + (s or SEUILS["isolement"]).nouvelle_saisine


def suites(decisions: list[Decision]) -> list[list[Decision]]:
    """Runs of uninterrupted decisions (each renewal starting when the previous one ends), oldest first, in UTC."""
    runs: list[list[Decision]] = []
    for d in sorted((Decision(en_utc(d.debut), None if d.fin is None else en_utc(d.fin)) for d in decisions),
                    key=lambda d: d.debut):
        if runs and runs[-1][-1].fin is not None and d.debut <= runs[-1][-1].fin:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


@dataclass(frozen=True)
class PeriodeEvaluation:
    debut_suite: datetime  # start of the uninterrupted run
    rang: int  # 1 for the first period of the run
    debut: datetime
    echeance: datetime  # end of the period: two evaluations are due by then
    satisfaite_le: datetime | None  # when the second evaluation of the period was made


def evaluations_dues(decisions: list[Decision], evaluations: list[datetime], periode: timedelta,
                     maintenant: datetime) -> list[PeriodeEvaluation]:
    """Two evaluations by a psychiatrist in each period (24 h of isolation, 12 h of restraint) of each run of
    uninterrupted decisions: due at the period's end, met by the period's second evaluation. A period is owed
    when the measure covers it whole, and the current period of a measure going on is shown as coming; a run
    that ends within a period owes nothing for that part (the rule counts whole periods)."""
    decisions, maintenant = _en_utc(decisions, maintenant)
    evaluations = sorted(en_utc(e) for e in evaluations)
    dues = []
    for run in suites(decisions):
        debut, fin = run[0].debut, run[-1].fin
        rang = 1
        while rang < 10_000:
            p_debut, p_fin = debut + (rang - 1) * periode, debut + rang * periode
            if fin is not None and p_fin > fin or fin is None and p_debut > maintenant:
                break
            dans = [e for e in evaluations if p_debut <= e <= p_fin]
            dues.append(PeriodeEvaluation(debut, rang, p_debut, p_fin,
                                          dans[EVALUATIONS_PAR_PERIODE - 1] if len(dans) >= EVALUATIONS_PAR_PERIODE else None))
            rang += 1
    return dues


def synthese(type_: str, decisions: list[Decision], maintenant: datetime, s: Seuils | None = None) -> dict:
    decisions, maintenant = _en_utc(decisions, maintenant)
    s = s or SEUILS[type_]
    chaine = episode(decisions, maintenant)
    cumul = duree(chaine, maintenant)
    quinze = duree_15_jours(decisions, maintenant)
    en_cours = bool(chaine) and chaine[-1].fin is None
    information = instant_atteint(decisions, chaine, s.information, maintenant)
    return {
        "type": type_,
        "en_cours": en_cours,
        "episode_debut": chaine[0].debut if chaine else None,
        "duree_episode": cumul,
        "duree_15_jours": quinze,
        "information_due": max(cumul, quinze) > s.information or (
            information is not None and information < maintenant),
        "instant_information": information,
        "instant_saisine": instant_atteint(decisions, chaine, s.saisine, maintenant),
        "fin_decision": fin_decision(chaine[-1], type_, s) if en_cours else None,
    }
