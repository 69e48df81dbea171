from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def admettre(monde):
    """Admit a patient in unit service_a with T0 (default: 10 days ago, 14:30)."""
    from django.utils import timezone

    from usagers.ssc import services

    def _admettre(mode="sdt", t0=None, ipp=None, service=None, **mesure):
        t0 = t0 or (timezone.localtime() - timedelta(days=10)).replace(hour=14, minute=30, second=0, microsecond=0)
        mesure.setdefault("tiers_nom", "Marie Martin" if mode in ("sdt", "sdt_urgence") else "")
        mesure.setdefault("tiers_lien", "sœur" if mode in ("sdt", "sdt_urgence") else "")
        return services.mesure_admettre(
            par=monde.users["bureau_admissions"], service=service or monde.service_a,
            patient={"ipp": ipp or f"IPP-{mode}-{t0:%Y%m%d%H%M}", "nom": "Durand", "prenom": "Léa",
                     "date_naissance": datetime(1990, 3, 2).date()},
            mesure={"mode": mode, "t0": t0, **mesure},
        )

    return _admettre
