import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from qualite.organisation.models import Etablissement, Horodatage, Pole, Service
from qualite.organisation.rattachement import erreurs_de_rattachement
from qualite.outils import tableaux
from qualite.outils.dates import dans_le_futur

# What the programme's search reads.
CHAMPS_RECHERCHE = ("titre", "description")


@pghistory.track()
class ActionAmelioration(Horodatage):
    """A PAQSS action. Every module raises its actions here, linked to their source record."""

    class Statut(models.TextChoices):
        A_PLANIFIER = "a_planifier", "À planifier"
        EN_COURS = "en_cours", "En cours"
        REALISEE = "realisee", "Réalisée"
        ABANDONNEE = "abandonnee", "Abandonnée"

    STATUTS_OUVERTS = (Statut.A_PLANIFIER, Statut.EN_COURS)

    class Priorite(models.TextChoices):
        HAUTE = "haute", "Haute"
        MOYENNE = "moyenne", "Moyenne"
        BASSE = "basse", "Basse"

    # The only moves a user may make; "en retard" is derived from the deadline, never stored.
    TRANSITIONS = {
        "a_planifier": ("en_cours", "abandonnee"),
        "en_cours": ("realisee", "abandonnee"),
        "realisee": (),
        "abandonnee": (),
    }

    class Origine(models.TextChoices):
        AXE = "axe", "Axe de la politique qualité"
        EVENEMENT = "evenement", "Évènement indésirable"
        ANALYSE = "analyse", "Analyse approfondie"
        REVUE = "revue", "RMM / CREX / REMED"
        RECLAMATION = "reclamation", "Réclamation"
        CDU = "cdu", "Recommandation de la CDU"
        EVALUATION = "evaluation", "Évaluation"
        AUDIT = "audit", "Audit"
        EPP = "epp", "EPP"
        CERTIFICATION = "certification", "Constat de certification"
        RISQUE = "risque", "Cartographie des risques"
        ESPACE = "espace", "Espace d'échanges du service"

    titre = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    origine = models.CharField(max_length=20, choices=Origine.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="actions")
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    echeance = models.DateField("échéance", null=True, blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.A_PLANIFIER)
    avancement = models.PositiveSmallIntegerField("avancement (%)", default=0)
    motif_abandon = models.CharField(max_length=255, blank=True)
    priorite = models.CharField("priorité", max_length=10, choices=Priorite.choices, default=Priorite.MOYENNE)
    realisee_le = models.DateTimeField("réalisée le", null=True, blank=True)
    preuves = models.TextField(
        "preuves", blank=True, help_text="Ce qui montre que l'action est faite : document, compte rendu, lien..."
    )
    verification_efficacite = models.TextField("vérification de l'efficacité", blank=True)
    efficace = models.BooleanField("efficace", null=True, blank=True)
    verifiee_le = models.DateField("efficacité vérifiée le", null=True, blank=True)

    class Meta:
        verbose_name = "action d'amélioration"
        verbose_name_plural = "actions d'amélioration"
        ordering = ["echeance", "id"]
        indexes = [models.Index(fields=["source_type", "source_id"]),
                   tableaux.index_recherche("action_recherche_idx", CHAMPS_RECHERCHE)]
        constraints = [
            models.CheckConstraint(condition=models.Q(avancement__lte=100), name="action_avancement_max_100"),
            models.CheckConstraint(
                condition=~models.Q(statut="abandonnee") | ~models.Q(motif_abandon=""),
                name="action_abandon_motive",
            ),
        ]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("qualite:action_detail", args=[self.pk])

    @property
    def reference_audit(self):
        return f"Action PAQSS n° {self.pk}"

    def transitions_possibles(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.statut, ())

    def clean(self):
        super().clean()
        erreurs = erreurs_de_rattachement(self.etablissement_id, pole=self.pole if self.pole_id else None,
                                          service=self.service if self.service_id else None)
        if self.avancement is not None and self.avancement > 100:
            erreurs["avancement"] = "L'avancement va de 0 à 100 %."
        if self.efficace is not None and self.statut != self.Statut.REALISEE:
            erreurs["efficace"] = "L'efficacité se vérifie sur une action réalisée."
        if self.efficace is not None and not self.verifiee_le:
            erreurs["verifiee_le"] = "Indiquez la date de la vérification d'efficacité."
        if dans_le_futur(self.verifiee_le):
            erreurs["verifiee_le"] = "La date de vérification ne peut pas être dans le futur."
        if erreurs:
            raise ValidationError(erreurs)

    @classmethod
    def q_ouvertes(cls) -> models.Q:
        return models.Q(statut__in=cls.STATUTS_OUVERTS)

    @classmethod
    def q_en_retard(cls, jour=None) -> models.Q:
        """The same rule as en_retard, for SQL filters and counts."""
        return cls.q_ouvertes() & models.Q(echeance__lt=jour or timezone.localdate())

    @property
    def en_retard(self):
        return self.statut in self.STATUTS_OUVERTS and self.echeance is not None and self.echeance < timezone.localdate()
