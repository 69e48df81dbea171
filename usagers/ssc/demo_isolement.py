"""Demo history of the isolation and restraint register (L3222-5-1): episodes drawn on the ended measures of
the SSC history, each decision, evaluation, information and saisine placed where the law and the product's
checks (services.isolement_valider, isolement.evaluations_dues) want them, written by COPY.

Orders of magnitude (national figures, DREES / ATIH): about a quarter of the patients in full hospitalisation
without consent are isolated at least once, about a third of those are also restrained; most episodes last
less than two days, a few reach the judge."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

PART_ISOLES = 0.25  # of the ended measures
PART_CONTENUS = 0.35  # of the isolated patients
# Episode length in hours (weights): most under 48 h, some need the judge and a relative informed (48-72 h),
# a few go past 72 h (the judge seized before, then deciding).
DUREES_ISOLEMENT = ([(3, 12), (12, 24), (24, 48), (48, 72), (72, 110)], [25, 30, 25, 13, 7])
DUREES_CONTENTION = ([(2, 6), (6, 12), (12, 22)], [50, 35, 15])
EVALUATION_OUBLIEE = 0.02  # a period whose second evaluation was never written
SURVEILLANCE = ["IDE et aide-soignant de l'unité", "Équipe infirmière de l'unité (binôme de jour et de nuit)",
                "IDE référent et cadre de santé de l'unité"]
MOTIFS = ["Agitation avec risque de passage à l'acte hétéro-agressif.", "Risque auto-agressif majeur.",
          "Mise en danger imminente après échec des mesures de désescalade."]


def _arrondi(t):
    return t.replace(second=0, microsecond=0)


def _decoupe(debut, fin, pas):
    """[debut, fin) in decisions of at most `pas`, each renewal starting when the previous one ends."""
    morceaux = []
    while debut < fin:
        suivant = min(debut + pas, fin)
        morceaux.append((debut, suivant))
        debut = suivant
    return morceaux


def _couvrante(decisions, instant):
    return next(d for d in decisions if d.debut <= instant <= d.fin)


def _evaluations(rng, decisions, type_, seuils, maintenant, psychiatres, EvaluationIsolement):
    """One evaluation early in each decision, then whatever each period still lacks (two per 24 h of isolation,
    per 12 h of restraint), checked with the rule the deadlines use."""
    from usagers.ssc import isolement

    evaluations = []
    for d in decisions:
        longueur = (d.fin - d.debut).total_seconds() / 60
        if longueur >= 40:
            quand = _arrondi(d.debut + timedelta(minutes=rng.randint(20, int(min(longueur - 10, 180)))))
            evaluations.append(EvaluationIsolement(decision=d, date_heure=quand, psychiatre=rng.choice(psychiatres),
                                                   observations="Patient réévalué : maintien justifié."))
    decisions_pures = [isolement.Decision(d.debut, d.fin) for d in decisions]
    for periode in isolement.evaluations_dues(decisions_pures, [e.date_heure for e in evaluations], seuils.evaluation,
                                              maintenant):
        if periode.satisfaite_le is not None or rng.random() < EVALUATION_OUBLIEE:
            continue
        dans = [e for e in evaluations if periode.debut <= e.date_heure <= periode.echeance]
        for k in range(isolement.EVALUATIONS_PAR_PERIODE - len(dans)):
            quand = _arrondi(periode.echeance - timedelta(minutes=30 + 90 * k + rng.randint(0, 30)))
            evaluations.append(EvaluationIsolement(decision=_couvrante(decisions, quand), date_heure=quand,
                                                   psychiatre=rng.choice(psychiatres),
                                                   observations="Évaluation de fin de période."))
    return evaluations


def charger_historique(historique) -> dict[str, int]:
    from qualite.organisation.models import Utilisateur
    from qualite.outils import registres
    from qualite.outils.copie import horodatage_libre, inserer_historise
    from usagers.ssc import isolement
    from usagers.ssc.calendrier import Acte, en_hospitalisation_complete
    from usagers.ssc.management.commands.generer_mesures_ssc import PSYCHIATRES
    from usagers.ssc.models import (
        ActeMesure,
        DecisionJugeIsolement,
        EvaluationIsolement,
        MesureIsolement,
        MesureSoinsSansConsentement,
    )
    from usagers.ssc.services import delais_ssc

    rng = historique.rng("ssc-isolement")
    maintenant = timezone.now()
    bureau = Utilisateur.objects.get(username="admissions")
    delais = delais_ssc()
    seuils = {t: isolement.seuils(t, delais) for t in isolement.TYPES}
    # Ended measures of the history only (the showcase files and the ones still running keep their own).
    mesures = [m for m in MesureSoinsSansConsentement.objects.filter(patient__ipp__startswith="DEMO-H", levee_le__isnull=False)
               .order_by("id").values_list("id", "t0", "levee_le") if rng.random() < PART_ISOLES]
    actes: dict[int, list] = {}
    for mesure_id, type_, quand, conclusion, forme, auteur in (
            ActeMesure.objects.filter(mesure__in=[m[0] for m in mesures], annule=False).order_by("date_heure", "id")
            .values_list("mesure_id", "type", "date_heure", "conclusion", "forme", "auteur")):
        actes.setdefault(mesure_id, []).append(Acte(type_, quand, conclusion, forme, auteur))
    decisions, evaluations, juges = [], [], []
    for mesure_id, t0, levee in mesures:
        les_actes = actes.get(mesure_id, [])
        marge = (levee - t0) - timedelta(hours=6)
        if marge < timedelta(hours=8):
            continue
        debut = _arrondi(t0 + timedelta(minutes=rng.randint(60, int(min(marge, timedelta(days=10)).total_seconds() // 60))))
        if not en_hospitalisation_complete(t0, les_actes, debut):
            continue
        heures = rng.uniform(*rng.choices(*DUREES_ISOLEMENT)[0])
        fin = _arrondi(min(debut + timedelta(hours=heures), levee - timedelta(hours=2)))
        psychiatre = rng.choice(PSYCHIATRES)
        # Every renewal starts in full hospitalisation (isolement_valider); a lifting or a programme de soins ends the episode.
        morceaux = []
        for a, b in _decoupe(debut, fin, seuils["isolement"].decision):
            if not en_hospitalisation_complete(t0, les_actes, a):
                break
            morceaux.append((a, b))
        if not morceaux or morceaux[-1][1] - morceaux[0][0] < timedelta(hours=2):
            continue
        fin = morceaux[-1][1]
        surveillance, motif = rng.choice(SURVEILLANCE), rng.choice(MOTIFS)
        iso = [MesureIsolement(mesure_id=mesure_id, type="isolement", psychiatre=psychiatre, debut=a, fin=b,
                               surveillance=surveillance, motif=motif, created_by=bureau, created_at=a, updated_at=b)
               for a, b in morceaux]
        cont = []
        if rng.random() < PART_CONTENUS:
            c_debut = _arrondi(debut + timedelta(minutes=rng.randint(0, 90)))
            c_fin = _arrondi(min(c_debut + timedelta(hours=rng.uniform(*rng.choices(*DUREES_CONTENTION)[0])), fin))
            # A restraint decision lies within one isolation decision (the check of isolement_valider).
            for d in iso:
                a, b = max(c_debut, d.debut), min(c_fin, d.fin)
                for x, y in (_decoupe(a, b, seuils["contention"].decision) if b - a >= timedelta(minutes=30) else []):
                    cont.append(MesureIsolement(mesure_id=mesure_id, type="contention", psychiatre=psychiatre, debut=x,
                                                fin=y, surveillance=surveillance, motif=motif, created_by=bureau,
                                                created_at=x, updated_at=y))
        for type_, groupe in (("isolement", iso), ("contention", cont)):
            if not groupe:
                continue
            s = seuils[type_]
            chaine = [isolement.Decision(d.debut, d.fin) for d in groupe]
            info = isolement.instant_atteint(chaine, chaine, s.information, maintenant)
            if info is not None:  # the judge and a relative informed without delay
                d = _couvrante(groupe, min(info, groupe[-1].fin))
                d.juge_informe_le = _arrondi(min(info + timedelta(minutes=rng.randint(10, 120)), maintenant))
                d.proche_informe_le = _arrondi(min(info + timedelta(minutes=rng.randint(30, 240)), maintenant))
            saisine = isolement.instant_atteint(chaine, chaine, s.saisine, maintenant)
            if saisine is not None:  # seized before the threshold; the judge decides within the day
                saisi = _arrondi(saisine - timedelta(hours=rng.randint(2, 10)))
                _couvrante(groupe, saisi).juge_saisi_le = saisi
                decision_le = _arrondi(saisi + timedelta(hours=rng.randint(10, 22)))
                if decision_le < groupe[-1].fin:
                    juges.append(DecisionJugeIsolement(mesure_id=mesure_id, type=type_, date_heure=decision_le,
                                                       maintien=True, created_by=bureau, created_at=decision_le,
                                                       updated_at=decision_le))
            evaluations += _evaluations(rng, groupe, type_, s, maintenant, PSYCHIATRES, EvaluationIsolement)
        decisions += iso + cont
    with horodatage_libre(MesureIsolement, EvaluationIsolement, DecisionJugeIsolement):
        inserer_historise(MesureIsolement, decisions)
        for e in evaluations:
            e.decision_id = e.decision.pk
            e.created_by, e.created_at, e.updated_at = bureau, e.date_heure, e.date_heure
        inserer_historise(EvaluationIsolement, evaluations)
        inserer_historise(DecisionJugeIsolement, juges)
    for modele in (MesureIsolement, EvaluationIsolement, DecisionJugeIsolement):
        registres.modifie(modele)
    isoles = {d.mesure_id for d in decisions}
    return {"patients isolés": len(isoles),
            "décisions d'isolement": sum(1 for d in decisions if d.type == "isolement"),
            "décisions de contention": sum(1 for d in decisions if d.type == "contention"),
            "évaluations": len(evaluations), "décisions du juge (isolement, contention)": len(juges)}
