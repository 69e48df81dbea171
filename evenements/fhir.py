"""Adverse events as FHIR AdverseEvent resources, R5 and R4 (validated with fhir.resources: its main package is
R5, its R4B sub-package serves R4, whose AdverseEvent is the same). Field mapping and local code systems:
docs/integration.md, section « Export FHIR ».

Two shapes, from two reads: a named event (evenements_scope, the page's rule) and an anonymised EIGS row from
selectors.eigs_anonymises (the CDU's rule): no free text but the summary staff wrote for the CDU, no
identifier, no place below the pôle, the month only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from fhir.resources.adverseevent import AdverseEvent as AdverseEventR5
from fhir.resources.bundle import Bundle as BundleR5
from fhir.resources.R4B.adverseevent import AdverseEvent as AdverseEventR4
from fhir.resources.R4B.bundle import Bundle as BundleR4

from evenements.models import CategorieALARM, Gravite, PersonneConcernee, Statut

R4, R5 = "R4", "R5"
VERSIONS = (R5, R4)
TYPE_MIME = "application/fhir+json"

# HL7 terminology (terminology.hl7.org)
SEVERITE_HL7 = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
GRAVITE_HL7 = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
ISSUE_HL7 = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"

_CLASSES = {R5: (AdverseEventR5, BundleR5), R4: (AdverseEventR4, BundleR4)}


def base() -> str:
    """Root of the local code systems and extensions; each deployment may set its own (FHIR_BASE_LOCALE)."""
    return settings.FHIR_BASE_LOCALE.rstrip("/")


def systeme(nom: str) -> str:
    return f"{base()}/CodeSystem/{nom}"


def extension(nom: str) -> str:
    return f"{base()}/StructureDefinition/{nom}"


def _codage(nom_systeme: str, code, libelle) -> dict:
    return {"system": systeme(nom_systeme), "code": str(code), "display": str(libelle)}


def _concept(*codages: dict, texte: str | None = None) -> dict:
    concept = {"coding": list(codages)}
    if texte:
        concept["text"] = texte
    return concept


# Gravité 1–5 → R4 severity (required binding: mild | moderate | severe).
SEVERITE_R4 = {1: "mild", 2: "moderate", 3: "severe", 4: "severe", 5: "severe"}
# Product statuses → R5 status (required binding: in-progress | completed | entered-in-error | unknown).
STATUT_R5 = {Statut.DECLARE: "in-progress", Statut.PRIS_EN_CHARGE: "in-progress", Statut.EN_ANALYSE: "in-progress",
             Statut.ACTIONS_EN_COURS: "in-progress", Statut.CLOTURE: "completed",
             Statut.CLASSE_SANS_SUITE: "completed"}
CONSEQUENCES = {"deces": "Décès", "mise_en_jeu_pronostic_vital": "Mise en jeu du pronostic vital",
                "deficit_permanent": "Déficit fonctionnel permanent probable"}
TYPE_SUJET = {PersonneConcernee.PATIENT: "Patient", PersonneConcernee.PROFESSIONNEL: "Practitioner",
              PersonneConcernee.VISITEUR: "RelatedPerson"}


def actualite(presque_accident: bool) -> str:
    """A near miss (entered as such, never derived) is `potential`; everything else happened: `actual`."""
    return "potential" if presque_accident else "actual"


def _statut_extension(statut: str) -> dict:
    return {"url": extension("statut-evenement"), "valueCoding": _codage("statut-evenement", statut, Statut(statut).label)}


def _gravite_extension(gravite: int) -> dict:
    return {"url": extension("gravite-evenement"), "valueCoding": _codage("gravite-evenement", gravite, Gravite(gravite).label)}


def _seriousness(ev) -> dict | None:
    """serious: an EIGS or one of its consequences (R1413-67); non-serious: qualified, none of them."""
    if ev.est_eigs or ev.deces or ev.mise_en_jeu_pronostic_vital or ev.deficit_permanent:
        return {"coding": [{"system": GRAVITE_HL7, "code": "serious", "display": "Serious"}]}
    if ev.qualifie_le is not None:
        return {"coding": [{"system": GRAVITE_HL7, "code": "non-serious", "display": "Non-serious"}]}
    return None


def _outcome(ev) -> dict | None:
    """The HL7 outcome where the consequences say it, with the product's own consequence codes."""
    codages = [_codage("consequence-evenement", c, libelle) for c, libelle in CONSEQUENCES.items() if getattr(ev, c)]
    if ev.deces:
        codages.insert(0, {"system": ISSUE_HL7, "code": "fatal", "display": "Fatal"})
    elif ev.deficit_permanent:
        codages.insert(0, {"system": ISSUE_HL7, "code": "resolvedWithSequelae", "display": "Resolved with Sequelae"})
    if not codages and not ev.consequences:
        return None
    return {"coding": codages, **({"text": ev.consequences} if ev.consequences else {})}


def _sujet(personnes: list[str]) -> dict:
    """The model keeps who was affected, never the patient's identity: a typed reference with a label only."""
    libelles = dict(PersonneConcernee.choices)
    premier = next((p for p in personnes if p in TYPE_SUJET), None)
    sujet = {"display": ", ".join(str(libelles.get(p, p)) for p in personnes) or "Non précisé"}
    if premier:
        sujet["type"] = TYPE_SUJET[premier]
    return sujet


def _date(valeur: datetime) -> str:
    return timezone.localtime(valeur).isoformat(timespec="seconds")


def ressource(ev, *, version: str, nom_declarant: str | None = None) -> dict:
    """A named event. `nom_declarant`: who may be named as recorder (None when the reader may not know them:
    evenements.access.voit_declarant). Analyses must be prefetched with their active factors (selectors)."""
    extensions = [_statut_extension(ev.statut)]
    if ev.gravite:
        extensions.append(_gravite_extension(ev.gravite))
    r = {
        "resourceType": "AdverseEvent",
        "id": str(ev.pk),
        "extension": extensions,
        "actuality": actualite(ev.presque_accident),
        # One concept per person concerned (codings of one concept would say the same thing twice).
        "category": [_concept(_codage("personne-concernee", p, dict(PersonneConcernee.choices).get(p, p)))
                     for p in ev.personnes],
        "subject": _sujet(ev.personnes),
        "recordedDate": _date(ev.created_at),
        "location": {"display": f"{ev.service.nom} — {ev.pole.nom} — {ev.etablissement.nom}"
                                f"{' (' + ev.lieu + ')' if ev.lieu else ''}"},
        "seriousness": _seriousness(ev),
    }
    identifiant = {"system": systeme("reference-evenement"), "value": ev.reference}
    type_ = _concept(_codage("type-evenement", ev.type_id, ev.type.libelle), texte=ev.type.libelle)
    if nom_declarant:
        r["recorder"] = {"display": nom_declarant}
    outcome = _outcome(ev)
    if version == R5:
        r.update(identifier=[identifiant], status=STATUT_R5[ev.statut], code=type_,
                 occurrenceDateTime=_date(ev.survenu_le), outcome=[outcome] if outcome else None,
                 note=[{"text": ev.description}])
        if ev.mesures_immediates:
            r["mitigatingAction"] = [{"itemCodeableConcept": {"text": ev.mesures_immediates}}]
        facteurs = [f for a in ev.analyses.all() for f in a.facteurs.all()]
        if facteurs:
            r["contributingFactor"] = [{"itemCodeableConcept": _concept(
                _codage("categorie-alarm", f.categorie, CategorieALARM(f.categorie).label), texte=f.description)}
                for f in facteurs]
    else:
        # R4 has no note: the description goes to the narrative.
        r.update(identifier=identifiant, event=type_, date=_date(ev.survenu_le), outcome=outcome,
                 text={"status": "additional", "div": _div(ev.description)},
                 severity={"coding": [{"system": SEVERITE_HL7, "code": SEVERITE_R4[ev.gravite]}]} if ev.gravite else None)
    return valider(r, version)


def ressource_anonyme(ligne: dict, *, version: str) -> dict:
    """An EIGS as the CDU sees it (selectors.eigs_anonymises): month, type, pôle, state, the anonymised summary."""
    mois = timezone.localtime(ligne["mois"]).strftime("%Y-%m") if ligne["mois"] else None
    serious = {"coding": [{"system": GRAVITE_HL7, "code": "serious", "display": "Serious"}]}
    r = {
        "resourceType": "AdverseEvent",
        "extension": [_statut_extension(ligne["statut"])],
        "actuality": actualite(ligne["presque_accident"]),
        "subject": {"display": "Personne non identifiée (export anonymisé)"},
        "location": {"display": ligne["pole__nom"]},
        "seriousness": serious,
    }
    type_ = {"text": ligne["type__libelle"]}
    if version == R5:
        r.update(status=STATUT_R5[ligne["statut"]], code=type_, occurrenceDateTime=mois,
                 note=[{"text": ligne["resume_anonymise"]}])
    else:
        r.update(event=type_, date=mois, text={
            "status": "additional", "div": _div(ligne["resume_anonymise"])})
    return valider(r, version)


def _div(texte: str) -> str:
    from django.utils.html import escape

    return f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(texte)}</p></div>'


def valider(donnees: dict, version: str) -> dict:
    """Parse with fhir.resources (raises pydantic's ValidationError on a malformed resource) and give back the
    validated JSON, empty elements left out."""
    classe = _CLASSES[version][0] if donnees["resourceType"] == "AdverseEvent" else _CLASSES[version][1]
    propre = {k: v for k, v in donnees.items() if v not in (None, [], {})}
    return classe.model_validate(propre).model_dump(mode="json", exclude_none=True)


def bundle(ressources: Iterable[dict], *, version: str) -> dict:
    """A Bundle of type collection, validated as a whole."""
    entrees = [{"resource": r} for r in ressources]
    return valider({"resourceType": "Bundle", "type": "collection", "timestamp": _date(timezone.now()),
                    "entry": entrees}, version)


def nom_declarant(user, ev) -> str | None:
    """The recorder's name, for who may know it (evenements.access.voit_declarant)."""
    from evenements.access import voit_declarant

    return str(ev.created_by) if ev.created_by_id and voit_declarant(user, ev) else None


def lot(user, params, *, du, au, version: str) -> tuple[dict, list[int] | None]:
    """The bundle of a period, pages and API alike: the register's scope and filters (`params`) for who may
    export named events, with their ids (to audit); the CDU's anonymised EIGS otherwise (ids None)."""
    from evenements import selectors
    from qualite.organisation import access

    if access.has_perm(user, "evenements.export_fhir"):
        evenements = list(selectors.pour_fhir(selectors.evenements_liste(user, params).qs))
        ressources = [ressource(ev, version=version, nom_declarant=nom_declarant(user, ev)) for ev in evenements]
        return bundle(ressources, version=version), [ev.pk for ev in evenements]
    lignes = selectors.eigs_anonymises(user, du=du, au=au)
    return bundle([ressource_anonyme(ligne, version=version) for ligne in lignes], version=version), None
