"""The annual report: a context builder (tested on its figures), a template under
templates/qualite/pilotage/pdf/, the shared render_pdf(), and a thin Celery task."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from qualite.organisation.models import Etablissement, Pole
from qualite.paqss.models import ActionAmelioration
from qualite.pilotage import anonymat, charts
from qualite.pilotage.chiffres import calculer_repartition, repartitions
from qualite.pilotage.selectors import chiffres_cles

SEUIL_ANONYMAT = anonymat.SEUIL  # the CDU version masks counts below it (qualite/pilotage/anonymat.py)


def jour_de_reference(annee: int) -> date:
    """The day « en retard » is judged on: 31 December of the year, or today for the year under way."""
    return min(date(annee, 12, 31), timezone.localdate())


def _actions(annee: int, **filtre) -> QuerySet:
    """The actions of the year: raised or due in it, or still open on its last day (done later, or not yet)."""
    jour = jour_de_reference(annee)
    lendemain = datetime.combine(jour + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())
    A = ActionAmelioration
    ouverte_ce_jour = A.q_ouvertes() | Q(statut=A.Statut.REALISEE, realisee_le__gte=lendemain)
    return (A.objects.filter(**filtre).filter(created_at__lt=lendemain)
            .filter(Q(echeance__year=annee) | Q(created_at__year=annee) | ouverte_ce_jour)
            .annotate(_en_retard=ExpressionWrapper(ouverte_ce_jour & Q(echeance__lt=jour), output_field=BooleanField())))


def _compter_actions(qs: QuerySet, *cles: str) -> QuerySet:
    S = ActionAmelioration.Statut
    return (qs.values(*cles).annotate(
        total=Count("id"),
        realisees=Count("id", filter=Q(statut=S.REALISEE)),
        en_cours=Count("id", filter=Q(statut=S.EN_COURS)),
        a_planifier=Count("id", filter=Q(statut=S.A_PLANIFIER)),
        abandonnees=Count("id", filter=Q(statut=S.ABANDONNEE)),
        en_retard=Count("id", filter=Q(_en_retard=True)),
        avancement=Avg("avancement"),
    ).order_by())


def actions_par_pole(poles: list[int], annee: int) -> dict[int, dict]:
    """PAQSS actions of each pôle: counts by state, overdue as of 31 December of the year (today for the
    year under way), mean progress — one aggregate query."""
    return {r["pole_id"]: r for r in _compter_actions(_actions(annee, pole_id__in=poles), "pole_id")}


def actions_sans_pole(etablissements: list[int], annee: int) -> dict[int, dict]:
    """The établissement-wide actions (no pôle), by établissement, counted like a pôle's — one query."""
    qs = _actions(annee, etablissement_id__in=etablissements, pole__isnull=True)
    return {r["etablissement_id"]: r for r in _compter_actions(qs, "etablissement_id")}


def masquer_actions(actions: dict | None, anonyme: bool) -> dict | None:
    """A pôle's action counts: the four states add up to the total (one block), « en retard » alone."""
    if not actions or not anonyme:
        return actions
    etats = ("realisees", "en_cours", "a_planifier", "abandonnees")
    bloc = anonymat.masquer_bloc([actions[k] for k in etats], total=actions["total"])
    return {**actions, **dict(zip(etats, bloc.valeurs, strict=True)), "total": bloc.total,
            "en_retard": anonymat.masquer(actions["en_retard"])}


def _tendance(c: dict, annee: int) -> dict:
    """The change against last year, said in words as well as by the arrow (read aloud, printed in grey)."""
    total, prec, evolution = c["total"], c["precedent"], c["evolution"]
    if anonymat.est_masque(total) or anonymat.est_masque(prec):
        return {"fleche": "", "texte": "évolution non calculée (petits effectifs)", "sens": "masque"}
    if evolution is None:
        if total:
            return {"fleche": "↗", "texte": f"nouveau (aucun en {annee - 1})", "sens": "hausse"}
        return {"fleche": "→", "texte": f"stable (aucun en {annee - 1} ni en {annee})", "sens": "stable"}
    if evolution > 0:
        return {"fleche": "↗", "texte": f"+{charts.nombre(evolution)}\u00a0% par rapport à {annee - 1} (hausse)",
                "sens": "hausse"}
    if evolution < 0:
        return {"fleche": "↘", "texte": f"−{charts.nombre(-evolution)}\u00a0% par rapport à {annee - 1} (baisse)",
                "sens": "baisse"}
    return {"fleche": "→", "texte": f"stable par rapport à {annee - 1}", "sens": "stable"}


def _bloc(r, lignes: list, anonyme: bool) -> dict:
    # Table, bars and total from the same masked block: what the table hides, the chart hides.
    bloc = anonymat.masquer_bloc([n for _, n in lignes], anonyme=anonyme)
    libelles = [lib for lib, _ in lignes]
    return {
        "titre": r.titre, "lignes": list(zip(libelles, bloc.valeurs, strict=True)), "total": bloc.total,
        "vide": not any(n for _, n in lignes),
        # every row of the table has its bar, in the table's order, with its full label
        "svg": charts.barres_horizontales(titre=r.titre, etiquettes=libelles, valeurs=bloc.valeurs, largeur=400,
                                           colonne_libelles=150)
        if lignes else "",
    }


def contexte_rapport(*, annee: int, etablissements: list[Etablissement], anonyme: bool, titre: str) -> dict:
    chiffres = chiffres_cles(annee=annee, etablissements=etablissements, tendance=4)
    if anonyme:
        anonymat.masquer_chiffres(chiffres)
    for c in chiffres:
        c["tendance"] = _tendance(c, annee)
        c["mini"] = charts.mini_courbe(titre=f"{c['libelle']} : tendance sur 5 ans",
                                       etiquettes=[str(a) for a, _ in c["serie"]], valeurs=[n for _, n in c["serie"]])
    poles = list(Pole.objects.filter(etablissement__in=etablissements, actif=True).select_related("etablissement")
                 .order_by("etablissement__nom", "nom"))
    ids = [p.pk for p in poles]
    parts = [(r, calculer_repartition(r, annee=annee, poles=ids)) for r in repartitions()]
    actions = actions_par_pole(ids, annee)
    pages_poles, poles_sans_activite = [], []
    for p in poles:
        blocs = [_bloc(r, valeurs.get(p.pk, []), anonyme) for r, valeurs in parts]
        brut = actions.get(p.pk)
        if all(b["vide"] for b in blocs) and not brut:
            poles_sans_activite.append(p)  # listed in one line, not given an empty page
            continue
        pages_poles.append({"pole": p, "blocs": blocs, "actions": masquer_actions(brut, anonyme)})
    hors_poles = actions_sans_pole([e.pk for e in etablissements], annee)
    sections_etablissement = [{"etablissement": e, "actions": masquer_actions(hors_poles[e.pk], anonyme)}
                              for e in etablissements if e.pk in hors_poles]
    annees = [a for a, _ in chiffres[0]["serie"]] if chiffres else []
    ghts = list(dict.fromkeys(e.ght for e in etablissements))
    return {
        "titre": titre, "annee": annee, "etablissements": etablissements, "ghts": ghts, "anonyme": anonyme,
        "chiffres_qualite": [c for c in chiffres if c["pole"] == "qualite"],
        "chiffres_usagers": [c for c in chiffres if c["pole"] == "usagers"],
        "chiffres": chiffres, "annees_tendance": annees, "pages_poles": pages_poles,
        "poles_sans_activite": poles_sans_activite, "sections_etablissement": sections_etablissement,
        "jour_retard": jour_de_reference(annee), "genere_le": timezone.now(),
    }


# ---- generation ---------------------------------------------------------------------------------

def _avancer(rapport, etape: str, progression: int, **champs) -> None:
    """Progress is written outside any transaction so the page sees it while the task runs."""
    type(rapport).objects.filter(pk=rapport.pk).update(etape=etape, progression=progression,
                                                       progression_le=timezone.now(), **champs)


def rapport_demander(*, par, annee: int, ght, etablissement=None):
    from django.db import transaction
    from django.db.models import Max

    from qualite.pilotage.models import RapportAnnuel
    from qualite.pilotage.tasks import generer_rapport_annuel

    with transaction.atomic():
        # Lock the GHT row: two directors clicking at once get versions n and n+1, not a clash.
        type(ght).objects.select_for_update().get(pk=ght.pk)
        derniere = RapportAnnuel.objects.filter(annee=annee, ght=ght, etablissement=etablissement).aggregate(v=Max("version"))["v"]
        rapport = RapportAnnuel.objects.create(annee=annee, ght=ght, etablissement=etablissement,
                                               version=(derniere or 0) + 1, demande_par=par)
    try:  # published after the commit, so the worker always finds the row
        generer_rapport_annuel.delay(rapport.pk)
    except Exception as exc:  # broker down: nothing half-requested is left behind
        RapportAnnuel.objects.filter(pk=rapport.pk).delete()
        raise ServiceIndisponible(
            "Le service qui prépare les rapports ne répond pas : rien n'a été demandé. "
            "Réessayez dans quelques minutes ; si cela persiste, prévenez l'équipe informatique.") from exc
    return rapport


class ServiceIndisponible(Exception):
    """The background service cannot take work now; the message is for the user, in French."""


def rapports_bloques_terminer(maintenant=None) -> int:
    """Reports whose worker was lost (killed for memory, a restart) send no sign of life: past the task's
    time limit they are marked failed with the reason, and can be requested again."""
    from datetime import timedelta

    from qualite.pilotage.models import RapportAnnuel
    from qualite.pilotage.tasks import generer_rapport_annuel

    S = RapportAnnuel.Statut
    limite = (maintenant or timezone.now()) - timedelta(seconds=generer_rapport_annuel.time_limit + 60)
    return RapportAnnuel.objects.filter(statut__in=[S.EN_ATTENTE, S.EN_COURS], progression_le__lt=limite).update(
        statut=S.ECHEC, etape="Échec",
        motif_echec="Préparation interrompue sans réponse du service (processus arrêté : mémoire insuffisante ou "
                    "redémarrage). Vous pouvez demander le rapport à nouveau.")


def rapport_generer(*, rapport) -> None:
    from django.core.files.base import ContentFile

    from qualite.organisation.models import Etablissement
    from qualite.outils.pdf import render_pdf
    from qualite.pilotage.models import RapportAnnuel

    S = RapportAnnuel.Statut
    _avancer(rapport, "Calcul des chiffres clés", 10, statut=S.EN_COURS, tentatives=rapport.tentatives + 1, motif_echec="")
    etabs = Etablissement.objects.select_related("ght")
    etabs = list(etabs.filter(pk=rapport.etablissement_id) if rapport.etablissement_id else
                 etabs.filter(ght=rapport.ght, actif=True).order_by("nom"))
    titre = rapport.perimetre
    nom = f"rapport-{rapport.annee}-{(rapport.etablissement or rapport.ght).pk}-v{rapport.version}"
    for i, anonyme in enumerate((False, True)):
        _avancer(rapport, "Mise en page de la version anonymisée" if anonyme else "Mise en page du rapport", 30 + 35 * i)
        contenu = render_pdf("qualite/pilotage/pdf/rapport_annuel.html",
                             contexte_rapport(annee=rapport.annee, etablissements=etabs, anonyme=anonyme, titre=titre))
        champ = rapport.fichier_anonyme if anonyme else rapport.fichier
        champ.save(f"{nom}{'-anonyme' if anonyme else ''}.pdf", ContentFile(contenu), save=False)
    RapportAnnuel.objects.filter(pk=rapport.pk).update(
        fichier=rapport.fichier.name, fichier_anonyme=rapport.fichier_anonyme.name, statut=S.PRET, etape="Terminé",
        progression=100, termine_le=timezone.now())
