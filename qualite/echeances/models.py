import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.db import models

from qualite.echeances.delais import Decompte
from qualite.organisation.models import Etablissement, Pole, Service
from qualite.organisation.roles import Role


@pghistory.track()
class RegleEcheance(models.Model):
    """A legal or internal deadline rule, kept as data: the single source of the delays the calendars
    use (qualite/echeances/delais.py). An administrator's edit is recorded (history, audit, who and when)."""

    code = models.SlugField(max_length=80, unique=True)
    module = models.CharField(max_length=40)
    libelle = models.CharField("libellé", max_length=255)
    base_legale = models.CharField("base légale", max_length=255, blank=True)
    a_verifier = models.BooleanField(
        "à vérifier",
        default=False,
        help_text="Règle non confirmée sur le texte en vigueur : affichée comme telle aux utilisateurs.",
    )
    delai = models.DurationField("délai", null=True, blank=True)
    delai_mois = models.SmallIntegerField("délai en mois", null=True, blank=True,
                                          help_text="Négatif : avant la date de départ (ex. −3 : trois mois avant le terme).")
    paliers_mois = ArrayField(models.PositiveSmallIntegerField(), verbose_name="périodes successives (mois)",
                              default=list, blank=True, help_text="Le dernier se répète (ex. 1, 3, 6).")
    decompte = models.CharField("décompte", max_length=20, choices=Decompte.CHOIX, default=Decompte.JOURS)
    delai_legal = models.CharField("délai de la loi", max_length=80, blank=True,
                                   help_text="La valeur du texte ou de l'objectif, tenue par le code.")
    alerte_avant = models.DurationField("alerter avant l'échéance", null=True, blank=True)
    satisfaite_par = models.CharField("satisfaite par", max_length=255, blank=True)
    roles = ArrayField(models.CharField(max_length=40, choices=Role.choices), verbose_name="rôles concernés", default=list)
    modifiee_le = models.DateTimeField("délai modifié le", null=True, blank=True)
    modifiee_par = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="délai modifié par", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    motif_modification = models.CharField("motif de la modification", max_length=255, blank=True)

    class Meta:
        verbose_name = "règle d'échéance"
        verbose_name_plural = "règles d'échéance"
        ordering = ["module", "libelle"]

    def __str__(self):
        return self.libelle

    @property
    def statut_juridique(self):
        return "à vérifier" if self.a_verifier else "confirmée"

    @property
    def delai_texte(self) -> str:
        from qualite.echeances import delais

        return delais.texte(delais.de_regle(self), self.decompte)

    @property
    def modifiee_localement(self) -> bool:
        """Whether the delay in force differs from the law's (or the internal target's) value."""
        return bool(self.delai_legal) and self.delai_texte != self.delai_legal


class EcheanceQuerySet(models.QuerySet):
    def avec_statut(self, maintenant=None):
        from qualite.echeances.moteur import annoter_statut

        return annoter_statut(self, maintenant)

    def ouvertes(self):
        return self.filter(satisfaite_le__isnull=True, sans_objet=False)


@pghistory.track()
class Echeance(models.Model):
    """One deadline of one record. Status is derived, never stored."""

    class Statut(models.TextChoices):
        A_VENIR = "a_venir", "À venir"
        DU_AUJOURDHUI = "du_aujourdhui", "Dû aujourd'hui"
        EN_RETARD = "en_retard", "En retard"
        SATISFAIT = "satisfait", "Satisfait"
        SANS_OBJET = "sans_objet", "Sans objet"

    regle = models.ForeignKey(RegleEcheance, verbose_name="règle", on_delete=models.PROTECT, related_name="echeances")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    objet = GenericForeignKey("content_type", "object_id")
    cle = models.CharField(
        "clé", max_length=80, help_text="Distingue plusieurs échéances d'une même règle pour un objet (ex. période n° 3)."
    )
    reference = models.CharField("référence", max_length=120, help_text="Référence non nominative de l'objet.")
    url = models.CharField(max_length=255, blank=True)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Unit of the record, for roles that reach one unit only (a psychiatrist's deadlines).
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="echeances"
    )
    echeance = models.DateTimeField("échéance", db_index=True)
    debut_compte = models.CharField("point de départ", max_length=255, blank=True)
    delai_applique = models.CharField("délai appliqué", max_length=80, blank=True,
                                      help_text="Le délai de la règle lors du dernier calcul de cette échéance.")
    satisfaite_le = models.DateTimeField("satisfaite le", null=True, blank=True)
    satisfaite_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sans_objet = models.BooleanField(default=False)
    motif_sans_objet = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EcheanceQuerySet.as_manager()

    class Meta:
        verbose_name = "échéance"
        ordering = ["echeance"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "regle", "cle"], name="echeance_unique_par_objet"),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # Daily views read open deadlines only: a partial index keeps them small at any volume.
            models.Index(fields=["content_type", "echeance"], condition=models.Q(sans_objet=False, satisfaite_le__isnull=True),
                         name="echeance_ouverte_idx"),
        ]

    def __str__(self):
        return f"{self.regle.libelle} — {self.reference}"

    def statut_a(self, maintenant=None):
        from qualite.echeances.moteur import statut_de

        return statut_de(self, maintenant)

    @property
    def statut(self):
        return self.statut_a()

    @property
    def statut_libelle(self):
        # Lists annotate statut_calcule in SQL; a single object computes it.
        return self.Statut(getattr(self, "statut_calcule", None) or self.statut).label


class DigestEnvoye(models.Model):
    """One morning digest per user and Paris day, whatever the number of beat processes or retries:
    the row is written in the transaction that sends the mail (qualite/echeances/tasks.py)."""

    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    jour = models.DateField()
    envoye_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "courriel du matin envoyé"
        constraints = [models.UniqueConstraint(fields=["utilisateur", "jour"], name="digest_un_par_jour")]

    def __str__(self):
        return f"{self.utilisateur} — {self.jour:%d/%m/%Y}"
