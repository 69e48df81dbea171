"""Chaque horloge légale exacte aux deux changements d'heure (docs/echeances.md, « Compter le temps »).

Propriétés sur des instants tirés au hasard autour des changements d'heure de 2024 à 2030 (dernier
dimanche de mars et d'octobre, ± 36 h), donnés en heure de Paris ou en UTC : une règle en heures
tombe exactement N h de temps écoulé plus tard ; une règle en jours tombe le jour de Paris que dit le texte."""

from __future__ import annotations

import calendar as cal
from datetime import UTC, date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from qualite.echeances.delais import LEGAUX
from qualite.echeances.moteur import ajouter_heures, ajouter_mois, fin_de_jour
from qualite.outils.dates import duree_ecoulee, en_utc
from usagers.relations.models import DemandeDossier
from usagers.relations.services import communication_au_plus_tot, demande_echeance, demande_valider
from usagers.ssc import isolement
from usagers.ssc.calendrier import Acte, calendrier

PARIS = ZoneInfo("Europe/Paris")
H = timedelta(hours=1)
APRES_2030 = datetime(2031, 6, 1, tzinfo=UTC)


def _dernier_dimanche(annee: int, mois: int) -> date:
    dernier = date(annee, mois, cal.monthrange(annee, mois)[1])
    return dernier - timedelta(days=(dernier.weekday() - 6) % 7)


# Both changes happen at 01:00 UTC (02:00 → 03:00 in March, 03:00 → 02:00 in October).
CHANGEMENTS = [datetime.combine(_dernier_dimanche(a, m), datetime.min.time(), tzinfo=UTC) + H
               for a in range(2024, 2031) for m in (3, 10)]


@st.composite
def instants(draw):
    """An instant within 36 h of a clock change, to the minute, in Paris time (as forms give) or in UTC."""
    changement = draw(st.sampled_from(CHANGEMENTS))
    t = changement + timedelta(minutes=draw(st.integers(-36 * 60, 36 * 60)))
    return t.astimezone(PARIS) if draw(st.booleans()) else t


def _paris_date(dt: datetime) -> date:
    return dt.astimezone(PARIS).date()


def _est_fin_de_jour(dt: datetime, jour: date) -> bool:
    local = dt.astimezone(PARIS)
    return local.date() == jour and (local.hour, local.minute, local.second, local.microsecond) == (23, 59, 59, 999999)


def test_les_changements_sont_les_bons():
    assert [c.astimezone(PARIS).strftime("%d/%m %H:%M") for c in CHANGEMENTS[:2]] == ["31/03 03:00", "27/10 02:00"]
    assert (CHANGEMENTS[0] - H).astimezone(PARIS).hour == 1 and (CHANGEMENTS[1] - H).astimezone(PARIS).hour == 2


# ---- the conversion itself ------------------------------------------------------------------------

def test_un_instant_sans_fuseau_est_refuse_partout():
    naif = datetime(2026, 3, 29, 1, 30)
    with pytest.raises(TypeError, match="sans fuseau"):
        en_utc(naif)
    with pytest.raises(TypeError):
        ajouter_heures(naif, 24)
    with pytest.raises(TypeError):
        duree_ecoulee(naif, naif + H)
    d = isolement.Decision(naif, naif + H)
    for fonction in (isolement.duree, isolement.duree_15_jours, isolement.episode):
        with pytest.raises(TypeError):
            fonction([d], naif + H)
    with pytest.raises(TypeError):
        isolement.synthese("isolement", [d], datetime(2026, 3, 29, 3, tzinfo=UTC))
    with pytest.raises(TypeError):
        isolement.fin_decision(d, "isolement")
    with pytest.raises(TypeError):
        calendrier(mode="sdt", t0=naif, actes=[])


@given(instants(), st.integers(-100 * 60, 100 * 60))
def test_duree_ecoulee_est_celle_de_l_utc(t, minutes):
    fin = (en_utc(t) + timedelta(minutes=minutes)).astimezone(PARIS)
    assert duree_ecoulee(t, fin) == timedelta(minutes=minutes)
    assert en_utc(fin) - en_utc(t) == timedelta(minutes=minutes)


# ---- hour-based rules: due − start = the legal duration, in elapsed seconds --------------------------

@settings(max_examples=300)
@given(instants(), st.sampled_from(["sdt", "sdt_urgence", "spi", "sdre", "sdre_maire", "detenu"]))
def test_certificats_24h_72h_et_arrete_apres_maire(t0, mode):
    prevues = {p.regle: p.echeance for p in calendrier(mode=mode, t0=t0, actes=[])}
    assert (en_utc(prevues["ssc-certificat-24h"]) - en_utc(t0)).total_seconds() == 24 * 3600
    assert (en_utc(prevues["ssc-certificat-72h"]) - en_utc(t0)).total_seconds() == 72 * 3600
    if mode == "sdre_maire":
        assert (en_utc(prevues["ssc-arrete-apres-maire"]) - en_utc(t0)).total_seconds() == 48 * 3600
        assert (en_utc(prevues["ssc-maire-refere-prefet"]) - en_utc(t0)).total_seconds() == 24 * 3600
    if mode == "spi":
        assert (en_utc(prevues["ssc-spi-information-famille"]) - en_utc(t0)).total_seconds() == 24 * 3600


@settings(max_examples=200)
@given(instants(), st.sampled_from(["isolement", "contention"]), st.integers(1, 4))
def test_evaluations_dues_toutes_les_24_h_ou_12_h_ecoulees(debut, type_, periodes):
    """Each evaluation period ends N × 24 h (isolation) or N × 12 h (restraint) of elapsed time after the start."""
    periode = isolement.SEUILS[type_].evaluation
    decisions = [isolement.Decision(debut, None)]
    maintenant = en_utc(debut) + periode * periodes - timedelta(minutes=1)
    dues = isolement.evaluations_dues(decisions, [], periode, maintenant)
    assert [d.rang for d in dues] == list(range(1, periodes + 1))
    for d in dues:
        assert (d.echeance - en_utc(debut)).total_seconds() == d.rang * periode.total_seconds()


@settings(max_examples=300)
@given(instants(), st.sampled_from(["isolement", "contention"]))
def test_fin_de_decision_12h_ou_6h(debut, type_):
    heures = {"isolement": 12, "contention": 6}[type_]
    d = isolement.Decision(debut, None)
    assert (isolement.fin_decision(d, type_) - en_utc(debut)).total_seconds() == heures * 3600
    synthese = isolement.synthese(type_, [d], debut)
    assert (en_utc(synthese["fin_decision"]) - en_utc(debut)).total_seconds() == heures * 3600


@settings(max_examples=300)
@given(instants(), st.sampled_from(["isolement", "contention"]), st.integers(1, 8), st.booleans())
def test_information_et_saisine_en_temps_ecoule(debut, type_, n, en_cours):
    """A chain of back-to-back decisions (each of the legal length, in elapsed time), written in Paris
    time: information at 48 h / 24 h, saisine at 72 h / 48 h of cumulative elapsed time."""
    s = isolement.SEUILS[type_]
    bornes = [(en_utc(debut) + k * s.decision).astimezone(PARIS) for k in range(n + 1)]
    decisions = [isolement.Decision(bornes[k], bornes[k + 1]) for k in range(n)]
    if en_cours:
        decisions.append(isolement.Decision(bornes[n], None))
    maintenant = bornes[-1]
    for seuil in (s.information, s.saisine):
        instant = isolement.instant_seuil(isolement.episode(decisions, maintenant), seuil, maintenant)
        if en_cours or n * s.decision >= seuil:
            assert en_utc(instant) - en_utc(debut) == seuil
        else:
            assert instant is None
    assert isolement.duree(decisions, maintenant) == n * s.decision


@given(instants(), st.sampled_from(["isolement", "contention"]), st.integers(-3, 3))
def test_decision_trop_longue_a_la_minute(debut, type_, minutes):
    s = isolement.SEUILS[type_]
    fin = (en_utc(debut) + s.decision + timedelta(minutes=minutes)).astimezone(PARIS)
    assert isolement.trop_longue(isolement.Decision(debut, fin), type_) is (minutes > 0)


@given(instants(), instants())
def test_episode_ecart_de_48h_en_temps_ecoule(premier, _):
    """Two decisions exactly 48 h apart (elapsed) are two episodes; 47 h 59 apart, one."""
    a = isolement.Decision(premier, (en_utc(premier) + 12 * H).astimezone(PARIS))
    for ecart, attendu in ((timedelta(hours=48), 1), (timedelta(hours=48) - timedelta(minutes=1), 2)):
        debut_b = (en_utc(a.fin) + ecart).astimezone(PARIS)
        b = isolement.Decision(debut_b, (en_utc(debut_b) + 6 * H).astimezone(PARIS))
        assert len(isolement.episode([a, b], b.fin)) == attendu


@given(instants())
def test_saisine_7_jours_168h(derniere):
    # services.isolement_echeances: 168 h after the judge's last maintenance decision, elapsed.
    assert (isolement.nouvelle_saisine(derniere) - en_utc(derniere)).total_seconds() == 168 * 3600
    assert (ajouter_heures(derniere, 168) - en_utc(derniere)).total_seconds() == 168 * 3600


def _demande(recue_le, communiquee_le=None):
    return DemandeDossier(demandeur_type="patient", identite_verifiee=True, qualite_verifiee=True, recue_le=recue_le,
                          informations_du=_paris_date(recue_le) - timedelta(days=30), communiquee_le=communiquee_le,
                          mode="copie_papier" if communiquee_le else "")


@settings(max_examples=200)
@given(instants())
def test_dossier_medical_48h_au_moins(recue):
    assert (communication_au_plus_tot(recue) - en_utc(recue)).total_seconds() == 48 * 3600
    pile = (en_utc(recue) + timedelta(hours=48)).astimezone(PARIS)
    with mock.patch("django.utils.timezone.now", return_value=APRES_2030):  # instants up to 2030 are "past"
        demande_valider(_demande(recue, pile))  # exactly 48 h elapsed: allowed
        with pytest.raises(ValidationError) as exc:
            demande_valider(_demande(recue, pile - timedelta(minutes=1)))
    assert "communiquee_le" in exc.value.message_dict


# ---- day-based rules: the Paris date the law gives ------------------------------------------------

@settings(max_examples=300)
@given(instants(), st.sampled_from(["sdt", "sdre", "sdre_maire"]))
def test_juge_8e_et_12e_jour_et_mois_en_date_de_paris(t0, mode):
    j0 = _paris_date(t0)
    prevues = {(p.regle, p.cle): p.echeance for p in calendrier(mode=mode, t0=t0, actes=[])}
    assert _est_fin_de_jour(prevues[("ssc-saisine-juge", "hc0")], j0 + timedelta(days=8))
    assert _est_fin_de_jour(prevues[("ssc-decision-juge", "hc0")], j0 + timedelta(days=12))
    if mode == "sdt":
        assert _est_fin_de_jour(prevues[("ssc-certificat-mensuel-sdt", "periode-1")], ajouter_mois(j0, 1))
    else:
        assert _est_fin_de_jour(prevues[("ssc-certificat-mensuel-sdre", "mois-1")], ajouter_mois(j0, 1))
        assert _est_fin_de_jour(prevues[("ssc-arrete-maintien-prefet", "arrete-1")], ajouter_mois(j0, 1))
    assert _est_fin_de_jour(prevues[("ssc-avis-college", "annee-1")], ajouter_mois(j0, 12))


@given(instants(), instants())
def test_decision_du_prefet_sur_la_forme_3_jours_francs(t0, _):
    c72 = (en_utc(t0) + 72 * H).astimezone(PARIS)
    prevues = {p.regle: p.echeance for p in calendrier(mode="sdre", t0=t0, actes=[Acte("certificat_72h", c72)])}
    assert _est_fin_de_jour(prevues["ssc-decision-forme-prefet"], _paris_date(c72) + timedelta(days=4))


@settings(max_examples=200)
@given(instants())
def test_dossier_medical_8_jours_en_date_de_paris(recue):
    prevue = demande_echeance(_demande(recue), dl=LEGAUX)  # the law's delays, without the database
    assert prevue.regle == "dossier-communication-8j"
    assert _est_fin_de_jour(prevue.echeance, _paris_date(recue) + timedelta(days=8))


@given(instants())
def test_fin_de_jour_dure_23_ou_25_heures_le_jour_du_changement(t):
    jour = _paris_date(t)
    assert _est_fin_de_jour(fin_de_jour(jour), jour)
    longueur = en_utc(fin_de_jour(jour)) - en_utc(fin_de_jour(jour - timedelta(days=1)))
    attendu = {3: 23, 10: 25}[jour.month] if any(_paris_date(c) == jour for c in CHANGEMENTS) else 24
    assert longueur == timedelta(hours=attendu)
