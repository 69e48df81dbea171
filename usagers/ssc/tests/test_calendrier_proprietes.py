"""Property-based tests for usagers.ssc.calendrier.calendrier() (docs/soins-sans-consentement.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from usagers.ssc.calendrier import Acte, calendrier

PARIS = ZoneInfo("Europe/Paris")

MODES = ("sdt", "sdt_urgence", "spi", "sdre", "sdre_maire", "detenu", "irresponsabilite")
TYPES = (
    "certificat_24h",
    "certificat_72h",
    "certificat_mensuel",
    "decision_forme",
    "arrete_prefet_admission",
    "arrete_prefet_maintien",
    "saisine_juge",
    "decision_juge",
    "avis_college",
    "reintegration_hc",
    "programme_soins",
    "transfert",
    "levee",
)
CONCLUSIONS = ("", "fin", "maintien", "mainlevee")
FORMES = ("", "hc", "programme_soins")

DEBUT = datetime(2024, 1, 1, tzinfo=UTC)
FIN = datetime(2030, 12, 31, tzinfo=UTC)
MINUTES = int((FIN - DEBUT).total_seconds() // 60)

# Instants around the daylight-saving changes, Paris wall clock (fold picks the pass of ambiguous times).
BORNES_HEURE = [
    datetime(2024, 3, 30, 22, 0, tzinfo=PARIS),
    datetime(2024, 3, 31, 1, 59, tzinfo=PARIS),
    datetime(2024, 3, 31, 3, 0, tzinfo=PARIS),
    datetime(2024, 10, 27, 2, 30, tzinfo=PARIS),
    datetime(2024, 10, 27, 2, 30, tzinfo=PARIS, fold=1),
    datetime(2026, 3, 28, 22, 0, tzinfo=PARIS),
    datetime(2026, 3, 29, 1, 30, tzinfo=PARIS),
    datetime(2026, 10, 24, 22, 0, tzinfo=PARIS),
    datetime(2026, 10, 25, 2, 0, tzinfo=PARIS),
    datetime(2026, 10, 25, 2, 59, tzinfo=PARIS, fold=1),
    datetime(2028, 2, 29, 23, 59, tzinfo=PARIS),
    datetime(2029, 3, 25, 1, 0, tzinfo=PARIS),
    datetime(2029, 10, 28, 2, 15, tzinfo=PARIS, fold=1),
    datetime(2026, 1, 31, 23, 30, tzinfo=PARIS),
    datetime(2027, 12, 31, 23, 59, tzinfo=PARIS),
]

t0s = st.one_of(
    st.integers(0, MINUTES).map(lambda m: (DEBUT + timedelta(minutes=m)).astimezone(PARIS)),
    st.sampled_from(BORNES_HEURE),
)
# Offsets after T0, in minutes: mostly within the first weeks (where the windows are), some far out.
decalages = st.one_of(
    st.integers(1, 60 * 24 * 15),
    st.integers(1, 60 * 24 * 400),
    st.integers(1, 60 * 24 * 800),
)
actes_bruts = st.lists(
    st.tuples(st.sampled_from(TYPES), decalages, st.sampled_from(CONCLUSIONS), st.sampled_from(FORMES)),
    max_size=14,
)
REGLAGES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def construire(t0, bruts):
    """Actes are dated in UTC, as Django returns them from the database (USE_TZ). Paris-localised
    actes inside the fall-back hour are covered deterministically in test_calendrier_scenarios.py."""
    return [
        Acte(type=t, date_heure=t0.astimezone(UTC) + timedelta(minutes=m), conclusion=c, forme=f)
        for t, m, c, f in bruts
    ]


def par_cle(prevues):
    return {(p.regle, p.cle): p for p in prevues}


@REGLAGES
@given(mode=st.sampled_from(MODES), t0=t0s, bruts=actes_bruts)
def test_aucune_echeance_avant_t0_et_satisfactions_apres_t0(mode, t0, bruts):
    prevues = calendrier(mode=mode, t0=t0, actes=construire(t0, bruts))
    cles = [(p.regle, p.cle) for p in prevues]
    assert len(cles) == len(set(cles)), "each (regle, cle) must be unique"
    for p in prevues:
        assert p.echeance.tzinfo is not None
        # Compare instants in UTC: two datetimes sharing a ZoneInfo compare by wall clock, ignoring fold.
        assert p.echeance.astimezone(UTC) >= t0.astimezone(UTC), p  # (a)
        if p.satisfaite_le is not None:
            assert p.satisfaite_le.astimezone(UTC) >= t0.astimezone(UTC), p  # (c)


@REGLAGES
@given(
    mode=st.sampled_from(MODES),
    t0=t0s,
    bruts=actes_bruts,
    type_=st.sampled_from(TYPES),
    conclusion=st.sampled_from(CONCLUSIONS),
    forme=st.sampled_from(FORMES),
    apres=st.integers(1, 60 * 24 * 400),
)
def test_un_acte_posterieur_ne_change_pas_une_echeance_satisfaite(mode, t0, bruts, type_, conclusion, forme, apres):
    actes = construire(t0, bruts)
    avant = par_cle(calendrier(mode=mode, t0=t0, actes=actes))
    dernier = max([a.date_heure for a in actes], default=t0.astimezone(UTC))
    nouvel = Acte(type=type_, date_heure=dernier + timedelta(minutes=apres), conclusion=conclusion, forme=forme)
    apres_ajout = par_cle(calendrier(mode=mode, t0=t0, actes=actes + [nouvel]))
    for cle, p in avant.items():
        if p.satisfaite_le is None:
            continue
        assert cle in apres_ajout, f"satisfied {cle} disappeared after adding {nouvel}"
        q = apres_ajout[cle]
        assert q.echeance.astimezone(UTC) == p.echeance.astimezone(UTC), (cle, p.echeance, q.echeance, nouvel)  # (b)
        assert q.satisfaite_le.astimezone(UTC) == p.satisfaite_le.astimezone(UTC), (
            cle,
            p.satisfaite_le,
            q.satisfaite_le,
            nouvel,
        )
