from django.conf import settings
from django.db import models
from django.utils import timezone

from qualite.organisation.models import GHT, Etablissement


class RapportAnnuel(models.Model):
    """One generated annual report. Regenerating adds a version; earlier files are kept."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        PRET = "pret", "Prêt"
        ECHEC = "echec", "Échec"

    annee = models.PositiveSmallIntegerField("année")
    ght = models.ForeignKey(GHT, on_delete=models.PROTECT, related_name="rapports")
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, null=True, blank=True, related_name="rapports",
                                      help_text="Vide : rapport du GHT (tous ses établissements).")
    version = models.PositiveSmallIntegerField(default=1)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    etape = models.CharField("étape en cours", max_length=120, blank=True)
    progression = models.PositiveSmallIntegerField(default=0)
    progression_le = models.DateTimeField("dernier signe de vie", default=timezone.now,
                                          help_text="Mis à jour à chaque étape : un rapport muet trop longtemps est en échec.")
    motif_echec = models.TextField(blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    fichier = models.FileField(upload_to="rapports/", blank=True)
    fichier_anonyme = models.FileField(upload_to="rapports/", blank=True)
    demande_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    demande_le = models.DateTimeField(default=timezone.now)
    termine_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "rapport annuel"
        verbose_name_plural = "rapports annuels"
        ordering = ["-annee", "-demande_le"]
        constraints = [
            models.UniqueConstraint(fields=["annee", "ght", "etablissement", "version"], name="rapport_version_unique",
                                    nulls_distinct=False),
        ]

    def __str__(self):
        return f"Rapport {self.annee} — {self.etablissement or self.ght} (v{self.version})"

    def fichier_present(self, *, anonyme: bool) -> bool:
        """The PDF is still in storage (a restore without MEDIA_ROOT, a purge, a lost volume)."""
        fichier = self.fichier_anonyme if anonyme else self.fichier
        return bool(fichier.name) and fichier.storage.exists(fichier.name)

    @property
    def perimetre(self):
        return self.etablissement.nom if self.etablissement_id else f"{self.ght.nom} (tous établissements)"
