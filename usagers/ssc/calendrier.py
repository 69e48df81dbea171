"""The legal calendar of involuntary psychiatric care (docs/soins-sans-consentement.md), as a pure function.

calendrier() takes a measure's mode, its T0 and its dated records, and returns
the deadlines the measure should have, each with what satisfies it. It touches
no database, so hand-computed scenarios test it directly; services then hand
the result to qualite.echeances.synchroniser().

Every delay comes from `delais` (code → Delai), which services load once from the rule table
(qualite/echeances/delais.py); the law's values stand in when none is given.

Counting conventions:
- hours are elapsed hours from T0, to the minute (a 24-hour certificate after a
  spring-forward night is due at wall-clock T0 + 25 h);
- days count the admission day as day 0 and end at midnight, Paris time;
- months keep the day-number, clamped to the month's end (31 Jan + 1 month = 28/29 Feb).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.utils import timezone

from qualite.echeances.delais import LEGAUX, Delai
from qualite.echeances.moteur import EcheancePrevue, ajouter_heures, ajouter_mois, fin_de_jour
from qualite.outils.dates import en_utc
from usagers.ssc import referentiels  # noqa: F401  (declares the law's values of the rules below)


class Mode:
    SDT = "sdt"
    SDT_URGENCE = "sdt_urgence"
    SPI = "spi"
    SDRE = "sdre"
    SDRE_MAIRE = "sdre_maire"
    DETENU = "detenu"
    IRRESPONSABILITE = "irresponsabilite"

    DIRECTEUR = frozenset({SDT, SDT_URGENCE, SPI})
    PREFET = frozenset({SDRE, SDRE_MAIRE, DETENU, IRRESPONSABILITE})


class TypeActe:
    CERTIFICAT_24H = "certificat_24h"
    CERTIFICAT_72H = "certificat_72h"
    CERTIFICAT_MENSUEL = "certificat_mensuel"
    DECISION_FORME = "decision_forme"
    ARRETE_PREFET_ADMISSION = "arrete_prefet_admission"
    ARRETE_PREFET_MAINTIEN = "arrete_prefet_maintien"
    SAISINE_JUGE = "saisine_juge"
    DECISION_JUGE = "decision_juge"
    AVIS_COLLEGE = "avis_college"
    REINTEGRATION_HC = "reintegration_hc"
    PROGRAMME_SOINS = "programme_soins"
    TRANSFERT = "transfert"
    LEVEE = "levee"
    REFERE_PREFET = "refere_prefet"
    INFORMATION_FAMILLE = "information_famille"


# Rule codes, as stored in the rule table (usagers/ssc/referentiels.py).
R_24H = "ssc-certificat-24h"
R_72H = "ssc-certificat-72h"
R_MENSUEL_SDT = "ssc-certificat-mensuel-sdt"
R_FORME_PREFET = "ssc-decision-forme-prefet"
R_MENSUEL_SDRE = "ssc-certificat-mensuel-sdre"
R_MAINTIEN_PREFET = "ssc-arrete-maintien-prefet"
R_ARRETE_MAIRE = "ssc-arrete-apres-maire"
R_SAISINE_JUGE = "ssc-saisine-juge"
R_DECISION_JUGE = "ssc-decision-juge"
R_SAISINE_JUGE_6M = "ssc-saisine-juge-6-mois"
R_DECISION_JUGE_6M = "ssc-decision-juge-6-mois"
R_COLLEGE = "ssc-avis-college"
R_MAIRE_REFERE = "ssc-maire-refere-prefet"
R_INFORMATION_FAMILLE = "ssc-spi-information-famille"
REGLES = [R_24H, R_72H, R_MENSUEL_SDT, R_FORME_PREFET, R_MENSUEL_SDRE, R_MAINTIEN_PREFET, R_ARRETE_MAIRE, R_SAISINE_JUGE,
          R_DECISION_JUGE, R_SAISINE_JUGE_6M, R_DECISION_JUGE_6M, R_COLLEGE, R_MAIRE_REFERE, R_INFORMATION_FAMILLE]


@dataclass(frozen=True)
class Acte:
    type: str
    date_heure: datetime
    conclusion: str = ""
    forme: str = ""
    auteur: str = ""


def _jour(dt: datetime) -> date:
    return timezone.localtime(dt).date()


def _fmt(dt: datetime) -> str:
    return timezone.localtime(dt).strftime("%d/%m/%Y %H:%M")


def _premier(actes: list[Acte], type_: str, apres: datetime | None = None, jusqua: datetime | None = None) -> Acte | None:
    for a in actes:
        if a.type == type_ and (apres is None or a.date_heure > apres) and (jusqua is None or a.date_heure <= jusqua):
            return a
    return None


def date_levee(mode: str, t0: datetime, actes: list[Acte]) -> datetime | None:
    """When the measure ended: a lifting record, a judge's release, or (director's
    measures) a 24 h / 72 h certificate concluding that care is no longer needed."""
    t0, actes = _en_utc(t0, actes)
    for a in actes:
        if a.type == TypeActe.LEVEE:
            return a.date_heure
        if a.type == TypeActe.DECISION_JUGE and a.conclusion == "mainlevee":
            return a.date_heure
        if (
            mode in Mode.DIRECTEUR
            and a.type in (TypeActe.CERTIFICAT_24H, TypeActe.CERTIFICAT_72H)
            and a.conclusion == "fin"
        ):
            return a.date_heure
    return None


def _periodes_hc(t0: datetime, actes: list[Acte]) -> list[tuple[datetime, datetime | None]]:
    """Spells of full hospitalisation: (start, end or None). Each return to HC opens a new spell."""
    periodes: list[list] = [[t0, None]]
    for a in actes:
        passe_en_programme = a.type == TypeActe.PROGRAMME_SOINS or (
            a.type in (TypeActe.DECISION_FORME, TypeActe.CERTIFICAT_72H) and a.forme == "programme_soins"
        )
        if passe_en_programme and periodes[-1][1] is None:
            periodes[-1][1] = a.date_heure
        elif a.type == TypeActe.REINTEGRATION_HC and periodes[-1][1] is not None:
            periodes.append([a.date_heure, None])
    return [tuple(p) for p in periodes]


def en_hospitalisation_complete(t0: datetime, actes: list[Acte], instant: datetime) -> bool:
    """Whether the patient is in full hospitalisation at `instant`, by the same spells the judge's clock uses."""
    t0, actes = _en_utc(t0, actes)
    instant = en_utc(instant)
    return _periodes_hc(t0, [a for a in actes if a.date_heure <= instant])[-1][1] is None


def _juge(t0: datetime, actes: list[Acte], dl: dict[str, Delai]) -> list[EcheancePrevue]:
    """L3211-12-1: saisine within 8 days and decision within 12 days of each entry into
    full hospitalisation; then a decision every 6 months, saisine 15 days before.
    A spell that ended (programme de soins) before a deadline no longer owes it;
    one that ended after a missed deadline keeps it, missed."""
    prevues = []
    for i, (debut, fin) in enumerate(_periodes_hc(t0, actes)):
        dans = [a for a in actes if a.date_heure >= debut and (fin is None or a.date_heure <= fin)]
        j0 = _jour(debut)
        origine = "admission" if i == 0 else f"réintégration en hospitalisation complète du {_fmt(debut)}"
        depart = f"{origine} ({j0:%d/%m/%Y} = jour 0)"

        def ajouter(regle, limite, cle, depart, acte, fin=fin):
            if acte is not None or fin is None or fin > limite:
                prevues.append(EcheancePrevue(regle, limite, cle, depart, acte.date_heure if acte else None))

        ajouter(R_SAISINE_JUGE, fin_de_jour(j0 + timedelta(days=dl[R_SAISINE_JUGE].jours)), f"hc{i}", depart,
                _premier(dans, TypeActe.SAISINE_JUGE))
        derniere = _premier(dans, TypeActe.DECISION_JUGE)
        ajouter(R_DECISION_JUGE, fin_de_jour(j0 + timedelta(days=dl[R_DECISION_JUGE].jours)), f"hc{i}", depart, derniere)
        k = 0
        while derniere is not None and derniere.conclusion != "mainlevee" and k < 40:
            k += 1
            jour_decision = _jour(derniere.date_heure)
            limite = fin_de_jour(ajouter_mois(jour_decision, dl[R_DECISION_JUGE_6M].mois))
            saisine = ajouter_mois(jour_decision, dl[R_SAISINE_JUGE_6M].mois) + timedelta(days=dl[R_SAISINE_JUGE_6M].jours)
            depart6 = f"dernière décision du juge le {_fmt(derniere.date_heure)}"
            suivante = _premier(dans, TypeActe.DECISION_JUGE, apres=derniere.date_heure)
            ajouter(R_SAISINE_JUGE_6M, fin_de_jour(saisine), f"hc{i}-{k}",
                    depart6, _premier(dans, TypeActe.SAISINE_JUGE, apres=derniere.date_heure))
            ajouter(R_DECISION_JUGE_6M, limite, f"hc{i}-{k}", depart6, suivante)
            derniere = suivante
    return prevues


def _mensuel_sdt(t0: datetime, actes: list[Acte], dl: dict[str, Delai]) -> list[EcheancePrevue]:
    """L3212-7: periods of one month, from the day after admission (then after each
    examination) to the same day-number the next month; certificate in the last 3 days."""
    prevues = []
    ancre = _jour(t0)
    utilises: set[int] = set()
    for k in range(1, 241):
        fin = ajouter_mois(ancre, dl[R_MENSUEL_SDT].mois)
        ouverture = fin_de_jour(fin - timedelta(days=3))  # window opens at 00:00 on the antepenultimate day
        limite = fin_de_jour(fin)
        cert = next((a for idx, a in enumerate(actes) if idx not in utilises and a.type == TypeActe.CERTIFICAT_MENSUEL
                     and ouverture < a.date_heure <= limite), None)
        depart = f"période du {ancre + timedelta(days=1):%d/%m/%Y} au {fin:%d/%m/%Y} (certificat du {fin - timedelta(days=2):%d/%m} au {fin:%d/%m})"
        prevues.append(EcheancePrevue(R_MENSUEL_SDT, limite, f"periode-{k}", depart, cert.date_heure if cert else None))
        if cert is None:
            break
        utilises.add(actes.index(cert))
        ancre = _jour(cert.date_heure)
    return prevues


def _prefet(mode: str, t0: datetime, actes: list[Acte], dl: dict[str, Delai]) -> list[EcheancePrevue]:
    prevues = []
    j0 = _jour(t0)
    if mode == Mode.SDRE_MAIRE:
        # L3213-2: T0 is the mayor's provisional measure; referred to the préfet within 24 h, lapsed after 48 h
        # without a prefectoral order.
        depart = f"mesure provisoire du maire le {_fmt(t0)}"
        refere = _premier(actes, TypeActe.REFERE_PREFET)
        prevues.append(EcheancePrevue(R_MAIRE_REFERE, ajouter_heures(t0, _heures(dl[R_MAIRE_REFERE])), "", depart,
                                      refere.date_heure if refere else None))
        arrete = _premier(actes, TypeActe.ARRETE_PREFET_ADMISSION)
        prevues.append(EcheancePrevue(R_ARRETE_MAIRE, ajouter_heures(t0, _heures(dl[R_ARRETE_MAIRE])), "", depart,
                                      arrete.date_heure if arrete else None))
    c72 = _premier(actes, TypeActe.CERTIFICAT_72H)
    if c72 is not None:
        # 3 jours francs: the day of receipt and the last day are not counted.
        d = _jour(c72.date_heure)
        decision = _premier(actes, TypeActe.DECISION_FORME, apres=c72.date_heure - timedelta(minutes=1))
        prevues.append(EcheancePrevue(R_FORME_PREFET, fin_de_jour(d + timedelta(days=dl[R_FORME_PREFET].jours + 1)), "",
                                      f"certificat de 72 h du {_fmt(c72.date_heure)} (réception supposée le même jour)",
                                      decision.date_heure if decision else None))
    # L3213-3: a certificate within the first month, then each month.
    ancre = j0
    for k in range(1, 241):
        limite = fin_de_jour(ajouter_mois(ancre, dl[R_MENSUEL_SDRE].mois))
        cert = _premier(actes, TypeActe.CERTIFICAT_MENSUEL, apres=fin_de_jour(ancre) if k > 1 else t0, jusqua=limite)
        prevues.append(EcheancePrevue(R_MENSUEL_SDRE, limite, f"mois-{k}", f"{'admission' if k == 1 else 'certificat'} du {ancre:%d/%m/%Y}",
                                      cert.date_heure if cert else None))
        if cert is None:
            break
        ancre = _jour(cert.date_heure)
    # L3213-4: maintenance decisions at 1 month, then for 3 months, then 6 months at a time.
    paliers = dl[R_MAINTIEN_PREFET]
    echeance_mesure = ajouter_mois(j0, paliers.palier(1))
    precedent = t0
    for k in range(1, 121):
        limite = fin_de_jour(echeance_mesure)
        arrete = _premier(actes, TypeActe.ARRETE_PREFET_MAINTIEN, apres=precedent, jusqua=limite)
        prevues.append(EcheancePrevue(R_MAINTIEN_PREFET, limite, f"arrete-{k}",
                                      f"fin de la période en cours le {echeance_mesure:%d/%m/%Y}",
                                      arrete.date_heure if arrete else None))
        if arrete is None:
            break
        precedent = arrete.date_heure
        echeance_mesure = ajouter_mois(echeance_mesure, paliers.palier(k + 1))
    return prevues


def _college(t0: datetime, actes: list[Acte], dl: dict[str, Delai]) -> list[EcheancePrevue]:
    """L3212-7, L3211-9: beyond one continuous year, a college opinion, then every year."""
    prevues = []
    j0 = _jour(t0)
    precedent = t0
    for k in range(1, 51):
        limite = fin_de_jour(ajouter_mois(j0, dl[R_COLLEGE].mois * k))
        avis = _premier(actes, TypeActe.AVIS_COLLEGE, apres=precedent, jusqua=limite)
        prevues.append(EcheancePrevue(R_COLLEGE, limite, f"annee-{k}", f"admission du {j0:%d/%m/%Y}, année {k}",
                                      avis.date_heure if avis else None))
        if avis is None:
            break
        precedent = avis.date_heure
    return prevues


def _en_utc(t0: datetime, actes: list[Acte]) -> tuple[datetime, list[Acte]]:
    """Python compares two datetimes of the same zone by wall clock, which misorders the
    repeated autumn hour: every comparison here happens between UTC instants."""
    t0 = en_utc(t0)  # a naive datetime is refused
    actes = [replace(a, date_heure=en_utc(a.date_heure)) for a in actes]
    return t0, sorted(actes, key=lambda a: a.date_heure)


def _heures(delai: Delai) -> float:
    return delai.duree.total_seconds() / 3600


def calendrier(*, mode: str, t0: datetime, actes: list[Acte], delais: dict[str, Delai] | None = None) -> list[EcheancePrevue]:
    dl = {code: (delais or LEGAUX)[code] for code in REGLES}
    t0, actes = _en_utc(t0, actes)
    c24 = _premier(actes, TypeActe.CERTIFICAT_24H)
    c72 = _premier(actes, TypeActe.CERTIFICAT_72H)
    h24, h72 = _heures(dl[R_24H]), _heures(dl[R_72H])
    prevues = [
        EcheancePrevue(R_24H, ajouter_heures(t0, h24), "", f"T0 {_fmt(t0)} + {h24:g} h", c24.date_heure if c24 else None),
        EcheancePrevue(R_72H, ajouter_heures(t0, h72), "", f"T0 {_fmt(t0)} + {h72:g} h", c72.date_heure if c72 else None),
    ]
    if mode == Mode.SPI:
        # L3212-1 II 2°: the family (or the legal protector, or a relative) informed within 24 h [à vérifier].
        info = _premier(actes, TypeActe.INFORMATION_FAMILLE)
        h = _heures(dl[R_INFORMATION_FAMILLE])
        prevues.append(EcheancePrevue(R_INFORMATION_FAMILLE, ajouter_heures(t0, h), "", f"T0 {_fmt(t0)} + {h:g} h",
                                      info.date_heure if info else None))
    if mode in Mode.DIRECTEUR:
        prevues += _mensuel_sdt(t0, actes, dl)
    else:
        prevues += _prefet(mode, t0, actes, dl)
    prevues += _juge(t0, actes, dl)
    prevues += _college(t0, actes, dl)
    levee = date_levee(mode, t0, actes)
    if levee is not None:
        # After the lifting nothing more is owed; what was due before stays, met or missed.
        prevues = [p for p in prevues if p.satisfaite_le is not None or p.echeance <= levee]
    return prevues
