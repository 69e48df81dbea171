from django.db import models
from django.db.models import Q
from django.utils import timezone

# What each deferred task is called on screen (the administration lists them).
LIBELLES = {"evenements.tasks.notifier_declarant": "Courriel au déclarant : suite donnée à sa déclaration",
            "qualite.echeances.tasks.recalculer_regle": "Recalcul des échéances après la modification d'un délai"}


class TacheDifferee(models.Model):
    """A background task asked for by a change: written in the change's own transaction, run later by
    the worker (qualite/taches/services.py). A broker outage delays it; it is never lost nor turns the
    saved change into an error page."""

    tache = models.CharField("tâche", max_length=200)
    arguments = models.JSONField(default=list)
    creee_le = models.DateTimeField("demandée le", default=timezone.now)
    traitee_le = models.DateTimeField("exécutée le", null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    derniere_erreur = models.TextField("dernière erreur", blank=True)

    class Meta:
        verbose_name = "tâche différée"
        verbose_name_plural = "tâches différées"
        indexes = [models.Index(fields=["creee_le"], condition=Q(traitee_le__isnull=True), name="tache_a_faire_idx")]

    def __str__(self):
        return f"{self.libelle} (n° {', '.join(map(str, self.arguments))})"

    @property
    def libelle(self) -> str:
        return LIBELLES.get(self.tache, "Tâche de fond")
