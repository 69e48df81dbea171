"""Certification workflows: loading a référentiel, raising actions from findings,
recording a self-assessment."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from certification.models import (
    Autoevaluation,
    Chapitre,
    Critere,
    Evaluation,
    Objectif,
    Referentiel,
    ValeurIndicateur,
)
from qualite.outils.revisions import appliquer, verrouiller
from qualite.paqss.models import ActionAmelioration
from qualite.paqss.services import action_creer

COLONNES = ["chapitre_numero", "chapitre_titre", "objectif_code", "objectif_titre", "critere_code", "critere_titre",
            "critere_type", "champ_application"]
TYPES = {"standard": Critere.Type.STANDARD, "imperatif": Critere.Type.IMPERATIF, "impératif": Critere.Type.IMPERATIF,
         "avance": Critere.Type.AVANCE, "avancé": Critere.Type.AVANCE}


@dataclass
class ErreurImport(Exception):
    ligne: int
    colonne: str
    message: str

    def __str__(self):
        ou = f"ligne {self.ligne}" + (f", colonne « {self.colonne} »" if self.colonne else "")
        return f"{ou} : {self.message}"


def _lire(contenu: bytes) -> list[dict]:
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ligne = contenu[: exc.start].count(b"\n") + 1
        raise ErreurImport(ligne, "", "encodage invalide : enregistrez le fichier en UTF-8.") from None
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=";")
    entetes = [c.strip() for c in (lecteur.fieldnames or [])]
    manquantes = [c for c in COLONNES if c not in entetes]
    if manquantes:
        raise ErreurImport(1, manquantes[0], f"colonne manquante (attendues : {', '.join(COLONNES)}).")
    lecteur.fieldnames = entetes
    lignes = []
    for n, brute in enumerate(lecteur, start=2):
        if n - 1 > settings.IMPORT_LIGNES_MAX:  # checked while reading, before any row is kept
            raise ErreurImport(n, "", f"fichier trop long : {settings.IMPORT_LIGNES_MAX} lignes au plus.")
        if None in brute:
            raise ErreurImport(n, "", "trop de valeurs sur la ligne (séparateur attendu : « ; »).")
        lignes.append((n, {k: (v or "").strip() for k, v in brute.items() if k in COLONNES}))
    if not lignes:
        raise ErreurImport(2, "", "le fichier ne contient aucun critère.")
    return lignes


@transaction.atomic
def referentiel_importer(*, contenu: bytes, version: str, libelle: str, par=None, activer: bool = False) -> Referentiel:
    """All or nothing: every row is checked before anything is written; the first fault is reported."""
    version = version.strip()
    if not version:
        raise ErreurImport(0, "", "indiquez la version du référentiel.")
    if Referentiel.objects.filter(version=version).exists():
        raise ErreurImport(0, "", f"la version « {version} » existe déjà ; choisissez un autre numéro de version.")
    lignes = _lire(contenu)
    chapitres: dict[int, str] = {}
    objectifs: dict[str, tuple[int, str]] = {}
    codes: dict[str, int] = {}
    for n, r in lignes:
        for col in ("chapitre_numero", "chapitre_titre", "objectif_code", "objectif_titre", "critere_code",
                    "critere_titre", "critere_type"):
            if not r[col]:
                raise ErreurImport(n, col, "valeur obligatoire absente.")
        try:
            numero = int(r["chapitre_numero"])
            if numero < 1:
                raise ValueError
        except ValueError:
            raise ErreurImport(n, "chapitre_numero", f"« {r['chapitre_numero']} » n'est pas un numéro de chapitre.") from None
        if chapitres.setdefault(numero, r["chapitre_titre"]) != r["chapitre_titre"]:
            raise ErreurImport(n, "chapitre_titre", f"titre différent de celui déjà lu pour le chapitre {numero}.")
        if objectifs.setdefault(r["objectif_code"], (numero, r["objectif_titre"])) != (numero, r["objectif_titre"]):
            raise ErreurImport(n, "objectif_titre", f"l'objectif {r['objectif_code']} est déjà décrit autrement plus haut.")
        if r["critere_type"].lower() not in TYPES:
            raise ErreurImport(n, "critere_type", f"type inconnu « {r['critere_type']} » (standard, impératif ou avancé).")
        if r["critere_code"] in codes:
            raise ErreurImport(n, "critere_code", f"code {r['critere_code']} déjà présent ligne {codes[r['critere_code']]}.")
        codes[r["critere_code"]] = n
        for col, maxi in (("chapitre_titre", 255), ("objectif_code", 20), ("objectif_titre", 500), ("critere_code", 20),
                          ("champ_application", 255)):
            if len(r[col]) > maxi:
                raise ErreurImport(n, col, f"{maxi} caractères au plus.")
    if activer:
        Referentiel.objects.filter(actif=True).update(actif=False)
    ref = Referentiel.objects.create(version=version, libelle=libelle.strip() or version, actif=activer, created_by=par)
    chap = {num: Chapitre.objects.create(referentiel=ref, numero=num, titre=t) for num, t in chapitres.items()}
    obj = {code: Objectif.objects.create(chapitre=chap[num], code=code, titre=t) for code, (num, t) in objectifs.items()}
    Critere.objects.bulk_create([
        Critere(referentiel=ref, objectif=obj[r["objectif_code"]], code=r["critere_code"], titre=r["critere_titre"],
                type=TYPES[r["critere_type"].lower()], champ_application=r["champ_application"])
        for _n, r in lignes
    ])
    return ref


@transaction.atomic
def evaluation_creer_action(*, evaluation: Evaluation, par, titre: str, echeance=None, responsable=None,
                            description: str = "") -> ActionAmelioration:
    """A finding becomes a PAQSS action whose source is the evaluation: it shows on both pages."""
    if not titre.strip():
        raise ValidationError({"titre": "Décrivez l'action à mener."})
    service = evaluation.service
    return action_creer(
        titre=titre.strip(), description=description, origine=ActionAmelioration.Origine.EVALUATION, source=evaluation,
        etablissement_id=evaluation.etablissement_id, pole_id=service.pole_id if service else None,
        service_id=evaluation.service_id, responsable=responsable, echeance=echeance, par=par,
    )


@transaction.atomic
def autoevaluation_enregistrer(*, critere: Critere, etablissement_id: int, par, niveau: str, commentaire: str,
                               actions, evaluations) -> Autoevaluation:
    autre = [a for a in actions if a.etablissement_id != etablissement_id] + \
            [e for e in evaluations if e.etablissement_id != etablissement_id]
    if autre:
        raise ValidationError({"actions": "Une preuve relève d'un autre établissement."})
    auto, _ = Autoevaluation.objects.select_for_update().get_or_create(
        critere=critere, etablissement_id=etablissement_id, defaults={"created_by": par})
    auto.niveau, auto.commentaire = niveau, commentaire
    auto.full_clean()
    auto.save()
    auto.actions.set(actions)
    auto.evaluations.set(evaluations)
    return auto


DOUBLON_VALEUR = "Une valeur existe déjà pour cette période (et ce service)."


@transaction.atomic
def valeur_indicateur_enregistrer(*, par, indicateur, donnees: dict, valeur: ValeurIndicateur | None = None,
                                  revision: int | None = None) -> ValeurIndicateur:
    """Record an indicator's value, or correct one (`donnees`: the fields changed; a stale form is refused).
    One value per indicator, établissement, service and period: a second one is a French field error."""
    if valeur is None:
        valeur = ValeurIndicateur(indicateur=indicateur, created_by=par)
    else:
        valeur = verrouiller(ValeurIndicateur, valeur.pk, revision, donnees)
    appliquer(valeur, donnees, par)
    valeur.full_clean(validate_constraints=False)
    doublons = ValeurIndicateur.objects.filter(indicateur_id=valeur.indicateur_id, etablissement_id=valeur.etablissement_id,
                                               service_id=valeur.service_id, periode=valeur.periode)
    if doublons.exclude(pk=valeur.pk).exists():
        raise ValidationError({"periode": DOUBLON_VALEUR})
    try:
        with transaction.atomic():
            valeur.save()
    except IntegrityError:  # the same value recorded at the same instant by someone else
        raise ValidationError({"periode": DOUBLON_VALEUR}) from None
    return valeur
