"""The annual report: a context builder (tested on its figures), a template under
templates/qualite/pilotage/pdf/, the shared render_pdf(), and a thin Celery task."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils import timezone

from qualite.organisation.models import Etablissement, Pole
from qualite.paqss.models import ActionAmelioration
from qualite.pilotage import anonymat, charts
from qualite.pilotage.chiffres import calculer_repartition, repartitions
from qualite.pilotage.selectors import chiffres_cles

SEUIL_ANONYMAT = anonymat.SEUIL  # the CDU version masks counts below it (qualite/pilotage/anonymat.py)


def actions_par_pole(poles: list[int], annee: int) -> dict[int, dict]:
    """PAQSS actions of each pôle: counts by state, overdue, mean progress — one aggregate query."""
    ouvertes = ActionAmelioration.q_ouvertes()
    lignes = (
        ActionAmelioration.objects.filter(pole_id__in=poles)
        .filter(Q(echeance__year=annee) | Q(created_at__year=annee) | ouvertes)
        .values("pole_id")
        .annotate(
            total=Count("id"),
            realisees=Count("id", filter=Q(statut=ActionAmelioration.Statut.REALISEE)),
            en_cours=Count("id", filter=Q(statut=ActionAmelioration.Statut.EN_COURS)),
            a_planifier=Count("id", filter=Q(statut=ActionAmelioration.Statut.A_PLANIFIER)),
            abandonnees=Count("id", filter=Q(statut=ActionAmelioration.Statut.ABANDONNEE)),
            en_retard=Count("id", filter=ActionAmelioration.q_en_retard()),
            avancement=Avg("avancement"),
        )
        .order_by()
    )
    return {r["pole_id"]: r for r in lignes}


def masquer_actions(actions: dict | None, anonyme: bool) -> dict | None:
    """A pôle's action counts: the four states add up to the total (one block), « en retard » alone."""
    if not actions or not anonyme:
        return actions
    etats = ("realisees", "en_cours", "a_planifier", "abandonnees")
    bloc = anonymat.masquer_bloc([actions[k] for k in etats], total=actions["total"])
    return {**actions, **dict(zip(etats, bloc.valeurs, strict=True)), "total": bloc.total,
            "en_retard": anonymat.masquer(actions["en_retard"])}


def contexte_rapport(*, annee: int, etablissements: list[Etablissement], anonyme: bool, titre: str) -> dict:
    chiffres = chiffres_cles(annee=annee, etablissements=etablissements)
    if anonyme:
        anonymat.masquer_chiffres(chiffres)
    poles = list(Pole.objects.filter(etablissement__in=etablissements, actif=True).select_related("etablissement")
                 .order_by("etablissement__nom", "nom"))
    ids = [p.pk for p in poles]
    parts = [(r, calculer_repartition(r, annee=annee, poles=ids)) for r in repartitions()]
    actions = actions_par_pole(ids, annee)
    pages_poles = []
    for p in poles:
        blocs = []
        for r, valeurs in parts:
            lignes = valeurs.get(p.pk, [])
            # Table, bars and total from the same masked block: what the table hides, the chart hides.
            bloc = anonymat.masquer_bloc([n for _, n in lignes], anonyme=anonyme)
            libelles = [lib for lib, _ in lignes]
            blocs.append({
                "titre": r.titre,
                "lignes": list(zip(libelles, bloc.valeurs, strict=True)),
                "total": bloc.total,
                "svg": charts.barres(titre=r.titre, etiquettes=libelles[:12], valeurs=bloc.valeurs[:12],
                                     largeur=600, hauteur=220) if lignes else "",
            })
        pages_poles.append({"pole": p, "blocs": blocs, "actions": masquer_actions(actions.get(p.pk), anonyme)})
    return {
        "titre": titre, "annee": annee, "etablissements": etablissements, "anonyme": anonyme,
        "chiffres_qualite": [c for c in chiffres if c["pole"] == "qualite"],
        "chiffres_usagers": [c for c in chiffres if c["pole"] == "usagers"],
        "chiffres": chiffres, "pages_poles": pages_poles, "genere_le": timezone.now(),
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
    etabs = [rapport.etablissement] if rapport.etablissement_id else list(
        Etablissement.objects.filter(ght=rapport.ght, actif=True).order_by("nom"))
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
