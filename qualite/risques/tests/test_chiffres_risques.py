"""The risk map in the annual key figures: risks scored on the map as it stood on 31 December, and the events
confirmed as realising a risk, in the year they happened."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from evenements.tests.factories import EvenementFactory
from qualite.pilotage.chiffres import calculer, catalogue
from qualite.risques import services
from qualite.risques.tests.factories import RisqueFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _chiffre(code):
    return next(c for c in catalogue() if c.code == code)


def test_un_risque_compte_l_annee_ou_il_est_cote_et_plus_apres_son_archivage(monde):
    gestionnaire = monde.users["gestionnaire_risques"]
    ancien = RisqueFactory(etablissement=monde.etab_a)
    services.risque_coter(risque=ancien, par=gestionnaire, frequence=3, gravite=4, maitrise=2, date=date(2024, 6, 1))
    nouveau = RisqueFactory(etablissement=monde.etab_a)
    services.risque_coter(risque=nouveau, par=gestionnaire, frequence=2, gravite=2, maitrise=2, date=date(2025, 3, 1))
    ancien.archive_le = date(2025, 12, 31)  # still on the map on 31 December 2025, gone in 2026
    ancien.save(update_fields=["archive_le"])
    RisqueFactory(etablissement=monde.etab_a)  # never scored: not on the map
    n = calculer(_chiffre("risques"), annees=[2024, 2025, 2026], etablissements=[monde.etab_a.pk])
    assert (n[monde.etab_a.pk, 2024], n[monde.etab_a.pk, 2025], n[monde.etab_a.pk, 2026]) == (1, 1, 1)
    ancien.archive_le = date(2025, 7, 1)
    ancien.save(update_fields=["archive_le"])
    n = calculer(_chiffre("risques"), annees=[2024, 2025], etablissements=[monde.etab_a.pk])
    assert (n[monde.etab_a.pk, 2024], n[monde.etab_a.pk, 2025]) == (1, 1)  # 2025: only the new one


def test_les_evenements_confirmes_comptent_l_annee_ou_ils_sont_survenus(monde):
    gestionnaire = monde.users["gestionnaire_risques"]
    risque = RisqueFactory(etablissement=monde.etab_a)
    # 1 January 2026 at 00:30 in Paris is still 31 December 2025 in UTC: it counts for 2026, the Paris year.
    for quand in (datetime(2025, 12, 31, 23, 30, tzinfo=PARIS), datetime(2026, 1, 1, 0, 30, tzinfo=PARIS)):
        ev = EvenementFactory(etablissement=monde.etab_a, pole=monde.pole_a, service=monde.service_a, survenu_le=quand)
        services.evenement_lier(risque=risque, par=gestionnaire, evenement=ev)
    ecarte = EvenementFactory(etablissement=monde.etab_a, pole=monde.pole_a, service=monde.service_a,
                              survenu_le=datetime(2026, 2, 1, 12, tzinfo=PARIS))
    lien = services.evenement_lier(risque=risque, par=gestionnaire, evenement=ecarte)
    services.evenement_decider(lien=lien, par=gestionnaire, confirmer=False)
    n = calculer(_chiffre("risques_evenements"), annees=[2025, 2026], etablissements=[monde.etab_a.pk])
    assert (n.get((monde.etab_a.pk, 2025), 0), n.get((monde.etab_a.pk, 2026), 0)) == (1, 1)
