"""The 15-day total of isolation dates the judge's and the relative's information and the saisine, like the
page's flag: decisions more than 48 h apart (separate episodes) still add up over a sliding 15 days."""

from datetime import UTC, datetime, timedelta

import pytest

from qualite.echeances.models import Echeance
from usagers.ssc import isolement
from usagers.ssc import services as ssc
from usagers.ssc.isolement import Decision
from usagers.ssc.models import MesureIsolement

H = timedelta(hours=1)
A = datetime(2026, 5, 4, 8, tzinfo=UTC)


def _blocs(a):
    """Three blocks of 24 h (two 12 h decisions each), 50 h apart: each episode stays under 48 h."""
    decisions = []
    for debut in (a, a + 74 * H, a + 148 * H):
        decisions += [Decision(debut, debut + 12 * H), Decision(debut + 12 * H, debut + 24 * H)]
    return decisions


def test_le_seuil_est_atteint_par_les_quinze_jours_quand_aucun_episode_ne_l_atteint():
    decisions = _blocs(A)
    maintenant = A + 200 * H
    chaine = isolement.episode(decisions, maintenant)
    assert isolement.instant_seuil(chaine, 48 * H, maintenant) is None  # the last episode: 24 h
    assert isolement.instant_atteint(decisions, chaine, 48 * H, maintenant) == A + 98 * H
    assert isolement.instant_atteint(decisions, chaine, 72 * H, maintenant) == A + 172 * H
    s = isolement.synthese("isolement", decisions, maintenant)
    assert s["information_due"] and s["instant_information"] == A + 98 * H


def test_hors_de_la_fenetre_de_quinze_jours_rien_ne_s_additionne():
    decisions = [Decision(A, A + 24 * H), Decision(A + 16 * 24 * H, A + 16 * 24 * H + 24 * H)]
    maintenant = A + 20 * 24 * H
    assert isolement.instant_atteint(decisions, isolement.episode(decisions, maintenant), 48 * H, maintenant) is None


def test_une_mesure_en_cours_date_le_seuil_a_venir():
    decisions = [Decision(A, A + 24 * H), Decision(A + 74 * H, None)]
    maintenant = A + 80 * H  # 24 h + 6 h so far
    assert isolement.instant_atteint(decisions, isolement.episode(decisions, maintenant), 48 * H,
                                     maintenant) == A + 98 * H


@pytest.mark.django_db
def test_les_echeances_datees_suivent_le_meme_calcul_que_la_page(monde, admettre):
    m = admettre("sdt")
    a = m.t0 + 12 * H
    for d in _blocs(a):
        ssc.isolement_enregistrer(mesure=m, par=monde.users["psychiatre"], decision=MesureIsolement(
            type="isolement", psychiatre="Dr Un", debut=d.debut, fin=d.fin, surveillance="IDE", motif="Agitation"))
    dues = {e.regle.code: e.echeance for e in Echeance.objects.filter(object_id=m.pk)
            if e.regle.code.startswith("ssc-isolement-") and "renouvellement" not in e.regle.code}
    assert dues["ssc-isolement-information"] == a + 98 * H
    assert dues["ssc-isolement-saisine"] == a + 172 * H
