"""The adverse-event sources of « À traiter » (registered in EvenementsConfig.ready())."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from evenements.models import AnalyseApprofondie, DeclarationARS, EvenementIndesirable, Gravite, Statut
from qualite.echeances.a_traiter import source_echeances
from qualite.echeances.models import RegleEcheance
from qualite.organisation import access
from qualite.organisation.a_traiter import Element, Source, enregistrer

GERER = ("evenements.gerer",)


def _geres(user):
    return access.perimetre(user, "evenements.gerer").filtrer(EvenementIndesirable.objects.select_related("type"))


REGLE_QUALIFICATION = "ei-qualification"


def a_qualifier(user):
    """Declared, not yet qualified: the oldest declaration first (its target date comes first), the gravest
    estimate first on the same day. The target's delay is read from the rule table, in the same query."""
    delai = RegleEcheance.objects.filter(code=REGLE_QUALIFICATION).values("delai")[:1]
    return (_geres(user).filter(statut=Statut.DECLARE).annotate(delai_qualification=Subquery(delai))
            .order_by(TruncDate("created_at"), "-gravite_estimee", "created_at", "id"))


def _echeance_qualification(ev):
    """Calendar days: day 0 is the Paris day of the declaration, the deadline ends at midnight."""
    if ev.delai_qualification is None:
        return None
    return timezone.localtime(ev.created_at).date() + timedelta(days=ev.delai_qualification.days)


def analyses_dues(user):
    """In analysis with no finished analysis, or taken over at gravity 3 or more (or EIGS) with none started."""
    terminee = Exists(AnalyseApprofondie.objects.filter(evenement=OuterRef("pk"), terminee=True))
    commencee = Exists(AnalyseApprofondie.objects.filter(evenement=OuterRef("pk")))
    grave = Q(gravite__gte=Gravite.MAJEUR) | Q(est_eigs=True)
    return (_geres(user).filter(~terminee)
            .filter(Q(statut=Statut.EN_ANALYSE) | (Q(statut=Statut.PRIS_EN_CHARGE) & grave & ~commencee))
            .order_by("-est_eigs", "-gravite", "qualifie_le", "id"))


def ars_partie1(user):
    """EIGS qualified, part 1 not sent: R1413-69 asks it « sans délai »."""
    qs = DeclarationARS.objects.select_related("evenement").filter(partie1_envoyee_le__isnull=True,
                                                                    evenement__est_eigs=True)
    return access.perimetre(user, "evenements.gerer").filtrer(
        qs, etablissement="evenement__etablissement_id", pole="evenement__pole_id", service="evenement__service_id",
    ).order_by("evenement__qualifie_le", "id")


def retours_dus(user):
    """Closed without a word back to the declarant: reporters stop reporting when they hear nothing."""
    return _geres(user).filter(statut=Statut.CLOTURE, retour_le__isnull=True).order_by("cloture_le", "id")


def _fiche(ev, ancre=""):
    return reverse("evenements:detail", args=[ev.pk]) + ancre


def enregistrer_a_traiter() -> None:
    enregistrer(Source(
        "ei-qualifier", "Évènements à qualifier", GERER, a_qualifier,
        lambda ev: Element("Qualifier l'évènement", ev.reference, _fiche(ev, "#t-qualif"), "Qualifier",
                           echeance=_echeance_qualification(ev), detail=f"{ev.type} — gravité estimée {ev.get_gravite_estimee_display()}"), 10))
    enregistrer(Source(
        "ei-ars-partie1", "EIGS : partie 1 à envoyer à l'ARS", GERER, ars_partie1,
        lambda d: Element("Envoyer la partie 1 de la déclaration d'EIGS à l'ARS (sans délai)", d.evenement.reference,
                          reverse("evenements:ars", args=[d.evenement_id]), "Préparer l'envoi",
                          echeance=d.evenement.qualifie_le, detail="CSP R1413-69"), 11))
    enregistrer(source_echeances("ei-ars-partie2", "EIGS : partie 2 à envoyer à l'ARS", permissions=GERER,
                                 bouton="Préparer la partie 2", ordre=12, codes=["eigs-partie2"]))
    enregistrer(Source(
        "ei-analyses", "Analyses approfondies dues", GERER, analyses_dues,
        lambda ev: Element("Mener l'analyse approfondie" if ev.statut != Statut.EN_ANALYSE
                           else "Terminer l'analyse approfondie", ev.reference,
                           reverse("evenements:analyse", args=[ev.pk]) if ev.statut != Statut.EN_ANALYSE
                           else _fiche(ev, "#t-analyses"), "Analyser",
                           detail=f"{ev.type}{' — EIGS' if ev.est_eigs else ''}"
                                  f"{' — gravité ' + ev.get_gravite_display() if ev.gravite else ''}"), 13))
    enregistrer(Source(
        "ei-retour", "Retours au déclarant à faire", GERER, retours_dus,
        lambda ev: Element("Faire le retour au déclarant", ev.reference, _fiche(ev, "#t-retour"), "Écrire le retour",
                           detail=str(ev.type)), 14))
