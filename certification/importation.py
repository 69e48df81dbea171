"""Audits, EPP and evaluations as files: the columns their export writes and their import reads.
None of them has a reference of its own: « Référence » is <PREFIX>-<n° of the record> (AUD-12, EPP-3,
EVA-40), empty for a record to create. The criteria an evaluation tests are linked on its page."""

from __future__ import annotations

from django.db import transaction

from certification.access import certification_scope
from certification.models import EPP, Audit, Evaluation
from qualite.outils import importation as imp


def _ecrire(modele, verifier=None):
    """Writes one row: the record's own validation (clean, constraints) refuses it field by field."""

    @transaction.atomic
    def ecrire(*, op, par):
        objet = op.existant or modele(created_by=par)
        for champ, valeur in imp.champs_modifies(op).items():
            setattr(objet, champ, valeur)
        if verifier:
            verifier(objet)
        objet.full_clean()
        objet.save()
        return objet

    return ecrire


def _perimetre(qs, user):
    return certification_scope(qs, user, ecriture=True)


def _perimetre_epp(qs, user):
    return certification_scope(qs, user, pole="pole_id", ecriture=True)


# ---- audits ------------------------------------------------------------------------------------------

COLONNES_AUDITS = [
    imp.reference_numerotee("AUD-"),
    imp.texte("Titre", "titre", obligatoire=True, longueur=255),
    imp.date_("Date", "date", obligatoire=True),
    imp.etablissement(),
    imp.service(obligatoire=False),
    imp.texte("Constats", "constats"),
]

AUDITS = imp.Registre(
    code="audits",
    libelle="Audits",
    permission="certification.gerer",
    colonnes=COLONNES_AUDITS,
    existants=lambda user: _perimetre(Audit.objects.all(), user),
    tous=lambda: Audit.objects.all(),
    creer=_ecrire(Audit),
    modifier=_ecrire(Audit),
    cle="pk",
    de_cle=imp.cle_numerotee("AUD-"),
    charger=lambda qs: qs.select_related("etablissement", "service"),
    doc="audits.md",
)

# ---- EPP ---------------------------------------------------------------------------------------------


def _ecrire_epp(*, op, par):
    """Through the service: a change of state read from the file is dated today in the EPP's history."""
    from django.utils import timezone

    from certification.services import epp_enregistrer

    return epp_enregistrer(par=par, donnees=imp.champs_modifies(op), epp=op.existant, le=timezone.localdate())


COLONNES_EPP = [
    imp.reference_numerotee("EPP-"),
    imp.texte("Thème", "theme", obligatoire=True, longueur=255),
    imp.texte("Pilotes", "pilotes", obligatoire=True),
    imp.choix("État", "etat", EPP.Etat.choices, vide=EPP.Etat.EN_PROJET),
    imp.etablissement(),
    imp.pole(),
    imp.date_("Début", "date_debut"),
    imp.date_("Fin", "date_fin"),
]

EPPS = imp.Registre(
    code="epp",
    libelle="Évaluations des pratiques professionnelles (EPP)",
    permission="certification.gerer",
    colonnes=COLONNES_EPP,
    existants=lambda user: _perimetre_epp(EPP.objects.all(), user),
    tous=lambda: EPP.objects.all(),
    creer=_ecrire_epp,
    modifier=_ecrire_epp,
    cle="pk",
    de_cle=imp.cle_numerotee("EPP-"),
    charger=lambda qs: qs.select_related("etablissement", "pole"),
    doc="epp.md",
)

# ---- evaluations -------------------------------------------------------------------------------------

COLONNES_EVALUATIONS = [
    imp.reference_numerotee("EVA-"),
    imp.choix("Méthode", "methode", Evaluation.Methode.choices, obligatoire=True),
    imp.date_("Date", "date", obligatoire=True),
    imp.etablissement(),
    imp.service(obligatoire=False),
    imp.texte("Évaluateurs", "evaluateurs", obligatoire=True),
    imp.texte("Constats", "constats"),
]

EVALUATIONS = imp.Registre(
    code="evaluations",
    libelle="Évaluations (patients traceurs, parcours traceurs, traceurs ciblés…)",
    permission="certification.gerer",
    colonnes=COLONNES_EVALUATIONS,
    existants=lambda user: _perimetre(Evaluation.objects.all(), user),
    tous=lambda: Evaluation.objects.all(),
    creer=_ecrire(Evaluation),
    modifier=_ecrire(Evaluation),
    cle="pk",
    de_cle=imp.cle_numerotee("EVA-"),
    charger=lambda qs: qs.select_related("etablissement", "service__pole"),
    doc="evaluations.md",
)

REGISTRES = [AUDITS, EPPS, EVALUATIONS]
