from django.conf import settings
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


class ImportFichier(models.Model):
    """A confirmed import of a register's file, run by the worker; its page follows the progress.
    One per pending file (`jeton`): a second click on « confirmer » finds this one instead of starting another."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente du service d'import"
        EN_COURS = "en_cours", "En cours"
        TERMINE = "termine", "Terminé"
        ECHEC = "echec", "Échec : rien n'a été enregistré"

    jeton = models.CharField(max_length=32, unique=True)
    registre = models.CharField(max_length=50)
    nom_fichier = models.CharField("fichier", max_length=255, blank=True)
    lignes = models.PositiveIntegerField("lignes du fichier", default=0)
    demande_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    demande_le = models.DateTimeField("demandé le", default=timezone.now)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    etape = models.CharField("étape en cours", max_length=120, blank=True)
    progression = models.PositiveSmallIntegerField(default=0)
    progression_le = models.DateTimeField("dernier signe de vie", default=timezone.now,
                                          help_text="Mis à jour à chaque lot : un import muet trop longtemps est en échec.")
    crees = models.PositiveIntegerField(default=0)
    modifies = models.PositiveIntegerField(default=0)
    inchanges = models.PositiveIntegerField(default=0)
    erreurs = models.JSONField(default=list, blank=True, help_text="Chaque erreur telle que montrée (ligne, colonne, message).")
    motif_echec = models.TextField(blank=True)
    termine_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "import de fichier"
        verbose_name_plural = "imports de fichiers"
        ordering = ["-demande_le"]

    def __str__(self):
        return f"Import « {self.nom_fichier} » ({self.get_statut_display()})"

    @property
    def fini(self) -> bool:
        return self.statut in (self.Statut.TERMINE, self.Statut.ECHEC)
