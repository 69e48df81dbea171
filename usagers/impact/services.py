"""Writes of the impact study and the bientraitance self-assessment: atomic, keyword-only."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualite.outils.revisions import appliquer, verrouiller
from qualite.paqss.models import ActionAmelioration
from qualite.paqss.services import action_creer
from usagers.impact.models import (
    ActionBientraitance,
    CampagneBientraitance,
    CampagneImpact,
    ItemGrille,
    ReponseBientraitance,
    ReponsesImpact,
    Temps,
    ThemeGrille,
    ValeurImpact,
)
from usagers.relations.models import MembreCDU


def _ecrire_reponses(*, grille, modele, valeurs: dict[int, int], **parent) -> None:
    """Replace a record's answers by `valeurs` ({item id: value}), each checked against the grid and its scale
    (the caller's transaction undoes everything on a refusal)."""
    items = set(ItemGrille.objects.filter(theme__grille=grille).values_list("pk", flat=True))
    permises = {v for v, _ in grille.echelle}
    if set(valeurs) - items or any(v not in permises for v in valeurs.values()):
        raise ValidationError("Réponse hors de la grille ou de son échelle.")
    modele.objects.filter(**parent).exclude(item_id__in=list(valeurs)).delete()
    for item_id, valeur in valeurs.items():
        modele.objects.update_or_create(**parent, item_id=item_id, defaults={"valeur": valeur})


@transaction.atomic
def campagne_impact_enregistrer(*, par, donnees: dict, cohorte=None, campagne: CampagneImpact | None = None,
                                revision: int | None = None) -> CampagneImpact:
    """Create or update a campaign (an update: the changed fields only; `cohorte` None: unchanged)."""
    c = CampagneImpact(created_by=par) if campagne is None else verrouiller(CampagneImpact, campagne.pk, revision, donnees)
    appliquer(c, donnees, par)
    c.full_clean(exclude=["cohorte"])
    c.save()
    if cohorte is not None:
        autres = [m for m in cohorte if m.etablissement_id != c.etablissement_id or m.role not in MembreCDU.ROLES_RU]
        if autres:
            raise ValidationError({"cohorte": f"{autres[0]} n'est pas représentant des usagers de cet établissement."})
        c.cohorte.set(cohorte)
    return c


@transaction.atomic
def campagne_impact_clore(*, campagne: CampagneImpact, temps: str, par) -> CampagneImpact:
    """Close a measure: from then on its answers are read-only."""
    c = CampagneImpact.objects.select_for_update().get(pk=campagne.pk)
    champ = "avant_close_le" if temps == Temps.AVANT else "apres_close_le"
    if getattr(c, champ) is None:
        setattr(c, champ, timezone.localdate())
        c.revision += 1
        c.modifie_par = par
        c.save(update_fields=[champ, "revision", "modifie_par", "updated_at"])
    return c


@transaction.atomic
def reponses_impact_enregistrer(*, campagne: CampagneImpact, membre: MembreCDU, temps: str, valeurs: dict[int, int],
                                par, revision: int | None = None) -> ReponsesImpact:
    """A representative's answers at one measure, all or nothing; refused once the measure is closed, and
    refused when someone changed them since the page was loaded."""
    c = CampagneImpact.objects.select_for_update().get(pk=campagne.pk)
    if not c.ouverte(temps):
        raise ValidationError("Cette mesure est close ou pas encore ouverte : les réponses ne peuvent plus être modifiées.")
    if not c.cohorte.filter(pk=membre.pk).exists():
        raise ValidationError("Vous ne faites pas partie de la cohorte de cette campagne.")
    reponses = ReponsesImpact.objects.filter(campagne=c, membre=membre, temps=temps).first()
    if reponses is None:
        reponses = ReponsesImpact.objects.create(campagne=c, membre=membre, temps=temps, created_by=par)
    else:
        reponses = verrouiller(ReponsesImpact, reponses.pk, revision, {})
        appliquer(reponses, {}, par)
        reponses.save()
    _ecrire_reponses(grille=c.grille, modele=ValeurImpact, valeurs=valeurs, reponses=reponses)
    return reponses


@transaction.atomic
def bientraitance_enregistrer(*, par, donnees: dict, campagne: CampagneBientraitance | None = None,
                              revision: int | None = None) -> CampagneBientraitance:
    c = CampagneBientraitance(created_by=par) if campagne is None else verrouiller(
        CampagneBientraitance, campagne.pk, revision, donnees)
    appliquer(c, donnees, par)
    if c.service_id:
        c.etablissement_id = c.service.pole.etablissement_id
    doublon = CampagneBientraitance.objects.filter(service=c.service_id, annee=c.annee, grille=c.grille_id).exclude(pk=c.pk)
    if doublon.exists():  # checked here, after the creation key: a replayed form finds its record first
        raise ValidationError({"annee": "Ce service a déjà son auto-évaluation pour cette année."})
    c.full_clean()
    c.save()
    return c


@transaction.atomic
def bientraitance_repondre(*, campagne: CampagneBientraitance, valeurs: dict[int, int], participants: str, par,
                           revision: int | None) -> CampagneBientraitance:
    """The team's answers to every criterion, in one transaction; a stale page is refused."""
    c = verrouiller(CampagneBientraitance, campagne.pk, revision, {"participants": participants})
    appliquer(c, {"participants": participants}, par)
    c.save()
    _ecrire_reponses(grille=c.grille, modele=ReponseBientraitance, valeurs=valeurs, campagne=c)
    return c


def bientraitance_ouvrir_action(*, campagne: CampagneBientraitance, theme: ThemeGrille, par,
                                score: int | None = None) -> tuple[ActionAmelioration, bool]:
    """A weak theme becomes a PAQSS action of the service, once: a double click or a replay finds it."""
    with transaction.atomic():
        CampagneBientraitance.objects.select_for_update().get(pk=campagne.pk)
        existante = ActionBientraitance.objects.filter(campagne=campagne, theme=theme).select_related("action").first()
        if existante:
            return existante.action, False
        detail = f" (score {score}/100)" if score is not None else ""
        action = action_creer(
            titre=f"Bientraitance — {theme.titre}"[:255], origine=ActionAmelioration.Origine.EVALUATION, source=campagne,
            etablissement_id=campagne.etablissement_id, pole_id=campagne.service.pole_id, service_id=campagne.service_id,
            par=par, description=f"Point faible de l'auto-évaluation de la bientraitance {campagne.annee} du service "
                                 f"{campagne.service.nom} : thème « {theme.titre} »{detail}.")
        ActionBientraitance.objects.create(campagne=campagne, theme=theme, action=action)
        return action, True
