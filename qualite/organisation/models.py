import hashlib
import secrets

import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from qualite.organisation.rattachement import erreurs_de_rattachement
from qualite.organisation.roles import Role


class Horodatage(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Optimistic locking (qualite/outils/revisions.py): +1 at each edit; a form loaded at another revision
    # is refused with the other user's values instead of silently overwriting them.
    revision = models.PositiveIntegerField("révision", default=1, editable=False)
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="modifié par", on_delete=models.PROTECT,
                                    null=True, blank=True, editable=False, related_name="+")

    class Meta:
        abstract = True


@pghistory.track()
class GHT(Horodatage):
    nom = models.CharField(max_length=200, unique=True)
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "GHT"
        verbose_name_plural = "GHT"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


@pghistory.track()
class Etablissement(Horodatage):
    ght = models.ForeignKey(GHT, verbose_name="GHT", on_delete=models.PROTECT, related_name="etablissements")
    nom = models.CharField(max_length=200)
    finess = models.CharField("n° FINESS", max_length=9, blank=True)
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "établissement"
        ordering = ["nom"]
        constraints = [models.UniqueConstraint(fields=["ght", "nom"], name="etablissement_nom_unique_par_ght")]

    def __str__(self):
        return self.nom


@pghistory.track()
class Pole(Horodatage):
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="poles")
    nom = models.CharField(max_length=200)
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "pôle"
        ordering = ["etablissement__nom", "nom"]
        constraints = [models.UniqueConstraint(fields=["etablissement", "nom"], name="pole_nom_unique_par_etablissement")]

    def __str__(self):
        return self.nom


@pghistory.track()
class Service(Horodatage):
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, related_name="services")
    nom = models.CharField(max_length=200)
    code = models.CharField(max_length=30, blank=True, help_text="Code de l'unité fonctionnelle, s'il existe.")
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "service"
        ordering = ["pole__nom", "nom"]
        constraints = [models.UniqueConstraint(fields=["pole", "nom"], name="service_nom_unique_par_pole")]

    def __str__(self):
        return self.nom

    @property
    def etablissement(self):
        return self.pole.etablissement


@pghistory.track(exclude=["password", "last_login", "jeton_ical_empreinte"])
class Utilisateur(AbstractUser):
    """A professional. Roles come from the catalogue; the scope from the organisation."""

    etablissements = models.ManyToManyField(
        Etablissement,
        verbose_name="établissements",
        blank=True,
        related_name="utilisateurs",
        help_text="Établissements dont l'utilisateur voit les données.",
    )
    perimetre_ght = models.BooleanField(
        "accès à tout le GHT",
        default=False,
        help_text="Voit les données de tous les établissements du GHT de ses établissements.",
    )
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, null=True, blank=True)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True)
    roles = ArrayField(
        models.CharField(max_length=40, choices=Role.choices),
        verbose_name="rôles",
        default=list,
        blank=True,
    )
    fonction = models.CharField(max_length=200, blank=True)
    # SHA-256 of the iCalendar token: the clear token is shown once to its owner, never stored.
    jeton_ical_empreinte = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        erreurs = erreurs_de_rattachement(None, pole=self.pole if self.pole_id else None,
                                          service=self.service if self.service_id else None)
        if erreurs:
            raise ValidationError(erreurs)
        unknown = set(self.roles) - set(Role.values)
        if unknown:
            raise ValidationError({"roles": f"Rôle inconnu : {', '.join(sorted(unknown))}."})

    def libelles_roles(self):
        return [Role(r).label for r in self.roles if r in Role.values]

    @staticmethod
    def empreinte_jeton(jeton: str) -> str:
        """256 random bits need no salt nor slow hash; a plain digest keeps the lookup indexed."""
        return hashlib.sha256(jeton.encode()).hexdigest()

    def nouveau_jeton_ical(self) -> str:
        """The clear token, for the one page that shows it; any previous link stops working."""
        jeton = secrets.token_urlsafe(32)
        self.jeton_ical_empreinte = self.empreinte_jeton(jeton)
        self.save(update_fields=["jeton_ical_empreinte"])
        return jeton


class AuditEntry(models.Model):
    """Who did what to which record, when and from where. Written by audit.tracer()."""

    class Action(models.TextChoices):
        LECTURE = "lecture", "Lecture"
        CREATION = "creation", "Création"
        MODIFICATION = "modification", "Modification"
        ARCHIVAGE = "archivage", "Archivage"
        EXPORT = "export", "Export"
        CONNEXION = "connexion", "Connexion"
        ECHEC_CONNEXION = "echec_connexion", "Échec de connexion"
        DECONNEXION = "deconnexion", "Déconnexion"

    horodatage = models.DateTimeField(default=timezone.now, db_index=True)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identifiant = models.CharField("identifiant saisi", max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    objet = models.CharField("objet", max_length=255, blank=True)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, null=True, blank=True)
    ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "entrée du journal d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-horodatage", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["utilisateur", "-horodatage"]),
        ]

    def __str__(self):
        return f"{self.horodatage:%d/%m/%Y %H:%M} {self.get_action_display()} {self.objet}"


class Compteur(models.Model):
    """Yearly numbering of human-readable references (EI-2026-00042)."""

    prefixe = models.CharField(max_length=10)
    annee = models.PositiveSmallIntegerField()
    valeur = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefixe", "annee"], name="compteur_unique")]

    def __str__(self):
        return f"{self.prefixe}-{self.annee} : {self.valeur}"

    @classmethod
    def prochaine_reference(cls, prefixe: str, annee: int) -> str:
        """Must run inside a transaction: the row lock serialises concurrent declarations."""
        cls.objects.get_or_create(prefixe=prefixe, annee=annee)
        compteur = cls.objects.select_for_update().get(prefixe=prefixe, annee=annee)
        compteur.valeur += 1
        compteur.save(update_fields=["valeur"])
        return f"{prefixe}-{annee}-{compteur.valeur:05d}"

    @classmethod
    def reserver(cls, prefixe: str, annee: int, *, nombre: int = 0, au_moins: int = 0) -> int:
        """Take `nombre` numbers at once, after moving the counter to at least `au_moins` (a number an
        import kept): returns the first number taken. One row update for a whole file, not one per row."""
        cls.objects.get_or_create(prefixe=prefixe, annee=annee)
        compteur = cls.objects.select_for_update().get(prefixe=prefixe, annee=annee)
        premier = max(compteur.valeur, au_moins) + 1
        compteur.valeur = premier - 1 + nombre
        compteur.save(update_fields=["valeur"])
        return premier


class CreationUnique(models.Model):
    """The one-time key a creation form carries (qualite/outils/revisions.py): a double click or a replayed
    POST finds the record the first submission created instead of filing a second one."""

    cle = models.UUIDField(primary_key=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True)
    object_id = models.PositiveBigIntegerField(null=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "clé de création"
        verbose_name_plural = "clés de création"

    def __str__(self):
        return str(self.cle)

    @property
    def objet(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id) if self.content_type_id else None
