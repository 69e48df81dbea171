"""Involuntary psychiatric care: patients, measures, their dated records, isolation and restraint."""

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from qualite.organisation.models import Etablissement, Horodatage, Pole, Service
from usagers.ssc.calendrier import Mode as M
from usagers.ssc.calendrier import TypeActe as T


@pghistory.track()
class PatientSSC(Horodatage):
    """Nominative: shown only to the admissions office, the unit's psychiatrists and administrators."""

    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, related_name="+")
    ipp = models.CharField("IPP", max_length=30)
    nom = models.CharField(max_length=120)
    prenom = models.CharField("prénom", max_length=120)
    date_naissance = models.DateField("date de naissance")

    class Meta:
        verbose_name = "patient (soins sans consentement)"
        ordering = ["nom", "prenom"]
        constraints = [models.UniqueConstraint(fields=["etablissement", "ipp"], name="patient_ssc_ipp_unique")]

    def __str__(self):
        return f"{self.nom.upper()} {self.prenom} ({self.ipp})"

    @property
    def reference_audit(self):
        return f"Patient SSC IPP {self.ipp}"


class ModeAdmission(models.TextChoices):
    SDT = M.SDT, "SDT — à la demande d'un tiers (L3212-1 II 1°)"
    SDT_URGENCE = M.SDT_URGENCE, "SDT en urgence (L3212-3)"
    SPI = M.SPI, "Péril imminent (L3212-1 II 2°)"
    SDRE = M.SDRE, "SDRE — décision du représentant de l'État (L3213-1)"
    SDRE_MAIRE = M.SDRE_MAIRE, "SDRE après mesure provisoire du maire (L3213-2)"
    DETENU = M.DETENU, "Personne détenue (L3214-1)"
    IRRESPONSABILITE = M.IRRESPONSABILITE, "Irresponsabilité pénale (CPP 706-135)"


@pghistory.track()
class MesureSoinsSansConsentement(Horodatage):
    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    patient = models.ForeignKey(PatientSSC, on_delete=models.PROTECT, related_name="mesures")
    etablissement = models.ForeignKey(Etablissement, on_delete=models.PROTECT, related_name="+")
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, verbose_name="unité", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField("mode d'admission", max_length=20, choices=ModeAdmission.choices)
    t0 = models.DateTimeField("T0 (décision d'admission)", help_text="À la minute. Pour un SDRE après mesure du maire : la mesure provisoire.")
    tiers_nom = models.CharField("tiers demandeur", max_length=200, blank=True)
    tiers_lien = models.CharField("lien avec le patient", max_length=120, blank=True)
    levee_le = models.DateTimeField("levée le", null=True, blank=True, editable=False)
    # No column: lets a query on deadlines join their measure (the daily view) instead of a subquery per row.
    echeances = GenericRelation("echeances.Echeance", related_query_name="mesure_ssc")

    class Meta:
        verbose_name = "mesure de soins sans consentement"
        verbose_name_plural = "mesures de soins sans consentement"
        ordering = ["-t0", "-id"]
        indexes = [models.Index(fields=["etablissement", "levee_le"])]

    def __str__(self):
        return self.reference

    @property
    def reference_audit(self):
        return f"Mesure SSC {self.reference}"


class DocumentAdmission(models.Model):
    class Type(models.TextChoices):
        DEMANDE_TIERS = "demande_tiers", "Demande manuscrite du tiers"
        CERTIFICAT = "certificat", "Certificat médical"
        ARRETE_PREFET = "arrete_prefet", "Arrêté préfectoral"
        MESURE_MAIRE = "mesure_maire", "Mesure provisoire du maire"
        DECISION_JUSTICE = "decision_justice", "Décision de justice (CPP 706-135)"

    mesure = models.ForeignKey(MesureSoinsSansConsentement, on_delete=models.PROTECT, related_name="documents")
    type = models.CharField(max_length=20, choices=Type.choices)
    date = models.DateTimeField("daté du")
    auteur = models.CharField(max_length=200, blank=True)
    medecin_exterieur = models.BooleanField("médecin extérieur à l'établissement", default=False)
    psychiatre_etablissement = models.BooleanField("psychiatre de l'établissement", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "pièce d'admission"

    def __str__(self):
        return f"{self.get_type_display()} du {timezone.localtime(self.date):%d/%m/%Y}"


class TypeActeMesure(models.TextChoices):
    CERTIFICAT_24H = T.CERTIFICAT_24H, "Certificat de 24 heures"
    CERTIFICAT_72H = T.CERTIFICAT_72H, "Certificat de 72 heures"
    CERTIFICAT_MENSUEL = T.CERTIFICAT_MENSUEL, "Certificat mensuel"
    DECISION_FORME = T.DECISION_FORME, "Décision sur la forme de la prise en charge"
    ARRETE_PREFET_ADMISSION = T.ARRETE_PREFET_ADMISSION, "Arrêté préfectoral d'admission"
    ARRETE_PREFET_MAINTIEN = T.ARRETE_PREFET_MAINTIEN, "Arrêté préfectoral de maintien"
    SAISINE_JUGE = T.SAISINE_JUGE, "Saisine du juge"
    DECISION_JUGE = T.DECISION_JUGE, "Décision du juge"
    AVIS_COLLEGE = T.AVIS_COLLEGE, "Avis du collège"
    PROGRAMME_SOINS = T.PROGRAMME_SOINS, "Passage en programme de soins"
    REINTEGRATION_HC = T.REINTEGRATION_HC, "Réintégration en hospitalisation complète"
    TRANSFERT = T.TRANSFERT, "Transfert"
    LEVEE = T.LEVEE, "Levée de la mesure"
    REFERE_PREFET = T.REFERE_PREFET, "Saisine du préfet par le maire (mesure provisoire)"
    INFORMATION_FAMILLE = T.INFORMATION_FAMILLE, "Information de la famille (péril imminent)"


class Conclusion(models.TextChoices):
    MAINTIEN = "maintien", "Maintien des soins"
    FIN = "fin", "Soins plus nécessaires"
    MAINLEVEE = "mainlevee", "Mainlevée"


class Forme(models.TextChoices):
    HC = "hc", "Hospitalisation complète"
    PROGRAMME_SOINS = "programme_soins", "Programme de soins"


@pghistory.track()
class ActeMesure(Horodatage):
    """A dated document of the file: certificate, decision, saisine, lifting... Cancelled, never deleted."""

    mesure = models.ForeignKey(MesureSoinsSansConsentement, on_delete=models.PROTECT, related_name="actes")
    type = models.CharField(max_length=30, choices=TypeActeMesure.choices)
    date_heure = models.DateTimeField("date et heure")
    auteur = models.CharField("auteur", max_length=200, blank=True)
    psychiatre_etablissement = models.BooleanField("psychiatre de l'établissement", default=False)
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices, blank=True)
    forme = models.CharField("forme proposée / décidée", max_length=20, choices=Forme.choices, blank=True)
    commentaire = models.TextField(blank=True)
    annule = models.BooleanField("annulé", default=False)
    motif_annulation = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["date_heure", "id"]
        verbose_name = "acte de la mesure"
        constraints = [
            models.CheckConstraint(condition=~models.Q(annule=True) | ~models.Q(motif_annulation=""), name="acte_annulation_motivee"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {timezone.localtime(self.date_heure):%d/%m/%Y %H:%M}"

    @property
    def etablissement_id(self):
        return self.mesure.etablissement_id


@pghistory.track()
class MesureIsolement(Horodatage):
    """One isolation or restraint decision (L3222-5-1). Renewals are new decisions linked to the first."""

    class Type(models.TextChoices):
        ISOLEMENT = "isolement", "Isolement"
        CONTENTION = "contention", "Contention"

    mesure = models.ForeignKey(MesureSoinsSansConsentement, on_delete=models.PROTECT, related_name="isolements")
    type = models.CharField(max_length=20, choices=Type.choices)
    psychiatre = models.CharField("psychiatre décideur", max_length=200)
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin", null=True, blank=True)
    surveillance = models.TextField("professionnels assurant la surveillance", blank=True)
    motif = models.TextField(blank=True)
    juge_informe_le = models.DateTimeField("juge informé le", null=True, blank=True)
    proche_informe_le = models.DateTimeField("proche informé le", null=True, blank=True)
    juge_saisi_le = models.DateTimeField("juge saisi le", null=True, blank=True)

    class Meta:
        ordering = ["debut", "id"]
        verbose_name = "mesure d'isolement ou de contention"
        verbose_name_plural = "mesures d'isolement ou de contention"
        constraints = [
            models.CheckConstraint(condition=models.Q(fin__isnull=True) | models.Q(fin__gt=models.F("debut")), name="isolement_fin_apres_debut"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {timezone.localtime(self.debut):%d/%m/%Y %H:%M}"

    @property
    def etablissement_id(self):
        return self.mesure.etablissement_id


@pghistory.track()
class DecisionJugeIsolement(Horodatage):
    """The judge's decision on continuing isolation or restraint (L3222-5-1 II): after two
    maintenance decisions, a new saisine is due every 7 days."""

    mesure = models.ForeignKey(MesureSoinsSansConsentement, on_delete=models.PROTECT, related_name="decisions_juge_isolement")
    type = models.CharField(max_length=20, choices=MesureIsolement.Type.choices)
    date_heure = models.DateTimeField("date et heure de la décision")
    maintien = models.BooleanField("maintien autorisé", default=True, help_text="Décoché : mainlevée de la mesure.")

    class Meta:
        ordering = ["date_heure", "id"]
        verbose_name = "décision du juge sur l'isolement ou la contention"

    def __str__(self):
        return f"Décision du juge ({self.get_type_display().lower()}) du {timezone.localtime(self.date_heure):%d/%m/%Y %H:%M}"

    @property
    def etablissement_id(self):
        return self.mesure.etablissement_id


@pghistory.track()
class EvaluationIsolement(Horodatage):
    """A psychiatrist's evaluation of a patient in isolation or restraint: two are due in each period of
    24 h of isolation and 12 h of restraint (usagers/ssc/isolement.py, evaluations_dues)."""

    decision = models.ForeignKey(MesureIsolement, verbose_name="décision", on_delete=models.PROTECT,
                                 related_name="evaluations")
    date_heure = models.DateTimeField("date et heure de l'évaluation")
    psychiatre = models.CharField("psychiatre", max_length=200)
    observations = models.TextField(blank=True)

    class Meta:
        ordering = ["date_heure", "id"]
        verbose_name = "évaluation d'isolement ou de contention"
        verbose_name_plural = "évaluations d'isolement ou de contention"

    def __str__(self):
        return f"Évaluation du {timezone.localtime(self.date_heure):%d/%m/%Y %H:%M} par {self.psychiatre}"

    @property
    def etablissement_id(self):
        return self.decision.mesure.etablissement_id
