"""Service quality meeting spaces (« espaces d'échanges », seed 003): the space and its binôme, its yearly
calendar of meetings, each meeting's agenda, attendance, minutes and decisions (docs/espaces-echanges.md)."""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from qualite.organisation.models import Etablissement, Horodatage, Pole, Service


@pghistory.track()
class EspaceEchanges(Horodatage):
    nom = models.CharField(max_length=200)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT,
                                      related_name="+")
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, related_name="+")
    services = models.ManyToManyField(Service, blank=True, related_name="+", verbose_name="services",
                                      help_text="Aucun : l'espace couvre tout le pôle.")
    binome_medecin = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="médecin du binôme",
                                       on_delete=models.PROTECT, related_name="+")
    binome_cadre = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="cadre du binôme",
                                     on_delete=models.PROTECT, related_name="+")
    membres = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="membres")
    charte = models.ForeignKey("documents.Document", verbose_name="charte de fonctionnement", on_delete=models.PROTECT,
                               null=True, blank=True, related_name="+")
    lettre_missions = models.ForeignKey("documents.Document", verbose_name="lettre de missions du binôme",
                                        on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "espace d'échanges"
        verbose_name_plural = "espaces d'échanges"
        ordering = ["nom", "id"]

    def __str__(self):
        return self.nom

    def get_absolute_url(self):
        return reverse("espaces:detail", args=[self.pk])

    @property
    def reference_audit(self):
        return f"Espace d'échanges n° {self.pk} ({self.nom[:80]})"

    def clean(self):
        super().clean()
        if self.pole_id and self.etablissement_id and self.pole.etablissement_id != self.etablissement_id:
            raise ValidationError({"pole": "Ce pôle n'appartient pas à l'établissement choisi."})
        if self.binome_medecin_id and self.binome_medecin_id == self.binome_cadre_id:
            raise ValidationError({"binome_cadre": "Le binôme réunit deux personnes : un médecin et un cadre."})

    def q_services(self, *, service: str = "service_id", pole: str = "pole_id") -> models.Q:
        """Records of this space's services (of its whole pôle when it names none)."""
        ids = [s.pk for s in self.services.all()]
        return models.Q(**{f"{service}__in": ids}) if ids else models.Q(**{pole: self.pole_id})


@pghistory.track()
class SuccesEspace(Horodatage):
    """A success the team wants to share: one of the agenda's sources."""

    espace = models.ForeignKey(EspaceEchanges, on_delete=models.PROTECT, related_name="succes")
    date = models.DateField()
    titre = models.CharField(max_length=255)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = "succès"
        verbose_name_plural = "succès"
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.titre


@pghistory.track()
class ReunionEspace(Horodatage):
    class Statut(models.TextChoices):
        PREVUE = "prevue", "Prévue"
        TENUE = "tenue", "Tenue"
        ANNULEE = "annulee", "Annulée"

    espace = models.ForeignKey(EspaceEchanges, on_delete=models.PROTECT, related_name="reunions")
    date = models.DateField("date prévue")
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.PREVUE)
    motif_annulation = models.CharField("motif de l'annulation", max_length=255, blank=True)
    compte_rendu = models.TextField("compte rendu", blank=True)
    compte_rendu_valide_le = models.DateTimeField("compte rendu validé le", null=True, blank=True)
    compte_rendu_valide_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                                blank=True, related_name="+", verbose_name="compte rendu validé par")

    class Meta:
        verbose_name = "réunion d'un espace d'échanges"
        verbose_name_plural = "réunions des espaces d'échanges"
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["espace", "date"], condition=~models.Q(statut="annulee"),
                                    name="reunion_espace_date_unique"),
            models.CheckConstraint(condition=~models.Q(statut="annulee") | ~models.Q(motif_annulation=""),
                                   name="reunion_annulation_motivee"),
        ]

    def __str__(self):
        return f"Réunion du {self.date:%d/%m/%Y} — {self.espace}"

    def get_absolute_url(self):
        return reverse("espaces:reunion", args=[self.pk])

    @property
    def reference_audit(self):
        return f"Réunion n° {self.pk} de l'espace d'échanges n° {self.espace_id}"

    @property
    def etablissement_id(self):
        return self.espace.etablissement_id

    @property
    def modifiable(self) -> bool:
        return self.statut != self.Statut.ANNULEE and self.compte_rendu_valide_le is None


@pghistory.track()
class ElementOrdreDuJour(Horodatage):
    """One agenda item: drawn from a register (source, reference) or added by the binôme (source « libre »)."""

    reunion = models.ForeignKey(ReunionEspace, on_delete=models.PROTECT, related_name="elements")
    source = models.CharField(max_length=40)
    reference = models.CharField("référence", max_length=80, blank=True)
    titre = models.CharField(max_length=255)
    resume = models.TextField("résumé", blank=True)
    ordre = models.PositiveIntegerField(default=100)
    retire_le = models.DateTimeField("retiré le", null=True, blank=True)
    retire_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="retiré par")

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "points de l'ordre du jour"
        ordering = ["ordre", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reunion", "source", "reference"], condition=~models.Q(reference=""),
                                    name="element_odj_unique"),
        ]

    def __str__(self):
        return self.titre


class PresenceReunion(models.Model):
    class Qualite(models.TextChoices):
        MEMBRE = "membre", "Membre de l'espace"
        REPRESENTANT = "representant_usagers", "Représentant des usagers invité"
        PATIENT_PARTENAIRE = "patient_partenaire", "Patient partenaire invité"
        INVITE = "invite", "Autre invité"

    class Statut(models.TextChoices):
        PRESENT = "present", "Présent"
        EXCUSE = "excuse", "Excusé"

    reunion = models.ForeignKey(ReunionEspace, on_delete=models.PROTECT, related_name="presences")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    nom = models.CharField("nom (sans compte)", max_length=200, blank=True)
    qualite = models.CharField("qualité", max_length=30, choices=Qualite.choices, default=Qualite.MEMBRE)
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.PRESENT)

    class Meta:
        verbose_name = "présence"
        ordering = ["qualite", "id"]
        constraints = [
            models.UniqueConstraint(fields=["reunion", "utilisateur"], condition=models.Q(utilisateur__isnull=False),
                                    name="presence_unique"),
            models.CheckConstraint(condition=models.Q(utilisateur__isnull=False) | ~models.Q(nom=""),
                                   name="presence_nommee"),
        ]

    def __str__(self):
        return str(self.utilisateur or self.nom)


@pghistory.track()
class DecisionReunion(Horodatage):
    reunion = models.ForeignKey(ReunionEspace, on_delete=models.PROTECT, related_name="decisions")
    texte = models.TextField("décision")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    responsable = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    echeance = models.DateField("échéance", null=True, blank=True)
    action = models.ForeignKey("paqss.ActionAmelioration", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")

    class Meta:
        verbose_name = "décision"
        ordering = ["id"]

    def __str__(self):
        return self.texte[:80]

    def get_absolute_url(self):
        return reverse("espaces:reunion", args=[self.reunion_id])

    @property
    def etablissement_id(self):
        return self.reunion.espace.etablissement_id
