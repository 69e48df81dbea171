import hashlib
import secrets

import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .roles import Role


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
    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, related_name="poles")
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
        if self.service_id and self.pole_id and self.service.pole_id != self.pole_id:
            raise ValidationError({"service": "Ce service n'appartient pas au pôle choisi."})
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
    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, null=True, blank=True)
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


class RegleEcheance(models.Model):
    """A legal or internal deadline rule, kept as data so it can be reviewed and tuned."""

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
    delai_mois = models.PositiveSmallIntegerField("délai en mois", null=True, blank=True)
    alerte_avant = models.DurationField("alerter avant l'échéance", null=True, blank=True)
    satisfaite_par = models.CharField("satisfaite par", max_length=255, blank=True)
    roles = ArrayField(models.CharField(max_length=40, choices=Role.choices), verbose_name="rôles concernés", default=list)

    class Meta:
        verbose_name = "règle d'échéance"
        verbose_name_plural = "règles d'échéance"
        ordering = ["module", "libelle"]

    def __str__(self):
        return self.libelle

    @property
    def statut_juridique(self):
        return "à vérifier" if self.a_verifier else "confirmée"


class EcheanceQuerySet(models.QuerySet):
    def avec_statut(self, maintenant=None):
        from .echeances import annoter_statut

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
    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, related_name="+")
    pole = models.ForeignKey(Pole, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Unit of the record, for roles that reach one unit only (a psychiatrist's deadlines).
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="echeances"
    )
    echeance = models.DateTimeField("échéance", db_index=True)
    debut_compte = models.CharField("point de départ", max_length=255, blank=True)
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
        from .echeances import statut_de

        return statut_de(self, maintenant)

    @property
    def statut(self):
        return self.statut_a()

    @property
    def statut_libelle(self):
        # Lists annotate statut_calcule in SQL; a single object computes it.
        return self.Statut(getattr(self, "statut_calcule", None) or self.statut).label


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

    titre = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    origine = models.CharField(max_length=20, choices=Origine.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, related_name="actions")
    pole = models.ForeignKey(Pole, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
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
        indexes = [models.Index(fields=["source_type", "source_id"])]
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
        erreurs = {}
        if self.pole_id and self.etablissement_id and self.pole.etablissement_id != self.etablissement_id:
            erreurs["pole"] = "Ce pôle n'appartient pas à l'établissement de l'action."
        if self.service_id:
            if self.pole_id and self.service.pole_id != self.pole_id:
                erreurs["service"] = "Ce service n'appartient pas au pôle choisi."
            elif not self.pole_id and self.service.pole.etablissement_id != self.etablissement_id:
                erreurs["service"] = "Ce service n'appartient pas à l'établissement de l'action."
        if self.avancement is not None and self.avancement > 100:
            erreurs["avancement"] = "L'avancement va de 0 à 100 %."
        if self.efficace is not None and self.statut != self.Statut.REALISEE:
            erreurs["efficace"] = "L'efficacité se vérifie sur une action réalisée."
        if self.efficace is not None and not self.verifiee_le:
            erreurs["verifiee_le"] = "Indiquez la date de la vérification d'efficacité."
        if self.verifiee_le and self.verifiee_le > timezone.localdate():
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


class RapportAnnuel(models.Model):
    """One generated annual report. Regenerating adds a version; earlier files are kept."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        PRET = "pret", "Prêt"
        ECHEC = "echec", "Échec"

    annee = models.PositiveSmallIntegerField("année")
    ght = models.ForeignKey(GHT, on_delete=models.PROTECT, related_name="rapports")
    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, null=True, blank=True, related_name="rapports",
                                      help_text="Vide : rapport du GHT (tous ses établissements).")
    version = models.PositiveSmallIntegerField(default=1)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    etape = models.CharField("étape en cours", max_length=120, blank=True)
    progression = models.PositiveSmallIntegerField(default=0)
    motif_echec = models.TextField(blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    fichier = models.FileField(upload_to="rapports/", blank=True)
    fichier_anonyme = models.FileField(upload_to="rapports/", blank=True)
    demande_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    demande_le = models.DateTimeField(default=timezone.now)
    termine_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "rapport annuel"
        verbose_name_plural = "rapports annuels"
        ordering = ["-annee", "-demande_le"]
        constraints = [
            models.UniqueConstraint(fields=["annee", "ght", "etablissement", "version"], name="rapport_version_unique",
                                    nulls_distinct=False),
        ]

    def __str__(self):
        return f"Rapport {self.annee} — {self.etablissement or self.ght} (v{self.version})"

    @property
    def perimetre(self):
        return self.etablissement.nom if self.etablissement_id else f"{self.ght.nom} (tous établissements)"
