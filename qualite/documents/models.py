"""The quality document system: documents, their versions and workflow, diffusion and acknowledgements,
links to certification criteria and PAQSS actions. Versions are never deleted: a new diffused version
archives the previous one."""

import uuid

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from qualite.organisation.models import Etablissement, Horodatage, Pole, Service
from qualite.organisation.rattachement import erreurs_de_rattachement
from qualite.organisation.roles import Role
from qualite.pieces.stockage import stockage

# PostgreSQL text search configuration created by the migration: French stemming, accents removed.
CONFIG_RECHERCHE = "fr_unaccent"


@pghistory.track()
class Document(Horodatage):
    class Type(models.TextChoices):
        PROCEDURE = "procedure", "Procédure"
        PROTOCOLE = "protocole", "Protocole"
        FORMULAIRE = "formulaire", "Formulaire"
        CHARTE = "charte", "Charte"

    titre = models.CharField(max_length=255)
    type = models.CharField(max_length=20, choices=Type.choices)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT,
                                      related_name="+")
    service = models.ForeignKey(Service, verbose_name="service émetteur", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    proprietaire = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="propriétaire", on_delete=models.PROTECT,
                                     related_name="+")
    date_revision = models.DateField("date de révision", null=True, blank=True,
                                     help_text="Date à laquelle le document doit être relu et mis à jour.")
    # Denormalised from its latest version by the services, for the list's filter.
    statut = models.CharField(max_length=20, default="redaction", editable=False)

    class Meta:
        verbose_name = "document qualité"
        verbose_name_plural = "documents qualité"
        ordering = ["titre", "id"]

    def __str__(self):
        return self.titre

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("documents:detail", args=[self.pk])

    @property
    def reference_audit(self):
        return f"Document qualité n° {self.pk} ({self.titre[:80]})"

    @property
    def statut_libelle(self):
        return VersionDocument.Statut(self.statut).label if self.statut in VersionDocument.Statut.values else "—"

    def clean(self):
        super().clean()
        erreurs = erreurs_de_rattachement(self.etablissement_id, service=self.service if self.service_id else None)
        if erreurs:
            raise ValidationError(erreurs)


def chemin_version(version, nom_origine: str) -> str:
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


@pghistory.track(exclude=["texte", "vecteur"])
class VersionDocument(Horodatage):
    """created_by: the writer (rédacteur). Each workflow step is also kept in EtapeVersion."""

    class Statut(models.TextChoices):
        REDACTION = "redaction", "En rédaction"
        VERIFICATION = "verification", "En vérification"
        APPROBATION = "approbation", "En approbation"
        APPROUVEE = "approuvee", "Approuvée, à diffuser"
        DIFFUSEE = "diffusee", "Diffusée"
        ARCHIVEE = "archivee", "Archivée"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    numero = models.PositiveIntegerField("n° de version")
    nom = models.CharField("nom du fichier", max_length=255)
    fichier = models.FileField(storage=stockage, upload_to=chemin_version, max_length=255)
    taille = models.PositiveBigIntegerField("taille (octets)")
    type_mime = models.CharField("type détecté", max_length=120)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.REDACTION)
    verifiee_par = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="vérifiée par", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    verifiee_le = models.DateTimeField("vérifiée le", null=True, blank=True)
    approuvee_par = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="approuvée par",
                                      on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approuvee_le = models.DateTimeField("approuvée le", null=True, blank=True)
    diffusee_par = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="diffusée par", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    diffusee_le = models.DateTimeField("diffusée le", null=True, blank=True)
    archivee_le = models.DateTimeField("archivée le", null=True, blank=True)
    # Diffusion targets: every active user of the document's établissement in one of these services or
    # pôles, or holding one of these roles, must acknowledge reading.
    cibles_services = models.ManyToManyField(Service, verbose_name="services destinataires", blank=True,
                                             related_name="+")
    cibles_poles = models.ManyToManyField(Pole, verbose_name="pôles destinataires", blank=True, related_name="+")
    cibles_roles = ArrayField(models.CharField(max_length=40, choices=Role.choices), verbose_name="rôles destinataires",
                              default=list, blank=True)
    texte = models.TextField("texte extrait", blank=True, editable=False)
    vecteur = SearchVectorField(null=True, editable=False)

    TRANSITIONS = {
        "redaction": ("verification",),
        "verification": ("approbation", "redaction"),
        "approbation": ("approuvee", "redaction"),
        "approuvee": ("diffusee",),
        "diffusee": ("archivee",),
        "archivee": (),
    }

    class Meta:
        verbose_name = "version de document"
        verbose_name_plural = "versions de documents"
        ordering = ["document", "-numero"]
        indexes = [GinIndex(fields=["vecteur"], name="documents_version_vecteur")]
        constraints = [
            models.UniqueConstraint(fields=["document", "numero"], name="documents_version_numero_unique"),
            # One diffused version per document at a time.
            models.UniqueConstraint(fields=["document"], condition=models.Q(statut="diffusee"),
                                    name="documents_une_version_diffusee"),
        ]

    def __str__(self):
        return f"{self.document.titre} — v{self.numero}"

    @property
    def reference_audit(self):
        return f"Document qualité n° {self.document_id}, version {self.numero}"

    @property
    def etablissement_id(self):
        return self.document.etablissement_id

    def transition_permise(self, vers: str) -> bool:
        return vers in self.TRANSITIONS.get(self.statut, ())


class EtapeVersion(models.Model):
    """One workflow step: who moved the version, from which status to which, when, and why."""

    version = models.ForeignKey(VersionDocument, on_delete=models.PROTECT, related_name="etapes")
    de = models.CharField(max_length=20, choices=VersionDocument.Statut.choices, blank=True)
    vers = models.CharField(max_length=20, choices=VersionDocument.Statut.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)
    commentaire = models.TextField(blank=True)

    class Meta:
        verbose_name = "étape du circuit"
        ordering = ["le", "id"]

    def __str__(self):
        return f"{self.get_de_display() or 'dépôt'} → {self.get_vers_display()}"


class AccuseLecture(models.Model):
    version = models.ForeignKey(VersionDocument, on_delete=models.PROTECT, related_name="accuses")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lu_le = models.DateTimeField("lu le", default=timezone.now)

    class Meta:
        verbose_name = "accusé de lecture"
        constraints = [models.UniqueConstraint(fields=["version", "utilisateur"], name="documents_accuse_unique")]

    def __str__(self):
        return f"Lu le {self.lu_le:%d/%m/%Y}"


class LienCritere(models.Model):
    """The document is evidence for a certification criterion."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="liens_criteres")
    critere = models.ForeignKey("certification.Critere", verbose_name="critère", on_delete=models.PROTECT,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "critere"], name="documents_lien_critere_unique")]

    def __str__(self):
        return f"{self.document} → critère {self.critere_id}"


class LienAction(models.Model):
    """The document is the source of a PAQSS action (kept here: the action's own source stays its record)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="liens_actions")
    action = models.ForeignKey("paqss.ActionAmelioration", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "action"], name="documents_lien_action_unique")]

    def __str__(self):
        return f"{self.document} → action {self.action_id}"
