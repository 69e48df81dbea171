"""Date rules shared by every register.

Counting time (docs/echeances.md, « Compter le temps »): Python subtracts, adds and compares two
datetimes of the same zone by wall clock, so a night of clock change would last 11 or 13 hours.
Every duration, "+N hours" and comparison of instants goes through en_utc(); calendar-day rules use
the Paris date (timezone.localdate / localtime(...).date())."""

from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from django.utils import timezone

TOLERANCE_FUTUR = timedelta(minutes=5)  # a ward computer's clock may run a little ahead of the server's


def en_utc(instant: datetime) -> datetime:
    """The same instant in UTC, where subtraction, "+N hours" and comparison count elapsed time.

    A naive datetime has no instant: refused (TypeError) rather than guessed in the server's zone."""
    if not isinstance(instant, datetime):
        raise TypeError(f"Instant attendu (datetime avec fuseau), reçu {type(instant).__name__}.")
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise TypeError(f"Instant sans fuseau horaire refusé : {instant.isoformat()} (heure de Paris ou UTC ?).")
    return instant.astimezone(UTC)


def duree_ecoulee(debut: datetime, fin: datetime) -> timedelta:
    """Elapsed time between two instants: a spring-change night lasts one hour less than its wall clock says."""
    return en_utc(fin) - en_utc(debut)


def dans_le_futur(valeur: date | datetime | None, maintenant: datetime | None = None) -> bool:
    """The one rule "not in the future": an instant later than now plus the tolerance, or a calendar day
    after today's date in Paris. Nothing (None) is never in the future."""
    if valeur is None:
        return False
    maintenant = maintenant or timezone.now()
    if isinstance(valeur, datetime):
        return en_utc(valeur) > en_utc(maintenant) + TOLERANCE_FUTUR
    return valeur > timezone.localdate(maintenant)


class Ordre(NamedTuple):
    """One step that cannot precede another: `champ` before `avant` is refused, the message under `champ`
    (or under `sous`). Both name a field of the record, or a field of a related record (« seance_cdu.date »)."""

    champ: str
    avant: str
    message: str
    sous: str = ""


def _lire(objet, chemin: str):
    for nom in chemin.split("."):
        if objet is None:
            return None
        objet = getattr(objet, nom)
    return objet


def _jour(valeur):
    return timezone.localtime(valeur).date() if isinstance(valeur, datetime) else valeur


def ordre_verifier(objet, regles: list[Ordre], erreurs: dict[str, str]) -> dict[str, str]:
    """Adds to `erreurs` each step dated before the one it depends on (a field already in error is left
    alone). A date and a date-time are compared as calendar days in Paris."""
    for regle in regles:
        cle = regle.sous or regle.champ.split(".")[0]
        v, ref = _lire(objet, regle.champ), _lire(objet, regle.avant)
        if v is None or ref is None or cle in erreurs:
            continue
        if isinstance(v, datetime) != isinstance(ref, datetime):
            v, ref = _jour(v), _jour(ref)
        elif isinstance(v, datetime):
            v, ref = en_utc(v), en_utc(ref)  # two instants: elapsed time, not the wall clock
        if v < ref:
            quand = f"{timezone.localtime(ref):%d/%m/%Y %H:%M}" if isinstance(ref, datetime) else f"{ref:%d/%m/%Y}"
            erreurs[cle] = f"{regle.message} ({quand})."
    return erreurs
