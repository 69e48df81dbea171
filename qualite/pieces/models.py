"""Files attached to any registered record (qualite/pieces/registre.py). Archived, never deleted."""

import uuid

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from qualite.organisation.models import Horodatage
from qualite.pieces.stockage import stockage


def chemin_stockage(piece, nom_origine: str) -> str:
    """A random name under the record's model and month: the original name (patient names, paths)
    never reaches the storage, and two files never collide."""
    ct = piece.content_type
    return f"{ct.app_label}/{ct.model}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class PieceJointeQuerySet(models.QuerySet):
    def de(self, objet):
        return self.filter(content_type=ContentType.objects.get_for_model(objet), object_id=objet.pk)

    def actives(self):
        return self.filter(archivee=False)


@pghistory.track()
class PieceJointe(Horodatage):
    """created_by / created_at: who attached the file, and when."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    nom = models.CharField("nom du fichier", max_length=255)
    fichier = models.FileField(storage=stockage, upload_to=chemin_stockage, max_length=255)
    taille = models.PositiveBigIntegerField("taille (octets)")
    type_mime = models.CharField("type détecté", max_length=120)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    archivee = models.BooleanField("archivée", default=False)
    archivee_le = models.DateTimeField("archivée le", null=True, blank=True)
    archivee_par = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="archivée par", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    motif_archivage = models.CharField("motif de l'archivage", max_length=255, blank=True)

    objects = PieceJointeQuerySet.as_manager()

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "archivee"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(archivee=False) | (~models.Q(motif_archivage="") & models.Q(archivee_le__isnull=False)),
                name="piece_archivage_motive"),
        ]

    def __str__(self):
        return self.nom

    @property
    def reference_audit(self):
        return f"Pièce jointe n° {self.pk} ({self.nom})"
