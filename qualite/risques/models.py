"""The a-priori risk map: risks per process and family, each scored on dated scorings kept forever (the
map at a date reads the latest scoring on or before it), linked to PAQSS actions and to the adverse events
that realised them. Scales and thresholds are data (referentiels.py seeds them, the admin edits them).

The process and the events live in domain apps: they are referenced by label only, never imported here."""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.urls import reverse

from qualite.organisation.models import Etablissement, Horodatage, Pole, Service
from qualite.organisation.rattachement import erreurs_de_rattachement
from qualite.outils import tableaux


class Echelle(models.TextChoices):
    FREQUENCE = "frequence", "Fréquence"
    GRAVITE = "gravite", "Gravité"
    MAITRISE = "maitrise", "Maîtrise"


class NiveauEchelle(models.Model):
    """One level of a scale. A scale of 4 levels is a scale whose level 5 is missing; the weight only
    matters for the maîtrise (criticité résiduelle = criticité brute × weight)."""

    echelle = models.CharField("échelle", max_length=10, choices=Echelle.choices)
    valeur = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    libelle = models.CharField("libellé", max_length=80)
    description = models.CharField(max_length=255, blank=True)
    poids = models.DecimalField("coefficient", max_digits=4, decimal_places=2, default=Decimal("1.00"),
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
                                help_text="Maîtrise seulement : la criticité résiduelle est la criticité brute "
                                          "multipliée par ce coefficient (0 à 1).")

    class Meta:
        verbose_name = "niveau d'échelle"
        verbose_name_plural = "niveaux des échelles de cotation"
        ordering = ["echelle", "valeur"]
        constraints = [
            models.UniqueConstraint(fields=["echelle", "valeur"], name="niveau_echelle_unique"),
            models.CheckConstraint(condition=models.Q(valeur__gte=1, valeur__lte=10), name="niveau_valeur_1_10"),
            models.CheckConstraint(condition=models.Q(poids__gte=0, poids__lte=1), name="niveau_poids_0_1"),
        ]

    def __str__(self):
        return f"{self.valeur} — {self.libelle}"


class ReglagesRisques(models.Model):
    """Thresholds of the map (one row): zones of the criticité, and the alert « many events, low score »."""

    seuil_a_surveiller = models.DecimalField("criticité « à surveiller » à partir de", max_digits=5,
                                             decimal_places=2, default=Decimal("6"))
    seuil_inacceptable = models.DecimalField("criticité « inacceptable » à partir de", max_digits=5,
                                             decimal_places=2, default=Decimal("12"))
    alerte_evenements = models.PositiveSmallIntegerField(
        "alerte à partir de (évènements confirmés)", default=3, validators=[MinValueValidator(1)],
        help_text="Un risque coté en zone acceptable mais réalisé au moins ce nombre de fois est signalé.")
    alerte_mois = models.PositiveSmallIntegerField("sur (mois glissants)", default=12,
                                                   validators=[MinValueValidator(1), MaxValueValidator(120)])
    suggestions_mois = models.PositiveSmallIntegerField(
        "évènements examinés pour les suggestions (mois)", default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)])

    class Meta:
        verbose_name = "réglages de la cartographie des risques"
        verbose_name_plural = "réglages de la cartographie des risques"

    def __str__(self):
        return (f"À surveiller ≥ {self.seuil_a_surveiller}, inacceptable ≥ {self.seuil_inacceptable} ; alerte : "
                f"{self.alerte_evenements} évènements en {self.alerte_mois} mois")

    def clean(self):
        if self.seuil_a_surveiller is not None and self.seuil_inacceptable is not None \
                and self.seuil_a_surveiller >= self.seuil_inacceptable:
            raise ValidationError({"seuil_inacceptable": "Le seuil « inacceptable » doit dépasser le seuil « à surveiller »."})

    @classmethod
    def courants(cls) -> "ReglagesRisques":
        return cls.objects.order_by("pk").first() or cls()

    def zone(self, criticite) -> str | None:
        if criticite is None:
            return None
        if criticite >= self.seuil_inacceptable:
            return "inacceptable"
        if criticite >= self.seuil_a_surveiller:
            return "a_surveiller"
        return "acceptable"


ZONES = {"acceptable": "Acceptable", "a_surveiller": "À surveiller", "inacceptable": "Inacceptable"}


@pghistory.track()
class FamilleRisque(Horodatage):
    """A family of risks, configured by each établissement. Its event types drive the suggestions."""

    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    libelle = models.CharField("libellé", max_length=120)
    description = models.TextField(blank=True)
    types_evenement = models.ManyToManyField(
        "evenements.TypeEvenement", verbose_name="types d'évènement rattachés", blank=True, related_name="+",
        help_text="Un évènement de l'un de ces types propose les risques de la famille.")
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "famille de risques"
        verbose_name_plural = "familles de risques"
        ordering = ["libelle"]
        constraints = [models.UniqueConstraint(fields=["etablissement", "libelle"], name="famille_risque_unique")]

    def __str__(self):
        return self.libelle


class RisqueQuerySet(models.QuerySet):
    def presents_le(self, jour):
        """Risks on the map at `jour`: not yet archived that day."""
        return self.filter(models.Q(archive_le__isnull=True) | models.Q(archive_le__gt=jour))


# What the register's search reads (the reference RSQ-n is the id, found apart).
CHAMPS_RECHERCHE = ("titre", "description", "barrieres")


@pghistory.track()
class Risque(Horodatage):
    PREFIXE = "RSQ-"

    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT,
                                      related_name="+")
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    processus = models.ForeignKey("certification.Processus", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    famille = models.ForeignKey(FamilleRisque, on_delete=models.PROTECT, related_name="risques")
    titre = models.CharField("risque", max_length=255)
    description = models.TextField("description (causes, conséquences)", blank=True)
    pilote = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    barrieres = models.TextField("barrières existantes", blank=True,
                                 help_text="Prévention, récupération, atténuation déjà en place.")
    archive_le = models.DateField("archivé le", null=True, blank=True,
                                  help_text="À partir de cette date, le risque ne figure plus sur la cartographie.")

    objects = RisqueQuerySet.as_manager()

    class Meta:
        verbose_name = "risque"
        ordering = ["titre", "id"]
        indexes = [models.Index(fields=["etablissement", "famille"]),
                   tableaux.index_recherche("risque_recherche_idx", CHAMPS_RECHERCHE)]

    def __str__(self):
        return self.titre

    @property
    def reference(self) -> str:
        return f"{self.PREFIXE}{self.pk}"

    @property
    def reference_audit(self):
        return f"Risque {self.reference}"

    def get_absolute_url(self):
        return reverse("risques:detail", args=[self.pk])

    def clean(self):
        super().clean()
        erreurs = erreurs_de_rattachement(self.etablissement_id, pole=self.pole if self.pole_id else None,
                                          service=self.service if self.service_id else None)
        if self.famille_id and self.etablissement_id and self.famille.etablissement_id != self.etablissement_id:
            erreurs["famille"] = "Cette famille est celle d'un autre établissement."
        if self.processus_id and self.etablissement_id and self.processus.etablissement_id != self.etablissement_id:
            erreurs["processus"] = "Ce processus est celui d'un autre établissement."
        if erreurs:
            raise ValidationError(erreurs)


class Cotation(models.Model):
    """A dated scoring. Never edited: a new scoring is a new row, the previous ones are the map's history.
    The weight of the maîtrise level is copied, so a later change of the scale leaves past scores intact."""

    risque = models.ForeignKey(Risque, on_delete=models.PROTECT, related_name="cotations")
    date = models.DateField("date de la cotation")
    frequence = models.PositiveSmallIntegerField("fréquence", validators=[MinValueValidator(1), MaxValueValidator(10)])
    gravite = models.PositiveSmallIntegerField("gravité", validators=[MinValueValidator(1), MaxValueValidator(10)])
    maitrise = models.PositiveSmallIntegerField("maîtrise", validators=[MinValueValidator(1), MaxValueValidator(10)])
    poids_maitrise = models.DecimalField("coefficient de maîtrise", max_digits=4, decimal_places=2)
    criticite_brute = models.GeneratedField(expression=F("frequence") * F("gravite"),
                                            output_field=models.PositiveSmallIntegerField("criticité brute"),
                                            db_persist=True)
    criticite_residuelle = models.GeneratedField(
        expression=F("frequence") * F("gravite") * F("poids_maitrise"),
        output_field=models.DecimalField("criticité résiduelle", max_digits=7, decimal_places=2), db_persist=True)
    commentaire = models.TextField(blank=True)
    created_at = models.DateTimeField("enregistrée le", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="par", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")

    class Meta:
        verbose_name = "cotation"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["risque", "-date", "-id"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(frequence__gte=1, frequence__lte=10, gravite__gte=1,
                                                      gravite__lte=10, maitrise__gte=1, maitrise__lte=10),
                                   name="cotation_niveaux_1_10"),
            models.CheckConstraint(condition=models.Q(poids_maitrise__gte=0, poids_maitrise__lte=1),
                                   name="cotation_poids_0_1"),
        ]

    def __str__(self):
        return f"{self.risque} : {self.frequence} × {self.gravite} le {self.date:%d/%m/%Y}"

    @property
    def brute(self) -> int:
        """The computed values before the row is read back from the database."""
        return self.frequence * self.gravite

    @property
    def residuelle(self) -> Decimal:
        return (Decimal(self.brute) * self.poids_maitrise).quantize(Decimal("0.01"))


class RisqueAction(models.Model):
    """A PAQSS action that reduces a risk, whatever the action's origin (an event's, an audit's, the risk's)."""

    risque = models.ForeignKey(Risque, on_delete=models.PROTECT, related_name="liens_actions")
    action = models.ForeignKey("paqss.ActionAmelioration", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = "action du risque"
        verbose_name_plural = "actions des risques"
        constraints = [models.UniqueConstraint(fields=["risque", "action"], name="risque_action_unique")]

    def __str__(self):
        return f"{self.risque_id} ↔ action {self.action_id}"


class RisqueEvenement(Horodatage):
    """An adverse event that realised a risk: suggested by the rule, then confirmed or set aside by the risk
    manager. A set-aside suggestion stays (it is not proposed again)."""

    class Statut(models.TextChoices):
        SUGGERE = "suggere", "Suggéré"
        CONFIRME = "confirme", "Confirmé"
        ECARTE = "ecarte", "Écarté"

    risque = models.ForeignKey(Risque, on_delete=models.PROTECT, related_name="liens_evenements")
    evenement = models.ForeignKey("evenements.EvenementIndesirable", verbose_name="évènement",
                                  on_delete=models.PROTECT, related_name="+")
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.SUGGERE)
    motif = models.CharField("motif de la suggestion", max_length=255, blank=True)
    confirme_par = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="décidé par", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    confirme_le = models.DateTimeField("décidé le", null=True, blank=True)

    class Meta:
        verbose_name = "évènement du risque"
        verbose_name_plural = "évènements des risques"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["risque", "evenement"], name="risque_evenement_unique"),
            models.CheckConstraint(condition=models.Q(statut="suggere") | models.Q(confirme_le__isnull=False),
                                   name="risque_evenement_decision_datee"),
        ]

    def __str__(self):
        return f"{self.risque_id} ↔ évènement {self.evenement_id} ({self.get_statut_display()})"
