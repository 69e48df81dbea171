"""Import of an existing document base: a folder of files plus a CSV index, one line per document.
All or nothing: every line is checked first (columns, file present and accepted by content, references);
if any line is wrong, the errors are listed by line and column and nothing is written. See docs/documents.md."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from qualite.documents import access as documents_access
from qualite.documents.models import Document
from qualite.organisation.models import Etablissement, Service, Utilisateur
from qualite.pieces.forms import nom_propre
from qualite.pieces.stockage import STOCKAGE
from qualite.pieces.verification import controler

logger = logging.getLogger(__name__)

COLONNES = ("fichier", "titre", "type", "etablissement", "proprietaire", "service", "date_revision", "version")
OBLIGATOIRES = ("fichier", "titre", "type", "etablissement", "proprietaire")
LIGNES_MAX = 5000


@dataclass(frozen=True)
class Erreur:
    ligne: int
    colonne: str
    message: str

    def __str__(self):
        if self.colonne:
            return f"Ligne {self.ligne}, colonne « {self.colonne} » : {self.message}"
        return f"Ligne {self.ligne} : {self.message}"


@dataclass
class Analyse:
    lignes: list[dict] = field(default_factory=list)
    erreurs: list[Erreur] = field(default_factory=list)


def _lire_index(contenu: bytes) -> tuple[list[str], list[list[str]]]:
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        texte = contenu.decode("cp1252", errors="replace")
    premiere = texte.split("\n", 1)[0]
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    lignes = list(csv.reader(io.StringIO(texte), delimiter=separateur))
    if not lignes:
        return [], []
    return [c.strip().lower() for c in lignes[0]], lignes[1:]


def _type(valeur: str) -> str | None:
    v = valeur.strip().lower()
    for code, libelle in Document.Type.choices:
        if v in (code, libelle.lower()):
            return code
    return None


def _date(valeur: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            jour = datetime.strptime(valeur.strip(), fmt).date()
        except ValueError:
            continue
        if 1900 <= jour.year <= 2100:
            return jour
    raise ValueError


def analyser(dossier: Path, index: bytes, *, par) -> Analyse:
    analyse = Analyse()
    entetes, lignes = _lire_index(index)
    manquantes = [c for c in OBLIGATOIRES if c not in entetes]
    if manquantes:
        for c in manquantes:
            analyse.erreurs.append(Erreur(1, c, "colonne obligatoire absente de l'en-tête."))
        return analyse
    if len(lignes) > LIGNES_MAX:
        analyse.erreurs.append(Erreur(1, "", f"{len(lignes)} lignes : {LIGNES_MAX} au plus par import."))
        return analyse
    dossier = dossier.resolve()
    etablissements = list(Etablissement.objects.all())
    for numero, cellules in enumerate(lignes, start=2):
        if not any(c.strip() for c in cellules):
            continue
        brut = {entetes[i]: (cellules[i].strip() if i < len(cellules) else "") for i in range(len(entetes))}
        erreurs: list[Erreur] = []

        def erreur(colonne, message, numero=numero, erreurs=erreurs):
            erreurs.append(Erreur(numero, colonne, message))

        for c in OBLIGATOIRES:
            if not brut.get(c):
                erreur(c, "valeur obligatoire manquante.")
        donnees: dict = {"titre": brut.get("titre", "")[:255]}
        if brut.get("type"):
            donnees["type"] = _type(brut["type"])
            if donnees["type"] is None:
                erreur("type", f"« {brut['type']} » inconnu ; valeurs : "
                               f"{', '.join(label for _, label in Document.Type.choices)}.")
        etab = None
        if brut.get("etablissement"):
            v = brut["etablissement"]
            trouves = [e for e in etablissements if v.lower() in (e.nom.lower(), (e.finess or "").lower())]
            if len(trouves) != 1:
                erreur("etablissement", f"établissement « {v} » inconnu (nom ou n° FINESS).")
            else:
                etab = trouves[0]
                donnees["etablissement"] = etab
                if not documents_access.dans_perimetre(par, "documents.rediger", etab.pk):
                    erreur("etablissement", f"{par.username} ne peut pas rédiger de documents dans {etab.nom}.")
        if brut.get("proprietaire"):
            proprietaire = Utilisateur.objects.filter(username=brut["proprietaire"], is_active=True).first()
            if proprietaire is None:
                erreur("proprietaire", f"utilisateur « {brut['proprietaire']} » inconnu ou inactif.")
            elif etab is not None and not proprietaire.etablissements.filter(pk=etab.pk).exists():
                erreur("proprietaire", f"{proprietaire.username} n'est pas rattaché à {etab.nom}.")
            else:
                donnees["proprietaire"] = proprietaire
        if brut.get("service") and etab is not None:
            v = brut["service"]
            services = list(Service.objects.filter(pole__etablissement=etab).filter(nom__iexact=v)) or list(
                Service.objects.filter(pole__etablissement=etab, code__iexact=v))
            if len(services) != 1:
                erreur("service", f"service « {v} » inconnu dans {etab.nom} (nom ou code).")
            else:
                donnees["service"] = services[0]
        if brut.get("date_revision"):
            try:
                donnees["date_revision"] = _date(brut["date_revision"])
            except ValueError:
                erreur("date_revision", f"date « {brut['date_revision']} » illisible : JJ/MM/AAAA attendu.")
        numero_version = None
        if brut.get("version"):
            try:
                numero_version = int(brut["version"])
                if numero_version < 1:
                    raise ValueError
            except ValueError:
                erreur("version", f"« {brut['version']} » n'est pas un numéro de version (entier à partir de 1).")
        chemin = None
        if brut.get("fichier"):
            chemin = (dossier / brut["fichier"]).resolve()
            if not chemin.is_relative_to(dossier) or not chemin.is_file():
                erreur("fichier", f"fichier introuvable dans le dossier : {brut['fichier']}.")
                chemin = None
            else:
                with chemin.open("rb") as f:
                    try:
                        controler(File(f, name=chemin.name))
                    except ValidationError as exc:
                        erreur("fichier", " ".join(exc.messages))
                        chemin = None
        analyse.erreurs.extend(erreurs)
        if not erreurs:
            analyse.lignes.append({"ligne": numero, "donnees": donnees, "chemin": chemin, "version": numero_version,
                                   "nom": nom_propre(brut["fichier"])})
    if not lignes:
        analyse.erreurs.append(Erreur(2, "", "l'index ne contient aucune ligne de document."))
    return analyse


def ecrire(analyse: Analyse, *, par) -> list[Document]:
    """Write every line in one transaction; on any failure, the files already stored are removed."""
    from qualite.documents import services

    if analyse.erreurs:
        raise ValueError("Un index avec des erreurs ne s'écrit pas.")
    crees: list[Document] = []
    stockes: list[str] = []  # named as they are written: after a rollback the rows no longer say where
    try:
        with transaction.atomic():
            for ligne in analyse.lignes:
                with ligne["chemin"].open("rb") as f:
                    fichier = File(f, name=ligne["nom"])
                    document = services.document_importer(
                        donnees=ligne["donnees"], par=par, fichier=fichier, nom=ligne["nom"],
                        controle=controler(fichier), numero=ligne["version"])
                crees.append(document)
                stockes.extend(document.versions.values_list("fichier", flat=True))
    except BaseException:
        for nom in stockes:
            try:
                STOCKAGE.delete(nom)
            except Exception:
                logger.exception("Import de documents : fichier %s resté dans le stockage après un échec.", nom)
        raise
    return crees
