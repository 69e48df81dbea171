"""HAS certification: the référentiel as versioned data (never in code), the
evaluations that test it, the self-assessment per criterion, and the quality
registers followed each year (audits, EPP, processes, surveys, indicators)."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from qualite.organisation.models import Etablissement, Horodatage, Pole, Service
from qualite.organisation.rattachement import erreurs_de_rattachement
from qualite.paqss.models import ActionAmelioration

METHODES_EVALUATION = [
    ("patient_traceur", "Patient traceur"),
    ("parcours_traceur", "Parcours traceur"),
    ("traceur_cible", "Traceur ciblé"),
    ("audit_systeme", "Audit système"),
    ("observation", "Observation"),
]


class Referentiel(Horodatage):
    version = models.CharField(max_length=50, unique=True, help_text="Ex. « 2025 » ou « 6e cycle — v2025-09 ».")
    libelle = models.CharField("libellé", max_length=255)
    actif = models.BooleanField(default=False, help_text="Le référentiel utilisé pour les nouvelles évaluations.")

    class Meta:
        verbose_name = "référentiel de certification"
        verbose_name_plural = "référentiels de certification"
        ordering = ["-actif", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["actif"], condition=models.Q(actif=True), name="un_seul_referentiel_actif"),
        ]

    def __str__(self):
        return f"{self.libelle} ({self.version})"


class Chapitre(models.Model):
    referentiel = models.ForeignKey(Referentiel, on_delete=models.PROTECT, related_name="chapitres")
    numero = models.PositiveSmallIntegerField("numéro")
    titre = models.CharField(max_length=255)

    class Meta:
        ordering = ["referentiel", "numero"]
        constraints = [models.UniqueConstraint(fields=["referentiel", "numero"], name="chapitre_unique")]

    def __str__(self):
        return f"Chapitre {self.numero} — {self.titre}"


class Objectif(models.Model):
    chapitre = models.ForeignKey(Chapitre, on_delete=models.PROTECT, related_name="objectifs")
    code = models.CharField(max_length=20)
    titre = models.CharField(max_length=500)

    class Meta:
        ordering = ["chapitre__numero", "code"]
        constraints = [models.UniqueConstraint(fields=["chapitre", "code"], name="objectif_unique")]

    def __str__(self):
        return f"{self.code} {self.titre}"


class Critere(models.Model):
    class Type(models.TextChoices):
        STANDARD = "standard", "Standard"
        IMPERATIF = "imperatif", "Impératif"
        AVANCE = "avance", "Avancé"

    referentiel = models.ForeignKey(Referentiel, on_delete=models.PROTECT, related_name="criteres")
    objectif = models.ForeignKey(Objectif, on_delete=models.PROTECT, related_name="criteres")
    code = models.CharField(max_length=20)
    titre = models.TextField()
    type = models.CharField(max_length=10, choices=Type.choices)
    champ_application = models.CharField("champ d'application", max_length=255, blank=True)
    methodes_evaluation = ArrayField(
        models.CharField(max_length=20, choices=METHODES_EVALUATION), verbose_name="méthodes d'évaluation",
        default=list, blank=True, help_text="Les méthodes que la HAS emploie pour ce critère.")

    class Meta:
        verbose_name = "critère"
        ordering = ["referentiel", "objectif__chapitre__numero", "objectif__code", "code"]
        constraints = [models.UniqueConstraint(fields=["referentiel", "code"], name="critere_code_unique")]

    def __str__(self):
        return f"{self.code} — {self.titre[:80]}"

    def get_absolute_url(self):
        return reverse("certification:critere", args=[self.pk])

    def get_methodes_evaluation_display(self) -> str:
        libelles = dict(METHODES_EVALUATION)
        return ", ".join(libelles.get(m, m) for m in self.methodes_evaluation)


@pghistory.track()
class Evaluation(Horodatage):
    class Methode(models.TextChoices):  # the same list as METHODES_EVALUATION (a criterion's methods)
        PATIENT_TRACEUR = "patient_traceur", "Patient traceur"
        PARCOURS_TRACEUR = "parcours_traceur", "Parcours traceur"
        TRACEUR_CIBLE = "traceur_cible", "Traceur ciblé"
        AUDIT_SYSTEME = "audit_systeme", "Audit système"
        OBSERVATION = "observation", "Observation"

    methode = models.CharField("méthode", max_length=20, choices=Methode.choices)
    date = models.DateField()
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    evaluateurs = models.TextField("évaluateurs", help_text="Un nom ou une fonction par ligne.")
    criteres = models.ManyToManyField(Critere, verbose_name="critères évalués", blank=True, related_name="evaluations")
    constats = models.TextField(blank=True, help_text="Points positifs et écarts relevés.")

    class Meta:
        verbose_name = "évaluation"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_methode_display()} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("certification:evaluation", args=[self.pk])

    def clean(self):
        super().clean()
        erreurs = erreurs_de_rattachement(self.etablissement_id, service=self.service if self.service_id else None)
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def pole_id(self):
        return self.service.pole_id if self.service_id else None


class Audit(Horodatage):
    titre = models.CharField(max_length=255)
    date = models.DateField()
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    constats = models.TextField(blank=True)
    criteres = models.ManyToManyField(Critere, verbose_name="critères concernés", blank=True, related_name="audits",
                                      help_text="Les critères du référentiel dont cet audit est une preuve.")

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return self.titre


class EPP(Horodatage):
    class Etat(models.TextChoices):
        EN_PROJET = "en_projet", "En projet"
        EN_COURS = "en_cours", "En cours"
        TERMINEE = "terminee", "Terminée"
        ABANDONNEE = "abandonnee", "Abandonnée"

    theme = models.CharField("thème", max_length=255)
    pilotes = models.TextField(help_text="Un nom par ligne.")
    etat = models.CharField("état", max_length=20, choices=Etat.choices, default=Etat.EN_PROJET)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    date_debut = models.DateField("début", null=True, blank=True)
    date_fin = models.DateField("fin", null=True, blank=True)

    class Meta:
        verbose_name = "EPP"
        verbose_name_plural = "EPP"
        ordering = ["-date_debut", "theme"]
        constraints = [
            models.CheckConstraint(condition=models.Q(date_fin__isnull=True) | models.Q(date_debut__isnull=True)
                                   | models.Q(date_fin__gte=models.F("date_debut")), name="epp_dates_ordonnees"),
        ]

    def __str__(self):
        return self.theme


class Processus(Horodatage):
    nom = models.CharField(max_length=255)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    pilote_medical = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="pilote médical", on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+")
    pilote_soignant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="pilote soignant / administratif",
                                        on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "processus"
        ordering = ["nom"]
        constraints = [models.UniqueConstraint(fields=["etablissement", "nom"], name="processus_unique")]

    def __str__(self):
        return self.nom


class _Periode(Horodatage):
    """A half-open period [du, au) of a register's history; `au` empty: still current. Kept so that a key
    figure is counted as the registers stood on 31 December of its year (docs/certification.md)."""

    du = models.DateField("du")
    au = models.DateField("au (exclu)", null=True, blank=True)

    class Meta:
        abstract = True

    @classmethod
    def couvre(cls, prefixe: str, jour) -> models.Q:
        """The rows (through `prefixe`, e.g. "periodes__") whose period covers `jour`."""
        return models.Q(**{f"{prefixe}du__lte": jour}) & (
            models.Q(**{f"{prefixe}au__isnull": True}) | models.Q(**{f"{prefixe}au__gt": jour}))


class PilotageProcessus(_Periode):
    """A period of a process's life with the pilot pair it had then. The process is in the map on a date
    one of its periods covers; a new pair closes the period and opens the next; retiring it closes the last."""

    processus = models.ForeignKey(Processus, on_delete=models.PROTECT, related_name="periodes")
    pilote_medical = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="pilote médical", on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="+")
    pilote_soignant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="pilote soignant / administratif",
                                        on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "période de pilotage d'un processus"
        verbose_name_plural = "périodes de pilotage des processus"
        ordering = ["processus", "du"]
        constraints = [
            models.UniqueConstraint(fields=["processus", "du"], name="pilotage_processus_du_unique"),
            models.UniqueConstraint(fields=["processus"], condition=models.Q(au__isnull=True),
                                    name="pilotage_processus_une_ouverte"),
            models.CheckConstraint(condition=models.Q(au__isnull=True) | models.Q(au__gt=models.F("du")),
                                   name="pilotage_processus_au_apres_du"),
        ]

    def __str__(self):
        return f"{self.processus} du {self.du:%d/%m/%Y}"

    @property
    def binome(self) -> bool:
        return bool(self.pilote_medical_id and self.pilote_soignant_id)


class StatutEPP(_Periode):
    """The state an EPP had over a period: a past year counts the EPP as it stood on 31 December."""

    epp = models.ForeignKey(EPP, on_delete=models.PROTECT, related_name="statuts")
    etat = models.CharField("état", max_length=20, choices=EPP.Etat.choices)

    class Meta:
        verbose_name = "état d'une EPP sur une période"
        verbose_name_plural = "états des EPP"
        ordering = ["epp", "du"]
        constraints = [
            models.UniqueConstraint(fields=["epp", "du"], name="statut_epp_du_unique"),
            models.UniqueConstraint(fields=["epp"], condition=models.Q(au__isnull=True), name="statut_epp_un_ouvert"),
            models.CheckConstraint(condition=models.Q(au__isnull=True) | models.Q(au__gt=models.F("du")),
                                   name="statut_epp_au_apres_du"),
        ]

    def __str__(self):
        return f"{self.epp} : {self.get_etat_display()} depuis le {self.du:%d/%m/%Y}"


class EnqueteSatisfaction(Horodatage):
    class Type(models.TextChoices):
        ESATIS = "esatis", "e-Satis (HAS)"
        INTERNE = "interne", "Enquête interne"

    REPONSES_MINIMUM_ESATIS = 30  # docs/certification.md: about 30 answers for a valid e-Satis result

    type = models.CharField(max_length=10, choices=Type.choices)
    titre = models.CharField(max_length=255)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    periode_debut = models.DateField("période du")
    periode_fin = models.DateField("au")
    reponses = models.PositiveIntegerField("réponses", default=0)
    score = models.DecimalField("score sur 100", max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        verbose_name = "enquête de satisfaction"
        verbose_name_plural = "enquêtes de satisfaction"
        ordering = ["-periode_fin"]
        constraints = [
            models.CheckConstraint(condition=models.Q(periode_fin__gte=models.F("periode_debut")), name="enquete_periode"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__gte=0, score__lte=100),
                                   name="enquete_score_0_100"),
        ]

    def __str__(self):
        return self.titre

    @property
    def resultat_valide(self):
        return self.type != self.Type.ESATIS or self.reponses >= self.REPONSES_MINIMUM_ESATIS


@pghistory.track()
class Autoevaluation(Horodatage):
    """Where an établissement stands on one criterion, and the evidence it can show."""

    class Niveau(models.TextChoices):
        NON_EVALUE = "non_evalue", "Non évalué"
        NON_ATTEINT = "non_atteint", "Non atteint"
        PARTIEL = "partiel", "Partiellement atteint"
        ATTEINT = "atteint", "Atteint"
        NON_APPLICABLE = "non_applicable", "Non applicable"

    critere = models.ForeignKey(Critere, verbose_name="critère", on_delete=models.PROTECT, related_name="autoevaluations")
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    niveau = models.CharField(max_length=20, choices=Niveau.choices, default=Niveau.NON_EVALUE)
    commentaire = models.TextField(blank=True)
    actions = models.ManyToManyField(ActionAmelioration, verbose_name="actions (preuves)", blank=True, related_name="+")
    evaluations = models.ManyToManyField(Evaluation, verbose_name="évaluations (preuves)", blank=True, related_name="+")

    class Meta:
        verbose_name = "auto-évaluation"
        constraints = [models.UniqueConstraint(fields=["critere", "etablissement"], name="autoevaluation_unique")]

    def __str__(self):
        return f"{self.critere.code} — {self.etablissement}"


class Indicateur(Horodatage):
    class Sens(models.TextChoices):
        HAUSSE = "hausse", "Plus c'est haut, mieux c'est"
        BAISSE = "baisse", "Plus c'est bas, mieux c'est"

    code = models.SlugField(max_length=40, unique=True)
    libelle = models.CharField("libellé", max_length=255)
    definition = models.TextField("définition", blank=True)
    unite = models.CharField("unité", max_length=20, blank=True, help_text="Ex. « % », « /100 ».")
    sens = models.CharField("sens du bien", max_length=10, choices=Sens.choices, default=Sens.HAUSSE)
    cible = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    actif = models.BooleanField(default=True)
    criteres = models.ManyToManyField(Critere, verbose_name="critères concernés", blank=True, related_name="indicateurs",
                                      help_text="Les critères du référentiel que cet indicateur documente.")

    class Meta:
        ordering = ["libelle"]

    def __str__(self):
        return self.libelle

    def get_absolute_url(self):
        return reverse("certification:indicateur", args=[self.pk])

    def atteint(self, valeur) -> bool | None:
        if self.cible is None or valeur is None:
            return None
        return valeur >= self.cible if self.sens == self.Sens.HAUSSE else valeur <= self.cible


@pghistory.track()
class ValeurIndicateur(Horodatage):
    indicateur = models.ForeignKey(Indicateur, on_delete=models.PROTECT, related_name="valeurs")
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    periode = models.DateField("période", help_text="Premier jour de la période mesurée.")
    valeur = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = "valeur d'indicateur"
        ordering = ["periode"]
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "etablissement", "service", "periode"],
                                    nulls_distinct=False, name="valeur_indicateur_unique"),
        ]

    def __str__(self):
        return f"{self.indicateur} {self.periode:%m/%Y} : {self.valeur}"

    def clean(self):
        super().clean()
        erreurs = erreurs_de_rattachement(self.etablissement_id, service=self.service if self.service_id else None)
        if erreurs:
            raise ValidationError(erreurs)


class VisiteCertification(Horodatage):
    """A visit of the HAS experts to an établissement, their findings per criterion and the decision."""

    class Type(models.TextChoices):
        CERTIFICATION = "certification", "Visite de certification"
        SUIVI = "suivi", "Visite de suivi"
        BLANCHE = "blanche", "Visite blanche (interne)"

    class Decision(models.TextChoices):
        MENTION = "mention", "Certifié avec mention"
        CERTIFIE = "certifie", "Certifié"
        CONDITIONS = "conditions", "Certifié sous conditions"
        NON_CERTIFIE = "non_certifie", "Non certifié"

    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT,
                                      related_name="+")
    referentiel = models.ForeignKey(Referentiel, verbose_name="référentiel", on_delete=models.PROTECT,
                                    related_name="visites")
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.CERTIFICATION)
    date_debut = models.DateField("du")
    date_fin = models.DateField("au")
    experts = models.TextField("experts-visiteurs", blank=True, help_text="Un nom par ligne.")
    decision = models.CharField("décision", max_length=20, choices=Decision.choices, blank=True)
    decision_le = models.DateField("décision rendue le", null=True, blank=True)
    commentaire = models.TextField(blank=True)

    class Meta:
        verbose_name = "visite de certification"
        verbose_name_plural = "visites de certification"
        ordering = ["-date_debut", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(date_fin__gte=models.F("date_debut")), name="visite_dates_ordonnees"),
            models.CheckConstraint(condition=models.Q(decision="") | models.Q(decision_le__isnull=False),
                                   name="visite_decision_datee"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date_debut:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("certification:visite", args=[self.pk])

    def clean(self):
        super().clean()
        erreurs = {}
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            erreurs["date_fin"] = f"La fin ne peut précéder le début ({self.date_debut:%d/%m/%Y})."
        if self.decision and not self.decision_le:
            erreurs["decision_le"] = "Indiquez la date de la décision."
        elif self.decision_le and not self.decision:
            erreurs["decision"] = "Indiquez la décision rendue à cette date."
        elif self.decision_le and self.date_debut and self.decision_le < self.date_debut:
            erreurs["decision_le"] = "La décision ne peut précéder la visite."
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def accepte_conditions(self) -> bool:
        return self.decision == self.Decision.CONDITIONS


class ConstatVisite(Horodatage):
    """The experts' finding on one criterion of the visit's référentiel."""

    class Appreciation(models.TextChoices):
        ATTEINT = "atteint", "Atteint"
        PARTIEL = "partiel", "Partiellement atteint"
        NON_ATTEINT = "non_atteint", "Non atteint"
        NON_APPLICABLE = "non_applicable", "Non applicable"

    visite = models.ForeignKey(VisiteCertification, on_delete=models.PROTECT, related_name="constats")
    critere = models.ForeignKey(Critere, verbose_name="critère", on_delete=models.PROTECT, related_name="constats_visite")
    appreciation = models.CharField("appréciation", max_length=20, choices=Appreciation.choices)
    constat = models.TextField("constat des experts", blank=True)

    class Meta:
        verbose_name = "constat de visite"
        ordering = ["critere__objectif__chapitre__numero", "critere__objectif__code", "critere__code"]
        constraints = [models.UniqueConstraint(fields=["visite", "critere"], name="constat_visite_unique")]

    def __str__(self):
        return f"{self.critere.code} : {self.get_appreciation_display()}"

    def clean(self):
        super().clean()
        if self.critere_id and self.visite_id and self.critere.referentiel_id != self.visite.referentiel_id:
            raise ValidationError({"critere": "Ce critère n'appartient pas au référentiel de la visite."})


class ConditionVisite(Horodatage):
    """A condition of a « certifié sous conditions » decision; it is followed as a PAQSS action."""

    visite = models.ForeignKey(VisiteCertification, on_delete=models.PROTECT, related_name="conditions")
    critere = models.ForeignKey(Critere, verbose_name="critère", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    libelle = models.TextField("condition")
    echeance = models.DateField("échéance")
    action = models.OneToOneField(ActionAmelioration, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "condition de certification"
        verbose_name_plural = "conditions de certification"
        ordering = ["echeance", "id"]

    def __str__(self):
        return self.libelle[:80]
