from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualite.echeances import moteur as echeances
from qualite.echeances.moteur import EcheancePrevue, fin_de_jour
from qualite.outils.revisions import appliquer, verrouiller
from qualite.paqss.models import ActionAmelioration

REGLE_PAQSS = "paqss-action-echeance"


@transaction.atomic
def action_creer(
    *,
    titre: str,
    origine: str,
    source,
    etablissement_id: int,
    par,
    pole_id: int | None = None,
    service_id: int | None = None,
    responsable=None,
    echeance=None,
    description: str = "",
):
    """Raise a PAQSS action from a source record of any module (or, for a policy axis, from none)."""
    from django.contrib.contenttypes.models import ContentType

    action = ActionAmelioration.objects.create(
        titre=titre,
        description=description,
        origine=origine,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        etablissement_id=etablissement_id,
        pole_id=pole_id,
        service_id=service_id,
        responsable=responsable,
        echeance=echeance,
        created_by=par,
    )
    _synchroniser_echeance(action)
    return action


def _synchroniser_echeance(action: ActionAmelioration) -> None:
    """One deadline per dated action: satisfied when realised, "sans objet" when abandoned or undated."""
    from django.urls import reverse

    prevues = []
    if action.echeance and action.statut != ActionAmelioration.Statut.ABANDONNEE:
        prevues.append(EcheancePrevue(REGLE_PAQSS, fin_de_jour(action.echeance), satisfaite_le=action.realisee_le,
                                      debut_compte="échéance fixée dans le plan d'actions"))
    motif = (f"Action abandonnée : {action.motif_abandon}"[:255] if action.statut == ActionAmelioration.Statut.ABANDONNEE
             else "L'action n'a plus d'échéance.")
    echeances.synchroniser(
        objet=action,
        prevues=prevues,
        reference=action.reference_audit,
        etablissement_id=action.etablissement_id,
        pole_id=action.pole_id,
        service_id=action.service_id,
        url=reverse("qualite:action_detail", args=[action.pk]),
        responsable_id=action.responsable_id,
        motif_disparition=motif,
    )


@transaction.atomic
def action_importer(*, par, donnees: dict, action: ActionAmelioration | None = None) -> ActionAmelioration:
    """Create or correct an action from an imported file, state included (a plan migrated from
    another tool keeps its history); the model's rules still apply and the deadline follows."""
    if action is None:
        action = ActionAmelioration(created_by=par)
    else:
        action = ActionAmelioration.objects.select_for_update().get(pk=action.pk)
    for champ, valeur in donnees.items():
        setattr(action, champ, valeur)
    if action.statut == ActionAmelioration.Statut.REALISEE and not action.realisee_le:
        action.realisee_le = timezone.now()
    action.full_clean()
    action.save()
    _synchroniser_echeance(action)
    return action


CHAMPS_MODIFIABLES = frozenset({
    "titre", "description", "pole", "service", "responsable", "echeance", "priorite", "avancement", "preuves",
    "verification_efficacite", "efficace", "verifiee_le",
})


@transaction.atomic
def action_modifier(*, action: ActionAmelioration, par, donnees: dict,
                    revision: int | None = None) -> ActionAmelioration:
    """Edit the plan's fields the user changed; status moves go through action_changer_statut()."""
    inconnus = set(donnees) - CHAMPS_MODIFIABLES
    if inconnus:
        raise ValueError(f"Champ(s) non modifiable(s) : {', '.join(sorted(inconnus))}")
    action = verrouiller(ActionAmelioration, action.pk, revision, donnees)
    appliquer(action, donnees, par)
    action.full_clean()
    action.save()
    _synchroniser_echeance(action)
    return action


@transaction.atomic
def action_changer_statut(*, action: ActionAmelioration, par, vers: str, motif: str = "") -> ActionAmelioration:
    action = ActionAmelioration.objects.select_for_update().get(pk=action.pk)
    if vers not in action.transitions_possibles():
        libelle = ActionAmelioration.Statut(vers).label if vers in ActionAmelioration.Statut.values else vers
        raise ValidationError({"vers": f"Passage impossible de « {action.get_statut_display()} » à « {libelle} »."})
    if vers == ActionAmelioration.Statut.ABANDONNEE:
        if not motif.strip():
            raise ValidationError({"motif": "Indiquez le motif de l'abandon."})
        action.motif_abandon = motif.strip()[:255]
    if vers == ActionAmelioration.Statut.REALISEE:
        action.realisee_le = timezone.now()
        action.avancement = 100
    action.statut = vers
    action.save()
    _synchroniser_echeance(action)
    return action
