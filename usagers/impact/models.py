"""What the users' representatives bring (seed 004): impact questionnaires answered before and after by a
cohort of volunteer representatives, and the bientraitance self-assessment of the services
(docs/impact-representants.md). Questionnaires and grids are reference data (usagers/impact/donnees/)."""

import pghistory
from django.db import models
from django.utils import timezone

from qualite.organisation.models import Etablissement, Horodatage, Service
from qualite.paqss.models import ActionAmelioration
from usagers.relations.models import MembreCDU

# ---- the reference grids (copied from donnees/*.json after every migrate) ------------------------------


class Grille(models.Model):
    """A questionnaire or self-assessment grid: themes, items, and the scale every item is answered on."""

    class Type(models.TextChoices):
        IMPACT = "impact", "Questionnaire d'impact des représentants des usagers"
        BIENTRAITANCE = "bientraitance", "Auto-évaluation de la bientraitance"

    code = models.CharField(max_length=40, unique=True)
    type = models.CharField(max_length=20, choices=Type.choices)
    titre = models.CharField(max_length=255)
    source = models.TextField(blank=True)
    # [[valeur, libellé], ...] in increasing order: the answer's value is the stored integer
    echelle = models.JSONField(default=list)
    # Bientraitance: a theme scoring under this (out of 100) is a weak point
    seuil = models.PositiveSmallIntegerField("seuil d'un point faible (sur 100)", default=50)

    class Meta:
        ordering = ["type", "code"]
        verbose_name = "grille (questionnaire ou auto-évaluation)"

    def __str__(self):
        return self.titre

    @property
    def valeur_max(self) -> int:
        return max(v for v, _ in self.echelle)


class ThemeGrille(models.Model):
    grille = models.ForeignKey(Grille, on_delete=models.PROTECT, related_name="themes")
    numero = models.PositiveSmallIntegerField()
    titre = models.CharField(max_length=255)

    class Meta:
        ordering = ["grille", "numero"]
        verbose_name = "thème"
        constraints = [models.UniqueConstraint(fields=["grille", "numero"], name="impact_theme_unique")]

    def __str__(self):
        return f"{self.numero}. {self.titre}"


class ItemGrille(models.Model):
    """A question (impact) or a criterion (bientraitance)."""

    theme = models.ForeignKey(ThemeGrille, on_delete=models.PROTECT, related_name="items")
    numero = models.CharField(max_length=10)
    texte = models.TextField()

    class Meta:
        ordering = ["theme__numero", "id"]
        verbose_name = "question ou critère"
        constraints = [models.UniqueConstraint(fields=["theme", "numero"], name="impact_item_unique")]

    def __str__(self):
        return f"{self.numero} {self.texte[:80]}"


# ---- impact campaigns: a cohort, a measure before and a measure after ------------------------------------


class Temps(models.TextChoices):
    AVANT = "avant", "Mesure avant"
    APRES = "apres", "Mesure après"


@pghistory.track()
class CampagneImpact(Horodatage):
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    titre = models.CharField(max_length=200)
    grille = models.ForeignKey(Grille, on_delete=models.PROTECT, related_name="+",
                               limit_choices_to={"type": Grille.Type.IMPACT}, verbose_name="questionnaire")
    cohorte = models.ManyToManyField(MembreCDU, blank=True, related_name="campagnes_impact",
                                     verbose_name="cohorte de représentants volontaires")
    avant_le = models.DateField("mesure avant le")
    avant_close_le = models.DateField("mesure avant close le", null=True, blank=True)
    apres_le = models.DateField("mesure après le")
    apres_close_le = models.DateField("mesure après close le", null=True, blank=True)

    class Meta:
        verbose_name = "campagne de mesure d'impact"
        ordering = ["-avant_le", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(apres_le__gt=models.F("avant_le")),
                                              name="impact_apres_apres_avant")]

    def __str__(self):
        return self.titre

    def date_de(self, temps: str):
        return self.avant_le if temps == Temps.AVANT else self.apres_le

    def close_le(self, temps: str):
        return self.avant_close_le if temps == Temps.AVANT else self.apres_close_le

    def ouverte(self, temps: str, jour=None) -> bool:
        """Answers are taken from the measure's date until the measure is closed."""
        jour = jour or timezone.localdate()
        return self.close_le(temps) is None and jour >= self.date_de(temps)


@pghistory.track()
class ReponsesImpact(Horodatage):
    """One representative's answers at one measure; only they see and change them, until the measure closes."""

    campagne = models.ForeignKey(CampagneImpact, on_delete=models.PROTECT, related_name="reponses")
    membre = models.ForeignKey(MembreCDU, on_delete=models.PROTECT, related_name="+")
    temps = models.CharField(max_length=10, choices=Temps.choices)

    class Meta:
        verbose_name = "réponses au questionnaire d'impact"
        constraints = [models.UniqueConstraint(fields=["campagne", "membre", "temps"], name="impact_reponses_unique")]

    def __str__(self):
        return f"{self.campagne} — {self.get_temps_display()} — {self.membre.nom}"


class ValeurImpact(models.Model):
    reponses = models.ForeignKey(ReponsesImpact, on_delete=models.CASCADE, related_name="valeurs")
    item = models.ForeignKey(ItemGrille, on_delete=models.PROTECT, related_name="+")
    valeur = models.SmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reponses", "item"], name="impact_valeur_unique")]

    def __str__(self):
        return f"{self.item.numero} : {self.valeur}"


# ---- bientraitance self-assessment, per service and per year --------------------------------------------


@pghistory.track()
class CampagneBientraitance(Horodatage):
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    annee = models.PositiveSmallIntegerField("année")
    grille = models.ForeignKey(Grille, on_delete=models.PROTECT, related_name="+",
                               limit_choices_to={"type": Grille.Type.BIENTRAITANCE})
    participants = models.TextField("équipe ayant répondu (fonctions)", blank=True)

    class Meta:
        verbose_name = "auto-évaluation de la bientraitance"
        ordering = ["-annee", "service__nom"]
        constraints = [models.UniqueConstraint(fields=["service", "annee", "grille"], name="bientraitance_unique")]

    def __str__(self):
        return f"Bientraitance {self.annee} — {self.service}"

    @property
    def pole_id(self):
        return self.service.pole_id


class ReponseBientraitance(models.Model):
    campagne = models.ForeignKey(CampagneBientraitance, on_delete=models.CASCADE, related_name="reponses")
    item = models.ForeignKey(ItemGrille, on_delete=models.PROTECT, related_name="+")
    valeur = models.SmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campagne", "item"], name="bientraitance_reponse_unique")]

    def __str__(self):
        return f"{self.item.numero} : {self.valeur}"


class ActionBientraitance(models.Model):
    """A weak theme turned into a PAQSS action: once per campaign and theme (a double click finds it)."""

    campagne = models.ForeignKey(CampagneBientraitance, on_delete=models.PROTECT, related_name="actions")
    theme = models.ForeignKey(ThemeGrille, on_delete=models.PROTECT, related_name="+")
    action = models.ForeignKey(ActionAmelioration, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campagne", "theme"], name="bientraitance_action_unique")]

    def __str__(self):
        return f"{self.campagne} — {self.theme} — {self.action}"
