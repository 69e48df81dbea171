"""`manage.py demo` with its years of history: the volumes of seed 000, once, and pages that open on them."""

import io
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from certification.models import Audit, Referentiel
from evenements.models import EvenementIndesirable, TransitionEvenement
from qualite.echeances.models import Echeance
from qualite.organisation.demo import ANNEES_HISTORIQUE, ECHELLES
from qualite.organisation.models import Utilisateur
from usagers.relations.models import DemandeDossier, Reclamation, SeanceCDU
from usagers.ssc.models import ActeMesure, MesureSoinsSansConsentement

pytestmark = pytest.mark.django_db

# Seed 000, one établissement, one year (the demo's own few showcase records come on top).
VISES = {"evenements": 1550, "ssc": 1180, "demandes": 230, "reclamations": 70, "seances": 4, "audits": 12}


def _par_an(qs, champ, tz=True):
    """{(établissement id, year): rows}, the year taken in Paris time."""
    annee = ExtractYear(champ, tzinfo=timezone.get_current_timezone()) if tz else ExtractYear(champ)
    return Counter({(r["etablissement_id"], r["a"]): r["n"]
                    for r in qs.annotate(a=annee).values("etablissement_id", "a").annotate(n=Count("id"))})


def _comptes():
    return {
        "evenements": _par_an(EvenementIndesirable.objects.all(), "survenu_le"),
        "ssc": _par_an(MesureSoinsSansConsentement.objects.all(), "t0"),
        "demandes": _par_an(DemandeDossier.objects.all(), "recue_le"),
        "reclamations": _par_an(Reclamation.objects.all(), "recue_le", tz=False),
        "seances": _par_an(SeanceCDU.objects.all(), "date", tz=False),
        "audits": _par_an(Audit.objects.all(), "date", tz=False),
        "actes": ActeMesure.objects.count(), "transitions": TransitionEvenement.objects.count(),
        "echeances": Echeance.objects.count(),
    }


def _charger(volume):
    sortie = io.StringIO()
    debut = time.monotonic()
    call_command("demo", historique=volume, stdout=sortie)
    duree = time.monotonic() - debut
    print(f"\nmanage.py demo --historique {volume} : {duree:.1f} s\n{sortie.getvalue()}")
    return sortie.getvalue()


def _verifier_volumes(comptes, echelle, tolerance):
    courante = timezone.localdate().year
    passees = range(courante - ANNEES_HISTORIQUE + 1, courante)
    for cle, par_an in VISES.items():
        etabs = {e for e, _ in comptes[cle]}
        assert etabs, cle
        for etab in etabs:
            for annee in passees:
                attendu = par_an if cle == "seances" else max(1, round(par_an * echelle))  # sessions: 4 a year at any scale
                n = comptes[cle][(etab, annee)]
                assert abs(n - attendu) <= max(2, attendu * tolerance), (cle, etab, annee, n, attendu)
            assert comptes[cle][(etab, courante)] > 0, (cle, etab, "année en cours vide")
            assert comptes[cle][(etab, courante - ANNEES_HISTORIQUE)] == 0, (cle, etab, "année de trop")


def test_la_demo_complete_a_les_volumes_d_un_hopital_sur_cinq_ans_et_ne_double_rien(client):
    sortie = _charger("complet")
    assert "Historique chargé" in sortie
    comptes = _comptes()
    _verifier_volumes(comptes, ECHELLES["complet"], tolerance=0.05)
    # Two établissements for what both do; SSC only where there is a psychiatry pôle.
    assert len({e for e, _ in comptes["evenements"]}) == 2
    assert len({e for e, _ in comptes["demandes"]}) == 2
    # Every event has its declaration step; ended SSC files have their records; open ones their deadlines.
    assert comptes["transitions"] >= sum(comptes["evenements"].values())
    assert comptes["actes"] > sum(comptes["ssc"].values())
    assert MesureSoinsSansConsentement.objects.filter(levee_le__isnull=True).exists()
    assert Echeance.objects.filter(mesure_ssc__levee_le__isnull=True).exists()
    assert not MesureSoinsSansConsentement.objects.filter(levee_le__lt=F("t0")).exists()

    _charger("complet")  # a rerun doubles nothing
    assert _comptes() == comptes

    # The dashboards open on the current year, with figures in it and a year selector.
    client.force_login(Utilisateur.objects.get(username="direction"))
    reponse = client.get(reverse("pilotage:tableau_direction"))
    assert reponse.status_code == 200
    courante = timezone.localdate().year
    assert reponse.context["annee"] == courante
    totaux = {c["code"]: c["total"] for c in reponse.context["chiffres"]}
    assert sum(1 for t in totaux.values() if isinstance(t, int) and t > 0) >= 4, totaux
    assert f'<option value="{courante - 1}">' in reponse.content.decode()


def test_la_demo_legere_reste_petite_et_charge_le_referentiel_d_exemple(client):
    sortie = _charger("leger")
    comptes = _comptes()
    _verifier_volumes(comptes, ECHELLES["leger"], tolerance=0.2)
    assert sum(comptes["evenements"].values()) < 500
    _charger("leger")
    assert _comptes() == comptes
    assert "Historique chargé" in sortie

    referentiel = Referentiel.objects.get(actif=True)
    assert referentiel.criteres.count() == 33
    client.force_login(Utilisateur.objects.get(username="qualiticien"))
    page = client.get(reverse("certification:referentiel")).content.decode()
    assert "Référentiel d&#x27;exemple" in page or "Référentiel d'exemple" in page


def test_la_demo_sans_historique_ne_charge_que_les_exemples():
    call_command("demo", historique="aucun", stdout=io.StringIO())
    assert EvenementIndesirable.objects.count() < 10
    assert Referentiel.objects.count() == 1
