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
    EPP,
    Autoevaluation,
    Chapitre,
    ConditionVisite,
    ConstatVisite,
    Critere,
    Evaluation,
    Objectif,
    PilotageProcessus,
    Processus,
    Referentiel,
    StatutEPP,
    ValeurIndicateur,
    VisiteCertification,
)
from qualite.organisation.rattachement import erreurs_de_rattachement
from qualite.outils.revisions import ConflitDeRevision, appliquer, verrouiller
from qualite.paqss.models import ActionAmelioration
from qualite.paqss.services import action_creer

COLONNES = ["chapitre_numero", "chapitre_titre", "objectif_code", "objectif_titre", "critere_code", "critere_titre",
            "critere_type", "champ_application"]
COLONNES_FACULTATIVES = ["methodes_evaluation"]  # absent from older files: the criterion then lists none
TYPES = {"standard": Critere.Type.STANDARD, "imperatif": Critere.Type.IMPERATIF, "impératif": Critere.Type.IMPERATIF,
         "avance": Critere.Type.AVANCE, "avancé": Critere.Type.AVANCE}
METHODES = {**{v: v for v in Evaluation.Methode.values},
            **{str(lib).lower(): v for v, lib in Evaluation.Methode.choices},
            **{v.replace("_", " "): v for v in Evaluation.Methode.values}}
ERREURS_MAX = 200  # a preview lists this many; past it the file is plainly not a référentiel


@dataclass
class ErreurImport(Exception):
    ligne: int
    colonne: str
    message: str

    def __str__(self):
        ou = f"ligne {self.ligne}" + (f", colonne « {self.colonne} »" if self.colonne else "")
        return f"{ou} : {self.message}"


@dataclass
class AnalyseReferentiel:
    """What a file would load: every fault found (line, column), or the chapters, objectives and criteria."""

    lignes: list
    chapitres: dict
    objectifs: dict
    erreurs: list

    def compte_types(self) -> dict:
        libelles = dict(Critere.Type.choices)
        comptes = {libelles[t]: 0 for t in (Critere.Type.IMPERATIF, Critere.Type.STANDARD, Critere.Type.AVANCE)}
        for _n, r in self.lignes:
            comptes[libelles[r["type"]]] += 1
        return comptes


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
        lignes.append((n, {k: (v or "").strip() for k, v in brute.items() if k in COLONNES + COLONNES_FACULTATIVES}))
    if not lignes:
        raise ErreurImport(2, "", "le fichier ne contient aucun critère.")
    return lignes


def _methodes(valeur: str) -> list[str]:
    methodes = []
    for morceau in valeur.replace(",", "|").split("|"):
        cle = morceau.strip().lower()
        if not cle:
            continue
        if cle not in METHODES:
            raise ValueError(morceau.strip())
        if METHODES[cle] not in methodes:
            methodes.append(METHODES[cle])
    return methodes


def referentiel_analyser(contenu: bytes) -> AnalyseReferentiel:
    """Checks every row and keeps every fault, in line order (a file-level fault stops the reading)."""
    try:
        lignes = _lire(contenu)
    except ErreurImport as exc:
        return AnalyseReferentiel([], {}, {}, [exc])
    erreurs: list[ErreurImport] = []
    chapitres: dict[int, str] = {}
    objectifs: dict[str, tuple[int, str]] = {}
    codes: dict[str, int] = {}
    valides = []
    for n, r in lignes:
        if len(erreurs) >= ERREURS_MAX:
            break
        avant = len(erreurs)
        manquantes = [col for col in ("chapitre_numero", "chapitre_titre", "objectif_code", "objectif_titre",
                                      "critere_code", "critere_titre", "critere_type") if not r[col]]
        erreurs += [ErreurImport(n, col, "valeur obligatoire absente.") for col in manquantes]
        for col, maxi in (("chapitre_titre", 255), ("objectif_code", 20), ("objectif_titre", 500), ("critere_code", 20),
                          ("champ_application", 255)):
            if len(r[col]) > maxi:
                erreurs.append(ErreurImport(n, col, f"{maxi} caractères au plus."))
        numero = None
        if r["chapitre_numero"]:
            try:
                numero = int(r["chapitre_numero"])
                if numero < 1:
                    raise ValueError
            except ValueError:
                numero = None
                erreurs.append(ErreurImport(n, "chapitre_numero",
                                            f"« {r['chapitre_numero']} » n'est pas un numéro de chapitre."))
        if numero is not None and r["chapitre_titre"] and chapitres.setdefault(numero, r["chapitre_titre"]) != r["chapitre_titre"]:
            erreurs.append(ErreurImport(n, "chapitre_titre", f"titre différent de celui déjà lu pour le chapitre {numero}."))
        if numero is not None and r["objectif_code"] and r["objectif_titre"] and objectifs.setdefault(
                r["objectif_code"], (numero, r["objectif_titre"])) != (numero, r["objectif_titre"]):
            erreurs.append(ErreurImport(n, "objectif_titre",
                                        f"l'objectif {r['objectif_code']} est déjà décrit autrement plus haut."))
        if r["critere_type"] and r["critere_type"].lower() not in TYPES:
            erreurs.append(ErreurImport(n, "critere_type",
                                        f"type inconnu « {r['critere_type']} » (standard, impératif ou avancé)."))
        if r["critere_code"] in codes:
            erreurs.append(ErreurImport(n, "critere_code",
                                        f"code {r['critere_code']} déjà présent ligne {codes[r['critere_code']]}."))
        elif r["critere_code"]:
            codes[r["critere_code"]] = n
        try:
            methodes = _methodes(r.get("methodes_evaluation", ""))
        except ValueError as exc:
            erreurs.append(ErreurImport(n, "methodes_evaluation", f"méthode inconnue « {exc} » (attendues : "
                                        f"{', '.join(str(lib).lower() for lib in Evaluation.Methode.labels)})."))
            methodes = []
        if len(erreurs) == avant:
            valides.append((n, {**r, "chapitre": numero, "type": TYPES[r["critere_type"].lower()], "methodes": methodes}))
    erreurs.sort(key=lambda e: e.ligne)
    return AnalyseReferentiel(valides, chapitres, objectifs, erreurs)


def _verifier_version(version: str) -> str:
    version = version.strip()
    if not version:
        raise ErreurImport(0, "", "indiquez la version du référentiel.")
    if len(version) > 50:
        raise ErreurImport(0, "", "la version tient en 50 caractères au plus.")
    if Referentiel.objects.filter(version=version).exists():
        raise ErreurImport(0, "", f"la version « {version} » existe déjà ; choisissez un autre numéro de version.")
    return version


@transaction.atomic
def referentiel_importer(*, contenu: bytes, version: str, libelle: str, par=None, activer: bool = False) -> Referentiel:
    """All or nothing: every row is checked before anything is written; the first fault is reported.
    A new version never touches the older ones: their criteria stay linked to their evaluations."""
    version = _verifier_version(version)
    analyse = referentiel_analyser(contenu)
    if analyse.erreurs:
        raise analyse.erreurs[0]
    if activer:
        Referentiel.objects.filter(actif=True).update(actif=False)
    ref = Referentiel.objects.create(version=version, libelle=libelle.strip()[:255] or version, actif=activer,
                                     created_by=par)
    chap = {num: Chapitre.objects.create(referentiel=ref, numero=num, titre=t) for num, t in analyse.chapitres.items()}
    obj = {code: Objectif.objects.create(chapitre=chap[num], code=code, titre=t)
           for code, (num, t) in analyse.objectifs.items()}
    Critere.objects.bulk_create([
        Critere(referentiel=ref, objectif=obj[r["objectif_code"]], code=r["critere_code"], titre=r["critere_titre"],
                type=r["type"], champ_application=r["champ_application"], methodes_evaluation=r["methodes"])
        for _n, r in analyse.lignes
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


# ---- dated history of processes and EPP (figures as of 31 December) ---------------------------------------


def _periode_changer(modele, filtre: dict, *, le, valeurs: dict, ouverte: bool, par) -> None:
    """Closes the current period on `le` and, if `ouverte`, opens the next with `valeurs`. A change on the
    day the current period began corrects it instead (a period is never empty); a date before the last
    recorded change is refused: history is appended, never rewritten."""
    derniere = modele.objects.select_for_update().filter(**filtre).order_by("-du").first()
    courante = derniere if derniere is not None and derniere.au is None else None
    if ouverte and courante is not None and all(getattr(courante, k) == v for k, v in valeurs.items()):
        return  # nothing the history tracks has changed
    if not ouverte and courante is None:
        return  # already closed (or never opened)
    if derniere is not None and le < (derniere.au or derniere.du):
        raise ValidationError({"le": f"La date du changement ne peut précéder le {(derniere.au or derniere.du):%d/%m/%Y}, "
                                     "date du dernier changement enregistré."})
    if courante is not None:
        if courante.du == le:
            if ouverte:
                for k, v in valeurs.items():
                    setattr(courante, k, v)
                courante.save()
                return
            courante.delete()  # opened and closed the same day: it never covered a 31 December
        else:
            courante.au = le
            courante.save(update_fields=["au", "updated_at"])
    if ouverte:
        modele.objects.create(du=le, created_by=par, **filtre, **valeurs)


CHAMPS_PROCESSUS = frozenset({"nom", "etablissement", "pilote_medical", "pilote_soignant", "actif"})


@transaction.atomic
def processus_enregistrer(*, par, donnees: dict, le, processus: Processus | None = None,
                          revision: int | None = None) -> Processus:
    """Create or edit a process; a new pilot pair or a retirement is dated `le` in its history."""
    inconnus = set(donnees) - CHAMPS_PROCESSUS
    if inconnus:
        raise ValueError(f"Champ(s) non modifiable(s) : {', '.join(sorted(inconnus))}")
    p = Processus(created_by=par) if processus is None else verrouiller(Processus, processus.pk, revision, donnees)
    if processus is not None and "etablissement" in donnees and donnees["etablissement"].pk != p.etablissement_id:
        raise ValidationError({"etablissement": "Un processus ne change pas d'établissement : créez-en un autre."})
    appliquer(p, donnees, par)
    p.full_clean()
    p.save()
    _periode_changer(PilotageProcessus, {"processus": p}, le=le, ouverte=p.actif, par=par,
                     valeurs={"pilote_medical": p.pilote_medical, "pilote_soignant": p.pilote_soignant})
    return p


CHAMPS_EPP = frozenset({"theme", "pilotes", "etat", "etablissement", "pole", "date_debut", "date_fin"})


@transaction.atomic
def epp_enregistrer(*, par, donnees: dict, le, epp: EPP | None = None, revision: int | None = None) -> EPP:
    """Create or edit an EPP; a change of state is dated `le` in its history."""
    inconnus = set(donnees) - CHAMPS_EPP
    if inconnus:
        raise ValueError(f"Champ(s) non modifiable(s) : {', '.join(sorted(inconnus))}")
    e = EPP(created_by=par) if epp is None else verrouiller(EPP, epp.pk, revision, donnees)
    appliquer(e, donnees, par)
    if e.date_debut and e.date_fin and e.date_fin < e.date_debut:
        raise ValidationError({"date_fin": f"La fin ne peut précéder le début ({e.date_debut:%d/%m/%Y})."})
    erreurs = erreurs_de_rattachement(e.etablissement_id, pole=e.pole if e.pole_id else None)
    if erreurs:
        raise ValidationError(erreurs)
    e.full_clean()
    e.save()
    if epp is None and e.date_debut and e.date_debut < le:
        le = e.date_debut  # recorded late: in its state since it began
    _periode_changer(StatutEPP, {"epp": e}, le=le, ouverte=True, par=par, valeurs={"etat": e.etat})
    return e


# ---- certification visits ------------------------------------------------------------------------------

CHAMPS_VISITE = frozenset({"etablissement", "referentiel", "type", "date_debut", "date_fin", "experts", "decision",
                           "decision_le", "commentaire"})


@transaction.atomic
def visite_enregistrer(*, par, donnees: dict, visite: VisiteCertification | None = None,
                       revision: int | None = None) -> VisiteCertification:
    inconnus = set(donnees) - CHAMPS_VISITE
    if inconnus:
        raise ValueError(f"Champ(s) non modifiable(s) : {', '.join(sorted(inconnus))}")
    v = VisiteCertification(created_by=par) if visite is None else verrouiller(VisiteCertification, visite.pk, revision, donnees)
    if visite is not None:
        for champ, libelle in (("etablissement", "d'établissement"), ("referentiel", "de référentiel")):
            if champ in donnees and donnees[champ].pk != getattr(v, f"{champ}_id"):
                raise ValidationError({champ: f"Une visite ne change pas {libelle} : enregistrez-en une autre."})
        if "decision" in donnees and donnees["decision"] != VisiteCertification.Decision.CONDITIONS \
                and v.conditions.exists():
            raise ValidationError({"decision": "Cette visite a des conditions (suivies au PAQSS) : la décision reste "
                                               "« certifié sous conditions »."})
    appliquer(v, donnees, par)
    v.full_clean()
    v.save()
    return v


@transaction.atomic
def visite_constater(*, visite: VisiteCertification, critere: Critere, appreciation: str, constat: str,
                     par, revision: int | None = None) -> ConstatVisite:
    """The experts' finding on a criterion. A new entry for the same criterion replaces it only when made
    knowingly, at the revision of the finding it replaces: otherwise ConflitDeRevision shows the finding
    already entered (by a colleague, maybe at the same minute) and nothing is written."""
    c = ConstatVisite.objects.select_for_update().filter(visite=visite, critere=critere).first() \
        or ConstatVisite(visite=visite, critere=critere, created_by=par)
    if c.pk:
        if revision != c.revision:
            raise ConflitDeRevision(c, {"appreciation": appreciation, "constat": constat.strip()})
        appliquer(c, {}, par)
    c.appreciation, c.constat = appreciation, constat.strip()
    c.full_clean()
    c.save()
    return c


@transaction.atomic
def visite_ajouter_condition(*, visite: VisiteCertification, libelle: str, echeance, par, critere: Critere | None = None,
                             responsable=None) -> ConditionVisite:
    """A condition of the decision becomes a PAQSS action (origin « Constat de certification ») with its deadline."""
    visite = VisiteCertification.objects.select_for_update().get(pk=visite.pk)
    if not visite.accepte_conditions:
        raise ValidationError("Des conditions ne s'ajoutent qu'à une décision « certifié sous conditions ».")
    libelle = libelle.strip()
    if not libelle:
        raise ValidationError({"libelle": "Décrivez la condition fixée par la HAS."})
    if echeance is None:
        raise ValidationError({"echeance": "Indiquez l'échéance fixée pour lever la condition."})
    if critere is not None and critere.referentiel_id != visite.referentiel_id:
        raise ValidationError({"critere": "Ce critère n'appartient pas au référentiel de la visite."})
    titre = f"Condition de certification : {libelle}"
    action = action_creer(
        titre=titre[:255], description=libelle, origine=ActionAmelioration.Origine.CERTIFICATION, source=visite,
        etablissement_id=visite.etablissement_id, responsable=responsable, echeance=echeance, par=par)
    return ConditionVisite.objects.create(visite=visite, critere=critere, libelle=libelle, echeance=echeance,
                                          action=action, created_by=par)


@transaction.atomic
def registre_enregistrer(*, modele, par, donnees: dict, objet=None, revision: int | None = None):
    """An audit, a survey or an indicator definition: created, or the fields a form changed written
    (a stale form is refused: ConflitDeRevision). Nothing else happens, hence one service for the three."""
    o = modele(created_by=par) if objet is None else verrouiller(modele, objet.pk, revision, donnees)
    if objet is not None and "etablissement" in donnees and donnees["etablissement"].pk != o.etablissement_id:
        raise ValidationError({"etablissement": "L'établissement ne change pas : créez un autre enregistrement."})
    criteres = donnees.pop("criteres", None)  # many-to-many: written once the row exists
    appliquer(o, donnees, par)
    if criteres is not None and objet is not None and not donnees:
        appliquer(o, {}, par)  # only the criteria changed: still a new revision
    o.full_clean()
    o.save()
    if criteres is not None:
        o.criteres.set(criteres)
    return o


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
