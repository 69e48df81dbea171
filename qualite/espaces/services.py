"""Workflows of the meeting spaces: keyword-only, atomic, named <entite>_<action>."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from qualite.echeances import delais
from qualite.echeances import moteur as echeances
from qualite.echeances.moteur import EcheancePrevue, fin_de_jour
from qualite.espaces import sources
from qualite.espaces.models import (
    DecisionReunion,
    ElementOrdreDuJour,
    EspaceEchanges,
    PresenceReunion,
    ReunionEspace,
    SuccesEspace,
)
from qualite.espaces.referentiels import REGLE_REUNION
from qualite.outils.revisions import appliquer, verrouiller

Statut = ReunionEspace.Statut


@transaction.atomic
def espace_enregistrer(*, par, donnees: dict, services=None, membres=None, espace: EspaceEchanges | None = None,
                       revision: int | None = None) -> EspaceEchanges:
    """Create or update a space (`services` / `membres` None: unchanged)."""
    e = EspaceEchanges(created_by=par) if espace is None else verrouiller(EspaceEchanges, espace.pk, revision, donnees)
    appliquer(e, donnees, par)
    e.full_clean(exclude=["services", "membres"])
    if services is not None and any(s.pole_id != e.pole_id for s in services):
        raise ValidationError({"services": "Choisissez des services du pôle de l'espace."})
    e.save()
    if services is not None:
        e.services.set(services)
    if membres is not None:
        e.membres.set(membres)
    if espace is not None and ({"binome_medecin", "binome_cadre"} & set(donnees) or services is not None):
        for reunion in e.reunions.all():
            reunion_synchroniser_echeances(reunion)
    return e


def reunion_synchroniser_echeances(reunion: ReunionEspace) -> None:
    """Each planned meeting is due for its binôme: the doctor by name, the pôle's cadres by the rule's role;
    met when the minutes are validated, « sans objet » when the meeting is cancelled."""
    from django.urls import reverse

    espace = reunion.espace
    jours = delais.charger([REGLE_REUNION])[REGLE_REUNION].jours
    services = list(espace.services.all())
    prevues = []
    if reunion.statut != Statut.ANNULEE:
        prevues.append(EcheancePrevue(REGLE_REUNION, fin_de_jour(reunion.date + timedelta(days=jours)), "",
                                      f"réunion prévue le {reunion.date:%d/%m/%Y}", reunion.compte_rendu_valide_le,
                                      reunion.compte_rendu_valide_par_id))
    echeances.synchroniser(
        objet=reunion, prevues=prevues, reference=f"{espace.nom} — réunion du {reunion.date:%d/%m/%Y}",
        etablissement_id=espace.etablissement_id, pole_id=espace.pole_id,
        service_id=services[0].pk if len(services) == 1 else None,
        url=reverse("espaces:reunion", args=[reunion.pk]), responsable_id=espace.binome_medecin_id,
        motif_disparition=f"Réunion annulée : {reunion.motif_annulation}"[:255])


@transaction.atomic
def reunions_planifier(*, espace: EspaceEchanges, dates: list[date], par) -> list[ReunionEspace]:
    """The year's calendar in one go: every date or none."""
    if not dates:
        raise ValidationError("Indiquez au moins une date de réunion.")
    if len(set(dates)) != len(dates):
        raise ValidationError("La même date figure deux fois.")
    EspaceEchanges.objects.select_for_update().get(pk=espace.pk)
    deja = set(espace.reunions.exclude(statut=Statut.ANNULEE).filter(date__in=dates).values_list("date", flat=True))
    if deja:
        raise ValidationError("Une réunion est déjà prévue le " + ", ".join(f"{d:%d/%m/%Y}" for d in sorted(deja)) + ".")
    reunions = []
    for jour in sorted(dates):
        reunion = ReunionEspace.objects.create(espace=espace, date=jour, created_by=par)
        reunion_synchroniser_echeances(reunion)
        reunions.append(reunion)
    return reunions


@transaction.atomic
def reunion_annuler(*, reunion: ReunionEspace, motif: str, par) -> ReunionEspace:
    r = ReunionEspace.objects.select_for_update().get(pk=reunion.pk)
    if not motif.strip():
        raise ValidationError({"motif_annulation": "Indiquez le motif de l'annulation."})
    if r.statut != Statut.PREVUE:
        raise ValidationError("Seule une réunion prévue peut être annulée.")
    appliquer(r, {"statut": Statut.ANNULEE, "motif_annulation": motif.strip()[:255]}, par)
    r.save()
    reunion_synchroniser_echeances(r)
    return r


def reunion_precedente(reunion: ReunionEspace) -> ReunionEspace | None:
    return (ReunionEspace.objects.filter(espace_id=reunion.espace_id, date__lt=reunion.date)
            .exclude(statut=Statut.ANNULEE).order_by("-date").first())


def periode_de(reunion: ReunionEspace) -> tuple[date, date]:
    """From the previous meeting (its day included) to this one; a first meeting looks back one year."""
    precedente = reunion_precedente(reunion)
    return (precedente.date if precedente else reunion.date - timedelta(days=365)), reunion.date


def _verifier_modifiable(reunion: ReunionEspace) -> None:
    if reunion.statut == Statut.ANNULEE:
        raise ValidationError("Cette réunion est annulée.")
    if reunion.compte_rendu_valide_le:
        raise ValidationError("Le compte rendu est validé : la réunion n'est plus modifiable.")


@transaction.atomic
def ordre_du_jour_construire(*, reunion: ReunionEspace, par) -> int:
    """Draw the agenda from every registered source, with `par`'s own access to each register. A record
    already on the agenda (or removed from it by the binôme) is not added again. Returns the number added."""
    reunion = ReunionEspace.objects.select_for_update().select_related("espace").get(pk=reunion.pk)
    _verifier_modifiable(reunion)
    du, au = periode_de(reunion)
    presents = set(reunion.elements.values_list("source", "reference"))
    ajoutes = []
    for rang, source in enumerate(sources.dans_l_ordre()):
        for point in source.fonction(user=par, espace=reunion.espace, du=du, au=au):
            if (source.code, point.reference) in presents:
                continue
            presents.add((source.code, point.reference))
            ajoutes.append(ElementOrdreDuJour(reunion=reunion, source=source.code, reference=point.reference[:80],
                                              titre=point.titre[:255], resume=point.resume, ordre=(rang + 1) * 10,
                                              created_by=par))
    ElementOrdreDuJour.objects.bulk_create(ajoutes)
    return len(ajoutes)


@transaction.atomic
def element_ajouter(*, reunion: ReunionEspace, titre: str, resume: str, par) -> ElementOrdreDuJour:
    reunion = ReunionEspace.objects.select_for_update().get(pk=reunion.pk)
    _verifier_modifiable(reunion)
    return ElementOrdreDuJour.objects.create(reunion=reunion, source=sources.LIBRE, titre=titre, resume=resume,
                                             ordre=1000, created_by=par)


@transaction.atomic
def element_retirer(*, element: ElementOrdreDuJour, par, retablir: bool = False) -> ElementOrdreDuJour:
    """Removed, never deleted: kept (and not drawn again) so that the choice stays visible."""
    e = ElementOrdreDuJour.objects.select_for_update().select_related("reunion").get(pk=element.pk)
    _verifier_modifiable(e.reunion)
    e.retire_le, e.retire_par = (None, None) if retablir else (timezone.now(), par)
    e.modifie_par = par
    e.save(update_fields=["retire_le", "retire_par", "modifie_par", "updated_at"])
    return e


@transaction.atomic
def compte_rendu_enregistrer(*, reunion: ReunionEspace, par, compte_rendu: str, presences: list[dict],
                             valider: bool = False, revision: int | None = None) -> ReunionEspace:
    """Minutes and attendance together; `valider` closes them (the meeting is held, its deadline met).
    `presences`: dicts (utilisateur or nom, qualite, statut) — the whole list, replacing the previous one."""
    r = verrouiller(ReunionEspace, reunion.pk, revision, {"compte_rendu": compte_rendu})
    _verifier_modifiable(r)
    if valider and r.date > timezone.localdate():
        raise ValidationError("Une réunion à venir ne peut pas avoir de compte rendu validé.")
    if valider and not compte_rendu.strip():
        raise ValidationError({"compte_rendu": "Rédigez le compte rendu avant de le valider."})
    modifs = {"compte_rendu": compte_rendu}
    if valider:
        modifs.update(statut=Statut.TENUE, compte_rendu_valide_le=timezone.now(), compte_rendu_valide_par=par)
    appliquer(r, modifs, par)
    r.save()
    r.presences.all().delete()
    vus = set()
    lignes = []
    for p in presences:
        u = p.get("utilisateur")
        if u is not None and u.pk in vus:
            continue
        if u is not None:
            vus.add(u.pk)
        lignes.append(PresenceReunion(reunion=r, utilisateur=u, nom=p.get("nom", "") if u is None else "",
                                      qualite=p.get("qualite", PresenceReunion.Qualite.MEMBRE),
                                      statut=p.get("statut", PresenceReunion.Statut.PRESENT)))
    PresenceReunion.objects.bulk_create(lignes)
    if valider:
        reunion_synchroniser_echeances(r)
    return r


@transaction.atomic
def decision_ajouter(*, reunion: ReunionEspace, par, texte: str, service=None, responsable=None,
                     echeance: date | None = None) -> DecisionReunion:
    reunion = ReunionEspace.objects.select_for_update().select_related("espace").get(pk=reunion.pk)
    if reunion.statut == Statut.ANNULEE:
        raise ValidationError("Cette réunion est annulée.")
    if service is not None and service.pole_id != reunion.espace.pole_id:
        raise ValidationError({"service": "Choisissez un service de l'espace."})
    return DecisionReunion.objects.create(reunion=reunion, texte=texte, service=service, responsable=responsable,
                                          echeance=echeance, created_by=par)


def decision_ouvrir_action(*, decision: DecisionReunion, par):
    """A decision becomes a PAQSS action of the space's service, once: a double click or a replay gets the
    action the first one created."""
    from qualite.paqss.models import ActionAmelioration
    from qualite.paqss.services import action_creer

    with transaction.atomic():
        d = DecisionReunion.objects.select_for_update().select_related("reunion__espace").get(pk=decision.pk)
        if d.action_id:
            return d.action, False
        espace = d.reunion.espace
        services = list(espace.services.all())
        service = d.service or (services[0] if len(services) == 1 else None)
        action = action_creer(
            titre=d.texte[:255], description=f"Décision de la réunion du {d.reunion.date:%d/%m/%Y} ({espace.nom}).\n\n{d.texte}",
            origine=ActionAmelioration.Origine.ESPACE, source=d, etablissement_id=espace.etablissement_id,
            pole_id=espace.pole_id, service_id=service.pk if service else None, responsable=d.responsable,
            echeance=d.echeance, par=par)
        d.action = action
        d.modifie_par = par
        d.save(update_fields=["action", "modifie_par", "updated_at"])
        return action, True


@transaction.atomic
def succes_enregistrer(*, espace: EspaceEchanges, par, date: date, titre: str, description: str = "") -> SuccesEspace:
    return SuccesEspace.objects.create(espace=espace, date=date, titre=titre, description=description, created_by=par)
