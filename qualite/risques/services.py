"""Writes of the risk map: risks, scorings (append-only), links to actions and to events."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from qualite.outils.dates import dans_le_futur
from qualite.outils.revisions import appliquer, verrouiller
from qualite.paqss.models import ActionAmelioration
from qualite.paqss.services import action_creer
from qualite.risques import domaines
from qualite.risques.models import (
    Cotation,
    Echelle,
    FamilleRisque,
    NiveauEchelle,
    ReglagesRisques,
    Risque,
    RisqueAction,
    RisqueEvenement,
)

CHAMPS_RISQUE = frozenset({"etablissement", "pole", "service", "processus", "famille", "titre", "description",
                           "pilote", "barrieres", "archive_le"})
CHAMPS_COTATION = ("frequence", "gravite", "maitrise")


@transaction.atomic
def risque_enregistrer(*, par, donnees: dict, risque: Risque | None = None, revision: int | None = None) -> Risque:
    """Create a risk, or edit the fields a form changed (a stale form is refused: ConflitDeRevision)."""
    inconnus = set(donnees) - CHAMPS_RISQUE
    if inconnus:
        raise ValueError(f"Champ(s) non modifiable(s) : {', '.join(sorted(inconnus))}")
    r = Risque(created_by=par) if risque is None else verrouiller(Risque, risque.pk, revision, donnees)
    if risque is not None and "etablissement" in donnees and donnees["etablissement"].pk != r.etablissement_id:
        raise ValidationError({"etablissement": "Un risque ne change pas d'établissement : créez-en un autre."})
    appliquer(r, donnees, par)
    if dans_le_futur(r.archive_le):
        raise ValidationError({"archive_le": "La date d'archivage ne peut pas être dans le futur."})
    r.full_clean()
    r.save()
    return r


@transaction.atomic
def famille_enregistrer(*, par, donnees: dict, famille: FamilleRisque | None = None,
                        revision: int | None = None) -> FamilleRisque:
    """A family of the établissement; its event types drive the suggestions. Never deleted: deactivated."""
    types = donnees.pop("types_evenement", None)
    f = FamilleRisque(created_by=par) if famille is None else verrouiller(FamilleRisque, famille.pk, revision, donnees)
    appliquer(f, donnees, par)
    f.full_clean()
    f.save()
    if types is not None:
        f.types_evenement.set(types)
    return f


def niveaux(echelle: str) -> dict[int, NiveauEchelle]:
    return {n.valeur: n for n in NiveauEchelle.objects.filter(echelle=echelle)}


@transaction.atomic
def risque_coter(*, risque: Risque, par, frequence: int, gravite: int, maitrise: int, date=None,
                 commentaire: str = "") -> Cotation:
    """A new dated scoring; the previous ones stay untouched (the map's history)."""
    date = date or timezone.localdate()
    erreurs = {}
    echelles = {e: niveaux(e) for e in Echelle.values}
    for champ, valeur in (("frequence", frequence), ("gravite", gravite), ("maitrise", maitrise)):
        if valeur not in echelles[champ]:
            permis = ", ".join(str(v) for v in sorted(echelles[champ])) or "aucun niveau défini"
            erreurs[champ] = f"Niveau inconnu : {valeur} (niveaux de l'échelle : {permis})."
    if dans_le_futur(date):
        erreurs["date"] = "La date de la cotation ne peut pas être dans le futur."
    elif risque.archive_le and date >= risque.archive_le:
        erreurs["date"] = f"Le risque est archivé depuis le {risque.archive_le:%d/%m/%Y}."
    if erreurs:
        raise ValidationError(erreurs)
    Risque.objects.select_for_update().filter(pk=risque.pk).first()  # two scorings of one risk queue up
    return Cotation.objects.create(risque=risque, date=date, frequence=frequence, gravite=gravite, maitrise=maitrise,
                                   poids_maitrise=echelles["maitrise"][maitrise].poids,
                                   commentaire=commentaire.strip(), created_by=par)


def derniere_cotation(risque: Risque, jour=None) -> Cotation | None:
    qs = risque.cotations.all()
    if jour is not None:
        qs = qs.filter(date__lte=jour)
    return qs.order_by("-date", "-id").first()


@transaction.atomic
def risque_importer(*, par, donnees: dict, risque: Risque | None = None) -> Risque:
    """A row of the imported file: the risk's fields, and a new scoring when the file's scoring differs from
    the current one (all three levels are then required)."""
    cotation = {c: donnees.pop(c) for c in (*CHAMPS_COTATION, "date_cotation") if c in donnees}
    r = risque_enregistrer(par=par, donnees=donnees, risque=risque)
    if any(cotation.get(c) is not None for c in (*CHAMPS_COTATION, "date_cotation")):
        actuelle = derniere_cotation(r) if risque is not None else None
        valeurs = {c: cotation.get(c, getattr(actuelle, c, None)) for c in CHAMPS_COTATION}
        manquants = {c: "Indiquez aussi ce niveau : une cotation porte la fréquence, la gravité et la maîtrise."
                     for c, v in valeurs.items() if v is None}
        if manquants:
            raise ValidationError(manquants)
        jour = cotation.get("date_cotation")  # an unchanged or empty date: the new scoring is today's
        try:
            risque_coter(risque=r, par=par, date=jour, commentaire="Cotation importée", **valeurs)
        except ValidationError as exc:
            raise ValidationError({("date_cotation" if k == "date" else k): v for k, v in exc.message_dict.items()}) \
                from None
    return r


@transaction.atomic
def risque_action_creer(*, risque: Risque, par, titre: str, echeance=None) -> ActionAmelioration:
    """A PAQSS action raised from the risk (origin « cartographie des risques »), linked to it."""
    action = action_creer(titre=titre, origine=ActionAmelioration.Origine.RISQUE, source=risque,
                          etablissement_id=risque.etablissement_id, pole_id=risque.pole_id,
                          service_id=risque.service_id, responsable=risque.pilote, echeance=echeance, par=par)
    RisqueAction.objects.create(risque=risque, action=action, created_by=par)
    return action


@transaction.atomic
def risque_action_lier(*, risque: Risque, par, action: ActionAmelioration) -> RisqueAction:
    if action.etablissement_id != risque.etablissement_id:
        raise ValidationError({"action": "Cette action est celle d'un autre établissement."})
    lien, _ = RisqueAction.objects.get_or_create(risque=risque, action=action, defaults={"created_by": par})
    return lien


# ---- events ------------------------------------------------------------------------------------------------


def motif_suggestion(risque: Risque, evenement) -> str | None:
    """Why `risque` is proposed for `evenement`, or None: the rule, in words (docs/risques.md).
    Same établissement; the event's type is one of the family's types; the risk is not confined to another
    pôle or service than the event's."""
    if risque.etablissement_id != evenement.etablissement_id:
        return None
    if risque.pole_id and risque.pole_id != evenement.pole_id:
        return None
    if risque.service_id and risque.service_id != evenement.service_id:
        return None
    types = {t.pk: t for t in risque.famille.types_evenement.all()}
    if evenement.type_id not in types:
        return None
    motif = f"Type « {types[evenement.type_id]} » rattaché à la famille « {risque.famille} »"
    if risque.service_id:
        motif += " ; même service"
    elif risque.pole_id:
        motif += " ; même pôle"
    if risque.processus_id:
        motif += f" ; processus « {risque.processus} »"
    return motif[:255]


# Namespace of the advisory locks taken per établissement while suggestions are computed.
VERROU_SUGGESTIONS = 7_401


@transaction.atomic
def suggestions_actualiser(*, user, etablissements: frozenset[int], evenement_id: int | None = None) -> int:
    """Store the suggestions of the rule for the recent events the user sees, in `etablissements`; a pair
    already suggested, confirmed or set aside is not proposed again. Returns the number of new suggestions.
    Two managers asking at once: the second waits for the first (a lock per établissement, in a fixed
    order), then reads its suggestions as existing, so each count says what that request added."""
    with connection.cursor() as curseur:
        for etablissement_id in sorted(etablissements):
            curseur.execute("SELECT pg_advisory_xact_lock(%s, %s)", [VERROU_SUGGESTIONS, etablissement_id])
    reglages = ReglagesRisques.courants()
    depuis = timezone.now() - timedelta(days=31 * reglages.suggestions_mois)
    risques = (Risque.objects.filter(etablissement_id__in=etablissements, archive_le__isnull=True,
                                     famille__types_evenement__isnull=False)
               .select_related("famille", "processus").prefetch_related("famille__types_evenement").distinct())
    par_type: dict[tuple[int, int], list[Risque]] = {}
    for r in risques:
        for t in r.famille.types_evenement.all():
            par_type.setdefault((r.etablissement_id, t.pk), []).append(r)
    if not par_type:
        return 0
    evenements = (domaines.evenements_visibles(domaines.Evenement().objects.all(), user)
                  .filter(etablissement_id__in=etablissements, survenu_le__gte=depuis,
                          type_id__in={t for _, t in par_type})
                  .exclude(statut__in=domaines.evenement_statuts_exclus())
                  .filter(**({"pk": evenement_id} if evenement_id else {}))
                  .only("pk", "etablissement_id", "pole_id", "service_id", "type_id"))
    existants = set(RisqueEvenement.objects.filter(risque__in=[r for rs in par_type.values() for r in rs])
                    .values_list("risque_id", "evenement_id"))
    nouveaux = []
    for ev in evenements.iterator(chunk_size=2000):
        for r in par_type.get((ev.etablissement_id, ev.type_id), []):
            if (r.pk, ev.pk) in existants:
                continue
            motif = motif_suggestion(r, ev)
            if motif:
                nouveaux.append(RisqueEvenement(risque=r, evenement_id=ev.pk, motif=motif, created_by=user))
    RisqueEvenement.objects.bulk_create(nouveaux, ignore_conflicts=True, batch_size=1000)
    return len(nouveaux)


@transaction.atomic
def evenement_decider(*, lien: RisqueEvenement, par, confirmer: bool, revision: int | None = None) -> RisqueEvenement:
    """The risk manager confirms that the event realised the risk, or sets the link aside. A decision taken
    on a page loaded before someone else's is refused: theirs stands until this one is made knowingly."""
    statut = RisqueEvenement.Statut.CONFIRME if confirmer else RisqueEvenement.Statut.ECARTE
    lien = verrouiller(RisqueEvenement, lien.pk, revision, {"statut": statut})
    lien.statut = statut
    lien.confirme_par, lien.confirme_le = par, timezone.now()
    lien.modifie_par = par
    lien.revision += 1
    lien.save()
    return lien


@transaction.atomic
def evenement_lier(*, risque: Risque, par, evenement) -> RisqueEvenement:
    """A link made by hand: confirmed at once (the manager decided it)."""
    if evenement.etablissement_id != risque.etablissement_id:
        raise ValidationError({"reference": "Cet évènement est celui d'un autre établissement."})
    lien, cree = RisqueEvenement.objects.select_for_update().get_or_create(
        risque=risque, evenement=evenement,
        defaults={"statut": RisqueEvenement.Statut.CONFIRME, "motif": "Rattachement manuel", "created_by": par,
                  "confirme_par": par, "confirme_le": timezone.now()})
    if not cree and lien.statut != RisqueEvenement.Statut.CONFIRME:
        lien = evenement_decider(lien=lien, par=par, confirmer=True)
    return lien
