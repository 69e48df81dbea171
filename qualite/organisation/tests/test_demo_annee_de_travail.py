"""`manage.py demo` looks like years of work: the quality registers are filled (EPP, processes and their pilot
pairs, the isolation and restraint register), every state passes the product's own checks, the past is done
(no feedback still owed to the declarant of an event more than a year old), and each demo account lands on
« À traiter » with a few real items, not none and not thousands."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from certification.chiffres import _binome, _epp_active, _processus
from certification.models import EPP, Processus
from evenements.a_traiter import retours_dus
from evenements.models import EvenementIndesirable, Statut
from qualite.organisation import a_traiter
from qualite.organisation.demo import ANNEES_HISTORIQUE, COMPTES
from qualite.organisation.models import Utilisateur
from usagers.relations.models import Reclamation
from usagers.ssc import isolement
from usagers.ssc.models import DecisionJugeIsolement, EvaluationIsolement, MesureIsolement
from usagers.ssc.services import evaluation_valider, isolement_valider

pytestmark = pytest.mark.django_db

# A light demo writes 2 % of a year's volumes: about 31 events a year per établissement. Worked as a team works,
# that leaves each source a few items (the showcase adds one or two), 2 to 8 per account when this was written.
# 30 leaves room for new sources, and still fails on a history left undone: before the history was worked,
# this light demo gave the risk manager 36 items (25 feedbacks owed), the administrator 79, and the CDU member,
# the user representative and the direction none.
MAX_ELEMENTS = 30


def test_la_demo_legere_ressemble_a_des_annees_de_travail():
    call_command("demo", historique="leger", stdout=io.StringIO())
    maintenant = timezone.now()
    courante = timezone.localdate().year
    passees = range(courante - ANNEES_HISTORIQUE + 1, courante)

    # EPP and processes: each past year counts active EPP, processes and pilot pairs, as the key figures do.
    for annee in passees:
        assert EPP.objects.filter(_epp_active(annee)).distinct().exists(), annee
        en_service = Processus.objects.filter(_processus(annee)).distinct().count()
        assert 8 <= en_service <= 2 * 15, (annee, en_service)
        assert Processus.objects.filter(_binome(annee)).distinct().count() >= en_service - 3, annee
    assert EPP.objects.filter(etat=EPP.Etat.TERMINEE, date_fin__lt=date(courante, 1, 1)).exists()
    assert not EPP.objects.filter(etat=EPP.Etat.TERMINEE, date_fin__isnull=True).exists()
    for epp in EPP.objects.prefetch_related("statuts"):
        statuts = sorted(epp.statuts.all(), key=lambda s: s.du)
        assert statuts[-1].au is None and statuts[-1].etat == epp.etat, epp
        assert all(a.au == b.du for a, b in zip(statuts, statuts[1:], strict=False)), epp  # no gap, no overlap

    # Isolation and restraint: every decision, evaluation and judge's decision as the forms would accept it.
    decisions = list(MesureIsolement.objects.select_related("mesure").filter(mesure__patient__ipp__startswith="DEMO-H"))
    assert {d.type for d in decisions} == {"isolement", "contention"}
    for d in decisions:
        isolement_valider(d.mesure, d)
    for e in EvaluationIsolement.objects.select_related("decision").filter(decision__in=decisions):
        evaluation_valider(e.decision, e)
    assert EvaluationIsolement.objects.filter(decision__in=decisions).count() >= len(decisions) // 2
    # Past 48 h of isolation, the judge and a relative were informed; past 72 h, the judge was seized.
    par_mesure: dict[int, list] = {}
    for d in decisions:
        if d.type == "isolement":
            par_mesure.setdefault(d.mesure_id, []).append(d)
    seuils = isolement.SEUILS["isolement"]
    for groupe in par_mesure.values():
        chaine = [isolement.Decision(d.debut, d.fin) for d in groupe]
        if isolement.duree(chaine, maintenant) > seuils.information:
            assert any(d.juge_informe_le and d.proche_informe_le for d in groupe), groupe
        if isolement.duree(chaine, maintenant) > seuils.saisine:
            assert any(d.juge_saisi_le for d in groupe), groupe
    assert not DecisionJugeIsolement.objects.filter(date_heure__gt=maintenant).exists()

    # The past is done: no feedback owed to the declarant of an event declared more than a year ago.
    admin = Utilisateur.objects.get(username="admin")
    il_y_a_un_an = maintenant - timedelta(days=365)
    assert not retours_dus(admin).filter(created_at__lt=il_y_a_un_an).exists()
    assert not EvenementIndesirable.objects.filter(statut=Statut.DECLARE, created_at__lt=il_y_a_un_an).exists()
    assert EvenementIndesirable.objects.filter(statut=Statut.CLOTURE, retour_le__isnull=False,
                                               created_at__lt=il_y_a_un_an).exists()

    # Complaints: answered and closed; only recent ones still open (a history of open complaints reads as neglect).
    anciennes = Reclamation.objects.filter(recue_le__lt=(maintenant - timedelta(days=365)).date())
    assert anciennes.exists() and not anciennes.filter(reponse_finale_le__isnull=True).exists()

    # Each demo account: a few real items in « À traiter ».
    boites = {}
    for login, *_ in COMPTES:
        user = Utilisateur.objects.get(username=login)
        boites[login] = {code: n for code, n in a_traiter.compteurs(user).items() if n}
    for login, sources in boites.items():
        assert 1 <= sum(sources.values()) <= MAX_ELEMENTS, (login, sources)
    # The roles that run a register find its work there, not only documents to read.
    assert {"ei-qualifier", "ei-analyses"} <= set(boites["qualiticien"]), boites["qualiticien"]
    assert "ssc-certificats-decisions" in boites["admissions"], boites["admissions"]
    assert "paqss-actions" in boites["direction"] and "paqss-actions" in boites["cadre"], boites
    assert "documents-a-lire" in boites["cdu"] and "documents-a-lire" in boites["ru"], boites
