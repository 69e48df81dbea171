"""Involuntary psychiatric care: patients, measures, their dated records, isolation and restraint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pghistory
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from qualite.organisation.models import Etablissement, Horodatage, Pole, Service
from usagers.ssc import calendrier as cal
from usagers.ssc.calendrier import Mode as M
from usagers.ssc.calendrier import TypeActe as T


@pghistory.track()
class PatientSSC(Horodatage):
    """Nominative: shown only to the admissions office, the unit's psychiatrists and administrators."""

    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
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
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
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

    # ---- guided steps: the step bar and the next legal moves, derived from the records ----

    def _actes_valides(self, actes=None) -> list:
        """The measure's records that count (not cancelled), in date order; `actes` spares a query when the page
        already read them."""
        if actes is None:
            actes = self.actes.all()
        return sorted((a for a in actes if not a.annule), key=lambda a: (a.date_heure, a.pk or 0))

    def _pour_calendrier(self, actes) -> list[cal.Acte]:
        return [cal.Acte(a.type, a.date_heure, a.conclusion, a.forme) for a in self._actes_valides(actes)]

    def en_hc(self, actes, instant=None) -> bool:
        """Whether the patient is in full hospitalisation at `instant` (now), by these records."""
        return cal.en_hospitalisation_complete(self.t0, self._pour_calendrier(actes), instant or timezone.now())

    def etapes(self, actes=None) -> list[dict]:
        """The step bar (templates/qualite/_etapes.html): each step done, current (the one the measure waits
        for) or to come, by the records alone (`actes`: they may include one not yet written). A lifted
        measure ends where it stood, its lifting the current step; the judge's
        control is left out while the patient is in a programme de soins without one."""
        actes = self._actes_valides(actes)
        types = {a.type for a in actes}
        en_hc = self.en_hc(actes)
        E = EtapeMesure
        faits = {
            E.ADMISSION: True,
            E.CERTIFICAT_24H: T.CERTIFICAT_24H in types,
            E.CERTIFICAT_72H: T.CERTIFICAT_72H in types,
            E.DECISION: T.DECISION_FORME in types,
            E.CONTROLE_JUGE: T.DECISION_JUGE in types,
            E.SOINS: False,
        }
        if not faits[E.CONTROLE_JUGE] and not en_hc:
            del faits[E.CONTROLE_JUGE]
        libelles = {E.DECISION: "Décision de maintien du directeur" if self.mode in M.DIRECTEUR
                    else "Décision du préfet sur la forme",
                    E.SOINS: "Soins en cours" if en_hc else "Programme de soins"}
        if cal.date_levee(self.mode, self.t0, self._pour_calendrier(actes)) is not None:
            # The care step counts as gone through when the measure had reached it before being lifted.
            faits[E.SOINS] = all(fait for e, fait in faits.items() if e != E.SOINS)
            return [*({"statut": e, "libelle": libelles.get(e, e.label), "etat": "fait"} for e, fait in faits.items() if fait),
                    {"statut": E.LEVEE, "libelle": E.LEVEE.label, "etat": "courant"}]
        etapes, courant = [], False
        for e, fait in [*faits.items(), (E.LEVEE, False)]:
            etat = "fait" if fait else "a_venir" if courant else "courant"
            courant = courant or etat == "courant"
            etapes.append({"statut": e, "libelle": libelles.get(e, e.label), "etat": etat})
        return etapes

    def etape_courante(self, actes=None) -> str:
        """The state of the measure: the step it stands at, recomputed from its records (it follows the work)."""
        return next(e["statut"] for e in self.etapes(actes) if e["etat"] == "courant")

    def statut_apres(self, geste: str, actes=None, le: datetime | None = None) -> str:
        """The step the measure would stand at once the act `geste` is recorded (at `le`, now by default)."""
        actes = self._actes_valides(actes)
        hypothese = ActeMesure(mesure=self, type=geste, date_heure=le or timezone.now(), conclusion="maintien")
        return self.etape_courante([*actes, hypothese])

    def prochains_gestes(self, echeances=None, actes=None, maintenant: datetime | None = None) -> list[GesteDu]:
        """The next legal moves, most urgent first, each with its deadline: the acts the legal calendar (the
        measure's deadlines, already computed) still waits for and may be done now, then the moves the law
        leaves open (programme de soins, return to full hospitalisation), the lifting last, always possible.

        Kept back: the 72 h certificate before the 24 h one (unless that one is overdue), the judge's
        decision before the saisine, a monthly certificate before its last 3 days (SDT: it would not count),
        any deadline further than HORIZON_GESTES away."""
        from qualite.echeances.moteur import echeances_de, fin_de_jour

        maintenant = maintenant or timezone.now()
        actes = self._actes_valides(actes)
        echeances = list(echeances_de(self)) if echeances is None else list(echeances)
        types = {a.type for a in actes}
        satisfaites = {(e.regle.code, e.cle) for e in echeances if e.satisfaite_le is not None or e.sans_objet}
        gestes: dict[str, GesteDu] = {}
        for e in echeances:
            type_ = ACTE_DE_REGLE.get(e.regle.code)
            if type_ is None or e.satisfaite_le is not None or e.sans_objet or type_ in gestes:
                continue
            if type_ == T.CERTIFICAT_72H and T.CERTIFICAT_24H not in types and not any(
                    x.regle.code == cal.R_24H and x.echeance <= maintenant for x in echeances):
                continue
            saisine = SAISINE_AVANT.get(e.regle.code)
            if saisine and any(x.regle.code == saisine and x.cle == e.cle for x in echeances) \
                    and (saisine, e.cle) not in satisfaites:
                continue
            if e.regle.code == cal.R_MENSUEL_SDT:
                ouverture = fin_de_jour(timezone.localtime(e.echeance).date() - timedelta(days=3))
                if maintenant <= ouverture:
                    continue
            elif e.echeance > maintenant + HORIZON_GESTES:
                continue
            statut = e.statut_a(maintenant)
            gestes[type_] = GesteDu(type_, TypeActeMesure(type_).label, e.echeance, e.Statut(statut).label,
                                    e.regle.libelle, e.echeance, statut)
        if self.mode in M.DIRECTEUR and T.DECISION_FORME not in gestes:
            # L3212-4: the director decides the maintenance, and its form, on the 72 h certificate.
            c72 = next((a for a in actes if a.type == T.CERTIFICAT_72H and a.conclusion == "maintien"), None)
            if c72 is not None and not any(a.type == T.DECISION_FORME and a.date_heure >= c72.date_heure for a in actes):
                gestes[T.DECISION_FORME] = GesteDu(T.DECISION_FORME, "Décision de maintien du directeur", None, "",
                                                   "Dès le certificat de 72 heures (L3212-4)", c72.date_heure)
        suite = sorted(gestes.values(), key=lambda g: g.tri)
        if self.levee_le is None:
            if T.CERTIFICAT_72H in types:
                if self.en_hc(actes, maintenant):
                    if self.mode != M.DETENU:
                        suite.append(GesteDu(T.PROGRAMME_SOINS, TypeActeMesure.PROGRAMME_SOINS.label))
                else:
                    suite.append(GesteDu(T.REINTEGRATION_HC, TypeActeMesure.REINTEGRATION_HC.label))
            suite.append(GesteDu(T.LEVEE, "Lever la mesure"))
        return suite


# The act that meets each rule of the legal calendar (usagers/ssc/calendrier.py).
ACTE_DE_REGLE = {
    cal.R_24H: T.CERTIFICAT_24H, cal.R_72H: T.CERTIFICAT_72H,
    cal.R_MENSUEL_SDT: T.CERTIFICAT_MENSUEL, cal.R_MENSUEL_SDRE: T.CERTIFICAT_MENSUEL,
    cal.R_FORME_PREFET: T.DECISION_FORME, cal.R_MAINTIEN_PREFET: T.ARRETE_PREFET_MAINTIEN,
    cal.R_ARRETE_MAIRE: T.ARRETE_PREFET_ADMISSION, cal.R_MAIRE_REFERE: T.REFERE_PREFET,
    cal.R_SAISINE_JUGE: T.SAISINE_JUGE, cal.R_SAISINE_JUGE_6M: T.SAISINE_JUGE,
    cal.R_DECISION_JUGE: T.DECISION_JUGE, cal.R_DECISION_JUGE_6M: T.DECISION_JUGE,
    cal.R_COLLEGE: T.AVIS_COLLEGE, cal.R_INFORMATION_FAMILLE: T.INFORMATION_FAMILLE,
}
# The judge decides on a saisine: its decision is offered once the saisine of the same spell is recorded.
SAISINE_AVANT = {cal.R_DECISION_JUGE: cal.R_SAISINE_JUGE, cal.R_DECISION_JUGE_6M: cal.R_SAISINE_JUGE_6M}
# Deadlines further away are not yet a next move (the 6-month saisine is due 15 days before the decision).
HORIZON_GESTES = timedelta(days=15)


@dataclass(frozen=True)
class GesteDu:
    """A next legal move of a measure: the act to record, its deadline (None: no computed deadline)."""

    code: str
    libelle: str
    echeance: datetime | None = None
    statut: str = ""
    regle: str = ""
    tri: datetime | None = None
    statut_code: str = ""


class EtapeMesure(models.TextChoices):
    ADMISSION = "admission", "Admission"
    CERTIFICAT_24H = "certificat_24h", "Certificat de 24 heures"
    CERTIFICAT_72H = "certificat_72h", "Certificat de 72 heures"
    DECISION = "decision", "Décision de maintien"
    CONTROLE_JUGE = "controle_juge", "Contrôle du juge (JLD)"
    SOINS = "soins", "Soins en cours / programme de soins"
    LEVEE = "levee", "Levée"


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


GESTES_MESURE = [("admission", "Admission"), *TypeActeMesure.choices, ("annulation", "Annulation d'un acte")]


class TransitionMesure(models.Model):
    """One move on a measure, with who and when: its admission, each act recorded, each act cancelled, and
    the step it moved the measure from and to (usagers/ssc/services.py writes them)."""

    mesure = models.ForeignKey(MesureSoinsSansConsentement, on_delete=models.PROTECT, related_name="transitions")
    geste = models.CharField(max_length=30, choices=GESTES_MESURE)
    acte = models.ForeignKey(ActeMesure, on_delete=models.PROTECT, null=True, blank=True, related_name="transitions")
    de = models.CharField(max_length=20, choices=EtapeMesure.choices, blank=True)
    vers = models.CharField(max_length=20, choices=EtapeMesure.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["le", "id"]
        verbose_name = "étape de la mesure"
        verbose_name_plural = "étapes de la mesure"

    def __str__(self):
        return f"{self.mesure_id} : {self.get_geste_display()}"

    @property
    def libelle(self) -> str:
        """What the timeline says: the move, the act it recorded, and the new step when it moved the measure on."""
        texte = self.get_geste_display()
        if self.acte_id is not None:
            texte = f"{texte} — {self.acte}" if self.geste == "annulation" else str(self.acte)
            if self.acte.auteur:
                texte += f" ({self.acte.auteur})"
        if self.de != self.vers:
            texte += f" — passe à « {self.get_vers_display()} »"
        return texte
