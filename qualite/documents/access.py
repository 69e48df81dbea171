"""Who sees and changes which documents, on the catalogue of qualite/organisation/access.py.

Documents belong to an établissement as a whole: whoever a permission opens that établissement to reaches
them (a cadre's or a psychiatrist's narrower reach does not narrow a procedure). Readers (documents.voir
only) see the documents that have a diffused version; the people who write, verify, approve or diffuse
see drafts too."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet

from qualite.organisation import access

GESTION = ("documents.rediger", "documents.verifier", "documents.approuver", "documents.diffuser")

# The permission each workflow move needs (target status -> permission).
PERMISSION_TRANSITION = {
    "verification": "documents.rediger",
    "approbation": "documents.verifier",
    "approuvee": "documents.approuver",
    "diffusee": "documents.diffuser",
    "archivee": "documents.diffuser",
}


def dans_perimetre(user, permission: str, etablissement_id: int) -> bool:
    perimetre = access.perimetre(user, permission)
    return not perimetre.vide and etablissement_id in perimetre.etablissements


def gere(user, etablissement_id: int | None = None) -> bool:
    """Holds one of the document management permissions (in that établissement when given)."""
    if etablissement_id is None:
        return any(access.has_perm(user, p) for p in GESTION)
    return any(dans_perimetre(user, p, etablissement_id) for p in GESTION)


def _etablissements_geres(user) -> set[int]:
    geres: set[int] = set()
    for permission in GESTION:
        perimetre = access.perimetre(user, permission)
        if not perimetre.vide:
            geres |= perimetre.etablissements
    return geres


def exiger_voir(user) -> None:
    access.exiger(user, "documents.voir")


def documents_scope(qs: QuerySet, user) -> QuerySet:
    from qualite.documents.models import VersionDocument

    qs = access.perimetre(user, "documents.voir").filtrer_etablissement(qs)
    gestion = _etablissements_geres(user)
    diffusee = Exists(VersionDocument.objects.filter(document=OuterRef("pk"), statut=VersionDocument.Statut.DIFFUSEE))
    return qs.filter(Q(etablissement_id__in=gestion) | diffusee)


def versions_scope(qs: QuerySet, user) -> QuerySet:
    """Versions: a reader sees the diffused ones only (archived ones stay with the writers)."""
    from qualite.documents.models import VersionDocument

    qs = access.perimetre(user, "documents.voir").filtrer_etablissement(qs, champ="document__etablissement_id")
    gestion = _etablissements_geres(user)
    return qs.filter(Q(document__etablissement_id__in=gestion) | Q(statut=VersionDocument.Statut.DIFFUSEE))


def get_document_for_user(user, pk):
    from qualite.documents.models import Document

    exiger_voir(user)
    qs = Document.objects.select_related("etablissement", "service", "proprietaire")
    return access.objet_ou_404(documents_scope(qs, user), pk=pk)


def get_version_for_user(user, pk):
    from qualite.documents.models import VersionDocument

    exiger_voir(user)
    qs = VersionDocument.objects.select_related("document__etablissement", "document__proprietaire", "created_by")
    return access.objet_ou_404(versions_scope(qs, user), pk=pk)


def exiger_dans_perimetre(user, permission: str, etablissement_id: int) -> None:
    if not dans_perimetre(user, permission, etablissement_id):
        raise PermissionDenied
