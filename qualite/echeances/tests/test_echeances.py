from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from qualite.echeances import moteur as echeances
from qualite.echeances.models import Echeance
from qualite.echeances.moteur import EcheancePrevue, ajouter_heures, ajouter_mois, fin_de_jour, statut_de, synchroniser
from qualite.organisation.models import Etablissement
from qualite.organisation.tests.factories import RegleEcheanceFactory

PARIS = ZoneInfo("Europe/Paris")
S = Echeance.Statut


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def _ech(due, **kw):
    return Echeance(echeance=due, **kw)


@pytest.mark.parametrize(
    "due, now, attendu",
    [
        (paris(2026, 3, 10, 23, 59), paris(2026, 3, 10, 0, 0), S.DU_AUJOURDHUI),
        (paris(2026, 3, 11, 0, 0), paris(2026, 3, 10, 23, 59), S.A_VENIR),
        (paris(2026, 3, 10, 23, 59), paris(2026, 3, 11, 0, 0), S.EN_RETARD),
        (paris(2026, 3, 10, 12, 0), paris(2026, 3, 10, 12, 0), S.DU_AUJOURDHUI),
        (paris(2026, 3, 10, 12, 0), paris(2026, 3, 10, 12, 0, 1), S.EN_RETARD),
        # Spring forward, 29 March 2026: the day has 23 hours; 23:30 is still today.
        (paris(2026, 3, 29, 23, 30), paris(2026, 3, 29, 0, 30), S.DU_AUJOURDHUI),
        (paris(2026, 3, 30, 0, 30), paris(2026, 3, 29, 23, 30), S.A_VENIR),
        # Fall back, 25 October 2026: the day has 25 hours.
        (paris(2026, 10, 25, 23, 30), paris(2026, 10, 25, 1, 0), S.DU_AUJOURDHUI),
        (paris(2026, 10, 26, 0, 0), paris(2026, 10, 25, 23, 59), S.A_VENIR),
    ],
)
def test_le_statut_suit_le_jour_calendaire_local(settings, due, now, attendu):
    settings.TIME_ZONE = "Europe/Paris"
    assert statut_de(_ech(due), now) == attendu


def test_satisfaite_et_sans_objet_l_emportent_sur_les_dates():
    now = paris(2026, 5, 1, 10)
    assert statut_de(_ech(paris(2026, 4, 1), satisfaite_le=now), now) == S.SATISFAIT
    assert statut_de(_ech(paris(2026, 4, 1), sans_objet=True), now) == S.SANS_OBJET


def test_fin_de_jour_est_le_dernier_instant_du_jour_local():
    fin = fin_de_jour(date(2026, 3, 29))
    assert fin.astimezone(PARIS).date() == date(2026, 3, 29)
    assert (fin + timedelta(microseconds=1)).astimezone(PARIS) == paris(2026, 3, 30)


@pytest.mark.parametrize(
    "jour, mois, attendu",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_ajouter_mois_se_cale_sur_la_fin_du_mois(jour, mois, attendu):
    assert ajouter_mois(jour, mois) == attendu


def test_les_heures_sont_ecoulees_a_travers_le_changement_d_heure():
    # 24 h after 01:00 on 29 March 2026 (23-hour day) is 02:00 on 30 March, local time.
    assert ajouter_heures(paris(2026, 3, 29, 1, 0), 24).astimezone(PARIS) == paris(2026, 3, 30, 2, 0)
    # 24 h after 01:00 on 25 October 2026 (25-hour day) is 00:00 on 26 October.
    assert ajouter_heures(paris(2026, 10, 25, 1, 0), 24).astimezone(PARIS) == paris(2026, 10, 26, 0, 0)


@pytest.mark.django_db
def test_le_statut_sql_concorde_avec_le_statut_python(monde):
    regle = RegleEcheanceFactory(code="r-sql")
    ct = ContentType.objects.get_for_model(Etablissement)
    now = paris(2026, 10, 25, 22, 0)
    dues = [now - timedelta(hours=1), now + timedelta(hours=1), now + timedelta(hours=3), now + timedelta(days=2)]
    for i, due in enumerate(dues):
        Echeance.objects.create(regle=regle, content_type=ct, object_id=monde.etab_a.pk, cle=str(i), reference="X",
                                etablissement=monde.etab_a, echeance=due)
    Echeance.objects.create(regle=regle, content_type=ct, object_id=monde.etab_a.pk, cle="s", reference="X",
                            etablissement=monde.etab_a, echeance=now, satisfaite_le=now)
    rows = Echeance.objects.avec_statut(now)
    assert [r.statut_calcule for r in rows.order_by("cle")] == [statut_de(r, now) for r in rows.order_by("cle")]
    assert sorted(r.statut_calcule for r in rows) == sorted(
        [S.EN_RETARD, S.DU_AUJOURDHUI, S.A_VENIR, S.A_VENIR, S.SATISFAIT]
    )


@pytest.mark.django_db
def test_synchroniser_cree_met_a_jour_et_ne_deplace_jamais_une_echeance_satisfaite(monde):
    RegleEcheanceFactory(code="r-a")
    RegleEcheanceFactory(code="r-b")
    objet = monde.etab_a
    t0 = paris(2026, 1, 31, 14, 0)
    kw = dict(objet=objet, reference="REF-1", etablissement_id=objet.pk)
    synchroniser(prevues=[EcheancePrevue("r-a", t0 + timedelta(hours=24)), EcheancePrevue("r-b", t0 + timedelta(hours=72))], **kw)
    assert Echeance.objects.count() == 2

    a = Echeance.objects.get(regle__code="r-a")
    echeances.echeance_satisfaire(echeance=a, par=monde.users["psychiatre"], le=t0 + timedelta(hours=20))

    # A later record moves every expected date: the satisfied one stays put, r-b follows.
    synchroniser(prevues=[EcheancePrevue("r-a", t0 + timedelta(hours=48)), EcheancePrevue("r-b", t0 + timedelta(hours=96))], **kw)
    a.refresh_from_db()
    b = Echeance.objects.get(regle__code="r-b")
    assert a.echeance == t0 + timedelta(hours=24)
    assert a.satisfaite_par == monde.users["psychiatre"]
    assert b.echeance == t0 + timedelta(hours=96)

    # r-b no longer expected: kept, marked sans objet.
    synchroniser(prevues=[EcheancePrevue("r-a", t0)], **kw)
    b.refresh_from_db()
    assert b.sans_objet and b.statut == S.SANS_OBJET
    assert Echeance.objects.count() == 2


@pytest.mark.django_db
def test_synchroniser_refuse_une_regle_inconnue(monde):
    with pytest.raises(ValueError, match="inconnue"):
        synchroniser(objet=monde.etab_a, prevues=[EcheancePrevue("absente", paris(2026, 1, 1))], reference="R",
                     etablissement_id=monde.etab_a.pk)
    assert Echeance.objects.count() == 0
