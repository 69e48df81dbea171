"""Adverse-event workflows. Views audit; services change state atomically."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evenements.models import (
    STATUTS_CLOS,
    AnalyseApprofondie,
    DeclarationARS,
    EvenementIndesirable,
    FacteurContributif,
    Geste,
    Statut,
    TransitionEvenement,
)
from qualite.echeances import moteur as echeances
from qualite.echeances.moteur import EcheancePrevue
from qualite.organisation.models import Compteur
from qualite.outils.copie import copier, inserer
from qualite.outils.dates import Ordre, dans_le_futur, ordre_verifier
from qualite.outils.revisions import appliquer, verrouiller
from qualite.paqss.models import ActionAmelioration
from qualite.paqss.services import action_creer
from qualite.taches.services import tache_differer

REGLE_EIGS_PARTIE2 = "eigs-partie2"


def _notifier(evenement: EvenementIndesirable) -> None:
    from evenements.tasks import notifier_declarant

    tache_differer(notifier_declarant, evenement.pk)


def _geste(evenement: EvenementIndesirable, *, par, geste: str, commentaire: str = "") -> TransitionEvenement:
    """Record a piece of work on a locked event, with who and when; the state follows it (statut_apres)."""
    de = evenement.statut
    vers = evenement.statut_apres(geste)
    if vers != de:
        evenement.statut = vers
        evenement.save(update_fields=["statut", "updated_at"])
    transition = TransitionEvenement.objects.create(evenement=evenement, de=de, vers=vers, geste=geste, par=par,
                                                    commentaire=commentaire)
    if vers != de:
        _notifier(evenement)
    return transition


@transaction.atomic
def evenement_declarer(*, declarant, service, donnees: dict, reference: str = "") -> EvenementIndesirable:
    """`donnees`: the cleaned fields of the declaration form (survenu_le, type, description...).
    `reference`: given by an import, which checked it and moved the counter past it (Compteur.reserver)."""
    evenement = EvenementIndesirable(
        etablissement_id=service.pole.etablissement_id,
        pole=service.pole,
        service=service,
        created_by=declarant,
        **donnees,
    )
    # The relations are instances the form or the import fetched, and the check constraints repeat the
    # field validators (the database enforces them too): skipping their queries makes a bulk import 3× faster.
    evenement.full_clean(exclude=["reference", "etablissement", "pole", "service", "type", "created_by"],
                         validate_unique=False, validate_constraints=False)
    annee = timezone.localtime(evenement.survenu_le).year
    if reference:
        evenement.reference = reference
    else:
        evenement.reference = Compteur.prochaine_reference("EI", annee)
    evenement.save()
    TransitionEvenement.objects.create(evenement=evenement, de="", vers=Statut.DECLARE, par=declarant)
    return evenement


@transaction.atomic
def evenements_declarer_en_lot(*, declarant, declarations: list[tuple]) -> list:
    """evenement_declarer for a batch of (service, donnees, reference): the same checks on each row, then one
    INSERT per table for the batch. Returns, in order, each event created or the ValidationError refusing it."""
    resultats, valides = [], []
    for service, donnees, reference in declarations:
        # The pôle as the instance already read with the service: clean() checks it (a query per row otherwise).
        evenement = EvenementIndesirable(etablissement_id=service.pole.etablissement_id, pole=service.pole,
                                         service=service, created_by=declarant, **donnees)
        try:
            evenement.full_clean(exclude=["reference", "etablissement", "pole", "service", "type", "created_by"],
                                 validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            resultats.append(exc)
            continue
        evenement.reference = reference or Compteur.prochaine_reference("EI", timezone.localtime(evenement.survenu_le).year)
        resultats.append(evenement)
        valides.append(evenement)
    inserer(EvenementIndesirable, valides)
    maintenant = timezone.now()
    copier(TransitionEvenement, [{"evenement_id": e.pk, "de": "", "vers": Statut.DECLARE, "par_id": declarant.pk,
                                  "le": maintenant} for e in valides])
    return resultats


@transaction.atomic
def evenement_modifier_import(*, evenement: EvenementIndesirable, par, donnees: dict) -> EvenementIndesirable:
    """Fields of the declaration and its qualification, corrected from an imported file."""
    evenement = EvenementIndesirable.objects.select_for_update().get(pk=evenement.pk)
    for champ, valeur in donnees.items():
        setattr(evenement, champ, valeur)
    if "service" in donnees:
        evenement.pole_id = evenement.service.pole_id
        evenement.etablissement_id = evenement.service.pole.etablissement_id
    evenement.full_clean(exclude=["reference"])
    evenement.save()
    return evenement


@transaction.atomic
def evenement_changer_statut(*, evenement: EvenementIndesirable, par, vers: str, commentaire: str = "", motif: str = "") -> EvenementIndesirable:
    evenement = EvenementIndesirable.objects.select_for_update().get(pk=evenement.pk)
    if vers not in evenement.transitions_possibles():
        raise ValidationError(
            f"Passage impossible de « {evenement.get_statut_display()} » à « {Statut(vers).label} »."
        )
    if vers == Statut.CLASSE_SANS_SUITE:
        if not motif.strip():
            raise ValidationError({"motif": "Indiquez le motif du classement sans suite."})
        evenement.motif_classement = motif.strip()
    if vers in STATUTS_CLOS:
        evenement.cloture_le = timezone.now()
    de = evenement.statut
    evenement.statut = vers
    evenement.save()
    TransitionEvenement.objects.create(evenement=evenement, de=de, vers=vers, par=par, commentaire=commentaire)
    _notifier(evenement)
    return evenement


@transaction.atomic
def evenement_qualifier(*, evenement: EvenementIndesirable, par, donnees: dict,
                        revision: int | None = None) -> EvenementIndesirable:
    """`donnees`: the fields the user changed; `revision`: the one the form was loaded at."""
    evenement = verrouiller(EvenementIndesirable, evenement.pk, revision, donnees)
    etait_eigs = bool(evenement.est_eigs)
    appliquer(evenement, donnees, par)
    if evenement.est_eigs and not evenement.criteres_eig:
        raise ValidationError(
            {"est_eigs": "Un EIGS est inattendu et entraîne un décès, une mise en jeu du pronostic vital "
                         "ou un déficit fonctionnel permanent probable (R1413-67) : cochez les critères."}
        )
    evenement.qualifie_le = timezone.now()
    evenement.qualifie_par = par
    evenement.save()
    if evenement.est_eigs:
        DeclarationARS.objects.get_or_create(
            evenement=evenement,
            defaults={
                "nature": f"{evenement.type} — {evenement.description}",
                "circonstances": f"Survenu le {timezone.localtime(evenement.survenu_le):%d/%m/%Y à %H:%M}, "
                                 f"{evenement.service}{', ' + evenement.lieu if evenement.lieu else ''}.",
                "premieres_mesures": evenement.mesures_immediates,
                "created_by": par,
            },
        )
    _geste(evenement, par=par, geste=Geste.QUALIFICATION,
           commentaire=f"Criticité {evenement.criticite}" if evenement.criticite else "")
    if evenement.est_eigs and not etait_eigs:
        _geste(evenement, par=par, geste=Geste.EIGS)
    return evenement


@transaction.atomic
def evenement_faire_retour(*, evenement: EvenementIndesirable, par, texte: str) -> EvenementIndesirable:
    if not texte.strip():
        raise ValidationError({"retour_declarant": "Le retour au déclarant ne peut pas être vide."})
    evenement = EvenementIndesirable.objects.select_for_update().get(pk=evenement.pk)
    evenement.retour_declarant = texte.strip()
    evenement.retour_le = timezone.now()
    evenement.save(update_fields=["retour_declarant", "retour_le", "updated_at"])
    TransitionEvenement.objects.create(evenement=evenement, de=evenement.statut, vers=evenement.statut,
                                       geste=Geste.RETOUR, par=par)
    _notifier(evenement)
    return evenement


@transaction.atomic
def evenement_ajouter_action(*, evenement: EvenementIndesirable, par, titre: str, echeance=None) -> ActionAmelioration:
    """A corrective action in the programme, linked to the event; the event's actions are then under way."""
    evenement = EvenementIndesirable.objects.select_for_update().get(pk=evenement.pk)
    action = action_creer(titre=titre, echeance=echeance, origine=ActionAmelioration.Origine.EVENEMENT, source=evenement,
                          etablissement_id=evenement.etablissement_id, pole_id=evenement.pole_id,
                          service_id=evenement.service_id, par=par)
    _geste(evenement, par=par, geste=Geste.ACTION, commentaire=titre)
    return action


def _synchroniser_echeances_ars(declaration: DeclarationARS) -> None:
    ev = declaration.evenement
    prevues = []
    if declaration.partie1_envoyee_le:
        depart = timezone.localtime(declaration.partie1_envoyee_le)
        prevues.append(
            EcheancePrevue(
                REGLE_EIGS_PARTIE2,
                declaration.limite_partie2,
                debut_compte=f"envoi de la partie 1 le {depart:%d/%m/%Y}",
                satisfaite_le=declaration.partie2_envoyee_le,
            )
        )
    echeances.synchroniser(
        objet=declaration,
        prevues=prevues,
        reference=ev.reference,
        etablissement_id=ev.etablissement_id,
        service_id=ev.service_id,
        pole_id=ev.pole_id,
        url=reverse("evenements:ars", args=[ev.pk]),
    )


# The steps of an EIGS declaration and those they cannot precede (R1413-68 à R1413-70).
ORDRE_ARS = [
    Ordre("partie1_envoyee_le", "evenement.survenu_le", "La partie 1 ne peut précéder la survenue de l'évènement"),
    Ordre("partie2_envoyee_le", "partie1_envoyee_le", "La partie 2 ne peut pas être datée d'avant la partie 1"),
]


@transaction.atomic
def declaration_ars_enregistrer(*, declaration: DeclarationARS, par, donnees: dict,
                                revision: int | None = None) -> DeclarationARS:
    declaration = verrouiller(DeclarationARS, declaration.pk, revision, donnees)
    avant = (declaration.partie1_envoyee_le, declaration.partie2_envoyee_le)
    appliquer(declaration, donnees, par)
    p1, p2 = declaration.partie1_envoyee_le, declaration.partie2_envoyee_le
    if p2 and not p1:
        raise ValidationError({"partie2_envoyee_le": "La partie 2 ne peut pas être envoyée avant la partie 1."})
    erreurs = ordre_verifier(declaration, ORDRE_ARS, {})
    if erreurs:
        raise ValidationError(erreurs)
    maintenant = timezone.now()
    for champ, valeur in (("partie1_envoyee_le", p1), ("partie2_envoyee_le", p2)):
        if dans_le_futur(valeur, maintenant):
            raise ValidationError({champ: "Une date d'envoi ne peut pas être dans le futur."})
    declaration.save()
    _synchroniser_echeances_ars(declaration)
    evenement = EvenementIndesirable.objects.select_for_update().get(pk=declaration.evenement_id)
    for geste, envoi, envoi_avant in ((Geste.ARS_PARTIE1, p1, avant[0]), (Geste.ARS_PARTIE2, p2, avant[1])):
        if envoi and envoi != envoi_avant:
            _geste(evenement, par=par, geste=geste, commentaire=f"Envoi du {timezone.localtime(envoi):%d/%m/%Y %H:%M}")
    return declaration


@transaction.atomic
def analyse_enregistrer(
    *, evenement: EvenementIndesirable, par, donnees: dict, facteurs: list[tuple[str, str]],
    analyse: AnalyseApprofondie | None = None, revision: int | None = None,
) -> AnalyseApprofondie:
    """Create or update an in-depth analysis; factors no longer listed are withdrawn (dated, kept)."""
    nouvelle = analyse is None
    if analyse is None:
        analyse = AnalyseApprofondie(evenement=evenement, created_by=par)
    else:
        analyse = verrouiller(AnalyseApprofondie, analyse.pk, revision, donnees)
    etait_terminee = analyse.terminee
    appliquer(analyse, donnees, par)
    analyse.full_clean(exclude=["evenement"])
    analyse.save()
    if nouvelle or (analyse.terminee and not etait_terminee):
        ev = EvenementIndesirable.objects.select_for_update().get(pk=analyse.evenement_id)
        if nouvelle:
            _geste(ev, par=par, geste=Geste.ANALYSE, commentaire=analyse.get_methode_display())
        if analyse.terminee and not etait_terminee:
            _geste(ev, par=par, geste=Geste.ANALYSE_TERMINEE)
    voulus = dict.fromkeys(facteurs)
    retires = []
    for f in analyse.facteurs.actifs().select_for_update():
        cle = (f.categorie, f.description)
        if cle in voulus:
            del voulus[cle]
        else:
            retires.append(f.pk)
    FacteurContributif.objects.filter(pk__in=retires).update(retire_le=timezone.now(), updated_at=timezone.now())
    FacteurContributif.objects.bulk_create(
        [FacteurContributif(analyse=analyse, categorie=c, description=d, created_by=par) for c, d in voulus]
    )
    return analyse
