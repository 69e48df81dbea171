"""Date rules shared by every register."""

from datetime import date, datetime, timedelta

from django.utils import timezone

TOLERANCE_FUTUR = timedelta(minutes=5)  # a ward computer's clock may run a little ahead of the server's


def dans_le_futur(valeur: date | datetime | None, maintenant: datetime | None = None) -> bool:
    """The one rule "not in the future": an instant later than now plus the tolerance, or a calendar day
    after today's date in Paris. Nothing (None) is never in the future."""
    if valeur is None:
        return False
    maintenant = maintenant or timezone.now()
    if isinstance(valeur, datetime):
        return valeur > maintenant + TOLERANCE_FUTUR
    return valeur > timezone.localdate(maintenant)
