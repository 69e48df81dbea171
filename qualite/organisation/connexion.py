"""Login throttling rule, read by django-axes (settings.AXES_LOCKOUT_PARAMETERS).

An account is locked after AXES_FAILURE_LIMIT failures, from whatever addresses:
spreading guesses over many machines does not get round it. An address is locked
for every account once it has failed AXES_FAILURE_LIMIT_ADRESSE times: higher,
because a ward computer or a remote-desktop gateway is shared by a whole team."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def echecs_adresse(ip: str) -> int:
    from axes.models import AccessAttempt

    depuis = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=depuis).aggregate(n=Sum("failures_since_start"))
    return total["n"] or 0


def parametres_verrouillage(requete_ou_tentative, credentials=None) -> list[str]:
    ip = getattr(requete_ou_tentative, "axes_ip_address", None) or getattr(requete_ou_tentative, "ip_address", None)
    if ip and echecs_adresse(ip) >= settings.AXES_FAILURE_LIMIT_ADRESSE:
        return ["username", "ip_address"]
    return ["username"]
