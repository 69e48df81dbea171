"""Identities that come from outside: a directory group (or an OpenID Connect claim value) decides a user's
roles, établissements and pôle through the mapping table administrators edit; API tokens."""

import hashlib
import secrets

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from qualite.organisation.models import Etablissement, Horodatage, Pole
from qualite.organisation.roles import Role


class Source(models.TextChoices):
    LDAP = "ldap", "Annuaire (LDAP / Active Directory)"
    OIDC = "oidc", "OpenID Connect"


@pghistory.track()
class CorrespondanceGroupe(Horodatage):
    """One directory group (its DN) or one OIDC group/claim value -> roles, établissements, optional pôle.
    A user in several mapped groups gets the union of their roles and établissements."""

    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LDAP)
    groupe = models.CharField(
        "groupe", max_length=500,
        help_text="LDAP : le DN complet du groupe (cn=qualite-gdr,ou=groupes,dc=chu,dc=fr). "
                  "OpenID Connect : la valeur du groupe ou de la revendication.")
    libelle = models.CharField("libellé", max_length=200, blank=True)
    roles = ArrayField(models.CharField(max_length=40, choices=Role.choices), verbose_name="rôles", default=list,
                       blank=True)
    etablissements = models.ManyToManyField(Etablissement, verbose_name="établissements", blank=True,
                                            related_name="+")
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", help_text="Pour les rôles limités à un pôle (cadre de pôle).")
    perimetre_ght = models.BooleanField("accès à tout le GHT", default=False)
    actif = models.BooleanField(default=True, help_text="Une correspondance inactive ne donne plus rien.")

    class Meta:
        verbose_name = "correspondance de groupe"
        verbose_name_plural = "correspondances de groupes"
        ordering = ["source", "groupe"]
        constraints = [
            # Directory DNs compare case-insensitively: "CN=Qualite,..." and "cn=qualite,..." are one group.
            models.UniqueConstraint(Lower("groupe"), "source", name="correspondance_groupe_unique"),
        ]

    def __str__(self):
        return self.libelle or self.groupe

    def clean(self):
        super().clean()
        self.groupe = (self.groupe or "").strip()
        inconnus = set(self.roles) - set(Role.values)
        if inconnus:
            raise ValidationError({"roles": f"Rôle inconnu : {', '.join(sorted(inconnus))}."})

    def libelles_roles(self):
        return [Role(r).label for r in self.roles if r in Role.values]


class CompteExterne(models.Model):
    """A user whose roles come from an identity source: re-computed from their groups at each login.
    Users without this row are local accounts, never touched by the mapping."""

    utilisateur = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                       related_name="compte_externe")
    source = models.CharField(max_length=10, choices=Source.choices)
    identifiant = models.CharField("identifiant dans la source", max_length=500,
                                   help_text="DN de l'annuaire ou « sub » OpenID Connect.")
    groupes = models.JSONField("groupes à la dernière connexion", default=list, blank=True)
    synchronise_le = models.DateTimeField("synchronisé le", default=timezone.now)

    class Meta:
        verbose_name = "compte externe"
        verbose_name_plural = "comptes externes"

    def __str__(self):
        return f"{self.utilisateur} ({self.get_source_display()})"


class JetonAPI(models.Model):
    """A personal API token. Only its SHA-256 is stored: the clear token is shown once, at creation."""

    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jetons_api")
    nom = models.CharField("nom", max_length=100, help_text="À quoi sert ce jeton (entrepôt de données, tableau de bord…).")
    prefixe = models.CharField(max_length=8, editable=False, help_text="Début du jeton, pour le reconnaître.")
    empreinte = models.CharField(max_length=64, unique=True, editable=False)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    dernier_usage = models.DateTimeField("dernier usage", null=True, blank=True)
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-cree_le"]

    def __str__(self):
        return f"{self.nom} ({self.prefixe}…)"

    @property
    def actif(self) -> bool:
        return self.revoque_le is None

    @staticmethod
    def empreinte_de(jeton: str) -> str:
        """256 random bits need no salt nor slow hash; a plain digest keeps the lookup indexed."""
        return hashlib.sha256(jeton.encode()).hexdigest()

    @staticmethod
    def generer() -> str:
        return secrets.token_urlsafe(32)
