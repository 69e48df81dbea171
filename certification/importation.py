"""Audits, EPP and evaluations as files: the columns their export writes and their import reads.
None of them has a reference of its own: « Référence » is <PREFIX>-<n° of the record> (AUD-12, EPP-3,
EVA-40), empty for a record to create. The criteria an evaluation tests are linked on its page."""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction

from certification.access import certification_scope
from certification.models import EPP, Audit, EnqueteSatisfaction, Evaluation, Indicateur, Processus
from qualite.organisation import access
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

# ---- processes, with their pilot pair ----------------------------------------------------------------------


def _utilisateur(nom: str, champ: str) -> imp.Colonne:
    """A user of the row's établissement, by login (the pilots of a process)."""

    def lire(v, ctx, ligne):
        from qualite.organisation.models import Utilisateur

        etab = ligne.get("etablissement")
        user = Utilisateur.objects.filter(username=str(v).strip(), is_active=True).first()
        if user is None or (etab is not None and not user.etablissements.filter(pk=etab.pk).exists()):
            raise imp.ErreurValeur(f"utilisateur inconnu dans cet établissement : « {v} » "
                                   "(identifiant de connexion attendu).")
        return user

    return imp.Colonne(nom, champ, lire, lambda u: u.username if u else "")


def _actif() -> imp.Colonne:
    return replace(imp.booleen("Actif", "actif"), vide=True)  # an empty cell never retires a record


def _ecrire_processus(*, op, par):
    """Through the service: a new pilot pair or a retirement read from the file is dated today."""
    from django.utils import timezone

    from certification.services import processus_enregistrer

    donnees = imp.champs_modifies(op)
    if op.existant is not None:
        donnees.pop("etablissement", None)
    return processus_enregistrer(par=par, donnees=donnees, processus=op.existant, le=timezone.localdate())


COLONNES_PROCESSUS = [
    imp.reference_numerotee("PRO-"),
    imp.texte("Nom", "nom", obligatoire=True, longueur=255),
    imp.etablissement(),
    _utilisateur("Pilote médical (identifiant)", "pilote_medical"),
    _utilisateur("Pilote soignant / administratif (identifiant)", "pilote_soignant"),
    _actif(),
]

PROCESSUS = imp.Registre(
    code="processus",
    libelle="Processus et binômes de pilotes",
    permission="certification.gerer",
    colonnes=COLONNES_PROCESSUS,
    existants=lambda user: access.perimetre(user, "certification.gerer").filtrer_etablissement(Processus.objects.all()),
    tous=lambda: Processus.objects.all(),
    creer=_ecrire_processus,
    modifier=_ecrire_processus,
    cle="pk",
    de_cle=imp.cle_numerotee("PRO-"),
    charger=lambda qs: qs.select_related("etablissement", "pilote_medical", "pilote_soignant"),
    doc="processus.md",
)

# ---- satisfaction surveys -----------------------------------------------------------------------------------

COLONNES_ENQUETES = [
    imp.reference_numerotee("ENQ-"),
    imp.choix("Type", "type", EnqueteSatisfaction.Type.choices, obligatoire=True),
    imp.texte("Titre", "titre", obligatoire=True, longueur=255),
    imp.etablissement(),
    imp.service(obligatoire=False),
    imp.date_("Période du", "periode_debut", obligatoire=True),
    imp.date_("Au", "periode_fin", obligatoire=True),
    imp.entier("Réponses", "reponses", mini=0, vide=0),
    imp.decimal_("Score sur 100", "score"),
]

ENQUETES = imp.Registre(
    code="enquetes",
    libelle="Enquêtes de satisfaction",
    permission="certification.gerer",
    colonnes=COLONNES_ENQUETES,
    existants=lambda user: _perimetre(EnqueteSatisfaction.objects.all(), user),
    tous=lambda: EnqueteSatisfaction.objects.all(),
    creer=_ecrire(EnqueteSatisfaction),
    modifier=_ecrire(EnqueteSatisfaction),
    cle="pk",
    de_cle=imp.cle_numerotee("ENQ-"),
    charger=lambda qs: qs.select_related("etablissement", "service"),
    doc="enquetes.md",
)

# ---- indicator definitions (shared by every établissement) ------------------------------------------------

COLONNES_INDICATEURS = [
    imp.reference(obtenir=lambda objet: objet.code),  # the code of the indicator to change; empty to create
    imp.texte("Code", "code", obligatoire=True, longueur=40),
    imp.texte("Libellé", "libelle", obligatoire=True, longueur=255),
    imp.texte("Définition", "definition"),
    imp.texte("Unité", "unite", longueur=20),
    imp.choix("Sens du bien", "sens", Indicateur.Sens.choices, vide=Indicateur.Sens.HAUSSE),
    imp.decimal_("Cible", "cible"),
    _actif(),
]

INDICATEURS = imp.Registre(
    code="indicateurs",
    libelle="Indicateurs (définitions)",
    permission="certification.gerer",
    colonnes=COLONNES_INDICATEURS,
    existants=lambda user: Indicateur.objects.all() if access.has_perm(user, "certification.gerer")
    else Indicateur.objects.none(),
    tous=lambda: Indicateur.objects.all(),
    creer=_ecrire(Indicateur),
    modifier=_ecrire(Indicateur),
    cle="code",
    doc="indicateurs.md",
)

REGISTRES = [AUDITS, EPPS, EVALUATIONS, PROCESSUS, ENQUETES, INDICATEURS]
