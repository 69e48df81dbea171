"""Reads for the certification pages: the readiness of an établissement against a référentiel."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from certification.access import certification_scope
from certification.models import (
    METHODES_EVALUATION,
    Audit,
    Autoevaluation,
    ConditionVisite,
    ConstatVisite,
    Critere,
    Evaluation,
    Indicateur,
    Referentiel,
)
from qualite.documents.models import LienCritere, VersionDocument
from qualite.paqss.models import ActionAmelioration
from qualite.pieces.models import PieceJointe

ORDRE_TYPES = {Critere.Type.IMPERATIF: 0, Critere.Type.STANDARD: 1, Critere.Type.AVANCE: 2}
PREUVES = [("evaluations", "évaluation"), ("audits", "audit"), ("documents", "document"), ("actions", "action"),
           ("indicateurs", "indicateur")]


@dataclass
class LignePreparation:
    critere: Critere
    evaluations: int = 0
    audits: int = 0
    documents: int = 0
    actions: int = 0
    indicateurs: int = 0
    niveau: str = ""  # the self-assessment's label, "" when never assessed
    constat: str = ""  # the last visit's appreciation of it
    methodes_couvertes: set = field(default_factory=set)

    @property
    def methodes_manquantes(self) -> list[str]:
        libelles = dict(METHODES_EVALUATION)
        return [libelles[m] for m in self.critere.methodes_evaluation if m not in self.methodes_couvertes]

    @property
    def manques(self) -> list[str]:
        """What the criterion still lacks: each kind of evidence absent, the HAS methods never used on it,
        and a self-assessment."""
        manques = [libelle for champ, libelle in PREUVES if not getattr(self, champ)]
        manques += [f"méthode « {m.lower()} »" for m in self.methodes_manquantes]
        if not self.niveau:
            manques.append("auto-évaluation")
        return manques

    @property
    def n_preuves(self) -> int:
        return sum(getattr(self, champ) for champ, _ in PREUVES)


def preparation(*, referentiel: Referentiel, etablissement_id: int, user) -> list[dict]:
    """Per chapter and objective, every criterion with its evidence counted from each register, impératifs
    first; a fixed number of grouped queries whatever the size of the référentiel."""
    criteres = list(referentiel.criteres.select_related("objectif__chapitre"))
    lignes = {c.pk: LignePreparation(c) for c in criteres}
    ids = list(lignes)

    def ajouter(champ, rangees):
        for critere_id, n in rangees:
            setattr(lignes[critere_id], champ, getattr(lignes[critere_id], champ) + n)

    evals = certification_scope(Evaluation.objects.filter(etablissement_id=etablissement_id), user)
    ajouter("evaluations", Evaluation.criteres.through.objects.filter(critere_id__in=ids, evaluation__in=evals)
            .values("critere_id").annotate(n=Count("evaluation_id", distinct=True)).values_list("critere_id", "n"))
    for critere_id, methode in (Evaluation.criteres.through.objects.filter(critere_id__in=ids, evaluation__in=evals)
                                .values_list("critere_id", "evaluation__methode").distinct()):
        lignes[critere_id].methodes_couvertes.add(methode)
    audits = certification_scope(Audit.objects.filter(etablissement_id=etablissement_id), user)
    ajouter("audits", Audit.criteres.through.objects.filter(critere_id__in=ids, audit__in=audits)
            .values("critere_id").annotate(n=Count("audit_id", distinct=True)).values_list("critere_id", "n"))
    ajouter("indicateurs", Indicateur.criteres.through.objects.filter(critere_id__in=ids, indicateur__actif=True)
            .values("critere_id").annotate(n=Count("indicateur_id", distinct=True)).values_list("critere_id", "n"))
    autos = Autoevaluation.objects.filter(critere_id__in=ids, etablissement_id=etablissement_id)
    niveaux = dict(Autoevaluation.Niveau.choices)
    auto_de = {}
    for pk, critere_id, niveau in autos.values_list("pk", "critere_id", "niveau"):
        auto_de[pk] = critere_id
        if niveau != Autoevaluation.Niveau.NON_EVALUE:
            lignes[critere_id].niveau = str(niveaux[niveau])
    ajouter("actions", Autoevaluation.actions.through.objects.filter(autoevaluation__in=autos)
            .values("autoevaluation__critere_id").annotate(n=Count("actionamelioration_id", distinct=True))
            .values_list("autoevaluation__critere_id", "n"))
    ajouter("actions", ConditionVisite.objects.filter(critere_id__in=ids, visite__etablissement_id=etablissement_id)
            .exclude(action__statut=ActionAmelioration.Statut.ABANDONNEE)
            .values("critere_id").annotate(n=Count("action_id", distinct=True)).values_list("critere_id", "n"))
    # Documents: quality documents in force (a diffused version) of the établissement linked to the criterion
    # (qualite/documents), attachments of its self-assessment and of the evaluations and audits that cite it.
    ajouter("documents", LienCritere.objects.filter(
        critere_id__in=ids, document__etablissement_id=etablissement_id,
        document__versions__statut=VersionDocument.Statut.DIFFUSEE)
        .values("critere_id").annotate(n=Count("document_id", distinct=True)).values_list("critere_id", "n"))
    sources = [(Autoevaluation, {pk: [critere_id] for pk, critere_id in auto_de.items()})]
    for modele, through, champ, qs in ((Evaluation, Evaluation.criteres.through, "evaluation_id", evals),
                                       (Audit, Audit.criteres.through, "audit_id", audits)):
        de: dict[int, list[int]] = defaultdict(list)
        for critere_id, pk in through.objects.filter(critere_id__in=ids, **{f"{champ[:-3]}__in": qs}) \
                .values_list("critere_id", champ):
            de[pk].append(critere_id)
        sources.append((modele, de))
    for modele, de in sources:
        if not de:
            continue
        ct = ContentType.objects.get_for_model(modele)
        for object_id, n in (PieceJointe.objects.filter(content_type=ct, object_id__in=list(de), archivee=False)
                             .values("object_id").annotate(n=Count("pk")).values_list("object_id", "n")):
            for critere_id in de[object_id]:
                lignes[critere_id].documents += n
    appreciations = dict(ConstatVisite.Appreciation.choices)
    for critere_id, appreciation in (ConstatVisite.objects.filter(critere_id__in=ids, visite__etablissement_id=etablissement_id)
                                     .order_by("critere_id", "-visite__date_debut", "-visite_id")
                                     .distinct("critere_id").values_list("critere_id", "appreciation")):
        lignes[critere_id].constat = str(appreciations[appreciation])
    chapitres: dict = {}
    for c in sorted(criteres, key=lambda c: (c.objectif.chapitre.numero, c.objectif.code, ORDRE_TYPES[c.type], c.code)):
        objectifs = chapitres.setdefault(c.objectif.chapitre, defaultdict(list))
        objectifs[c.objectif].append(lignes[c.pk])
    return [{"chapitre": chap, "objectifs": [{"objectif": o, "lignes": ls} for o, ls in objectifs.items()]}
            for chap, objectifs in chapitres.items()]
