"""User relations: complaints and praise with mediation, medical-record requests, the CDU,
user representatives and the patient-safety dialogue kit (docs/relations-usagers.md)."""

import re

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from qualite.organisation.models import Etablissement, Horodatage, Service
from qualite.outils import tableaux
from qualite.paqss.models import ActionAmelioration

# ---- CDU -----------------------------------------------------------------------------------

@pghistory.track()
class MembreCDU(Horodatage):
    class Role(models.TextChoices):
        PRESIDENT = "president", "Président"
        VICE_PRESIDENT = "vice_president", "Vice-président"
        REPRESENTANT_LEGAL = "representant_legal", "Représentant légal de l'établissement"
        MEDIATEUR_MEDICAL = "mediateur_medical", "Médiateur médical titulaire"
        MEDIATEUR_MEDICAL_SUPPLEANT = "mediateur_medical_suppleant", "Médiateur médical suppléant"
        MEDIATEUR_NON_MEDICAL = "mediateur_non_medical", "Médiateur non médical titulaire"
        MEDIATEUR_NON_MEDICAL_SUPPLEANT = "mediateur_non_medical_suppleant", "Médiateur non médical suppléant"
        RU_TITULAIRE = "ru_titulaire", "Représentant des usagers titulaire"
        RU_SUPPLEANT = "ru_suppleant", "Représentant des usagers suppléant"
        FACULTATIF = "facultatif", "Membre facultatif"

    ROLES_RU = (Role.RU_TITULAIRE, Role.RU_SUPPLEANT)

    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    nom = models.CharField("nom et prénom", max_length=200)
    role = models.CharField("rôle", max_length=40, choices=Role.choices)
    association = models.CharField("association agréée", max_length=200, blank=True)
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    debut_mandat = models.DateField("début du mandat")
    fin_mandat = models.DateField("fin du mandat")
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "membre de la CDU"
        verbose_name_plural = "membres de la CDU"
        ordering = ["role", "nom"]
        constraints = [models.CheckConstraint(condition=models.Q(fin_mandat__gt=models.F("debut_mandat")), name="mandat_fin_apres_debut")]

    def __str__(self):
        return f"{self.nom} ({self.get_role_display()})"


@pghistory.track()
class SeanceCDU(Horodatage):
    # At least 4 sessions a year (R1112-88, à vérifier): the CDU page warns below it.
    MINIMUM_ANNUEL = 4

    class Statut(models.TextChoices):
        PLANIFIEE = "planifiee", "Planifiée"
        TENUE = "tenue", "Tenue"
        ANNULEE = "annulee", "Annulée"

    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.PLANIFIEE)
    ordre_du_jour = models.TextField("ordre du jour", blank=True)
    presents = models.ManyToManyField(MembreCDU, blank=True, related_name="seances", verbose_name="présents")
    documents = models.TextField("documents examinés", blank=True)
    compte_rendu = models.TextField("compte rendu", blank=True)

    class Meta:
        verbose_name = "séance de la CDU"
        verbose_name_plural = "séances de la CDU"
        ordering = ["-date"]

    def __str__(self):
        return f"Séance CDU du {self.date:%d/%m/%Y}"


@pghistory.track()
class RecommandationCDU(Horodatage):
    seance = models.ForeignKey(SeanceCDU, on_delete=models.PROTECT, related_name="recommandations")
    texte = models.TextField()
    proposee_par = models.ForeignKey(MembreCDU, on_delete=models.PROTECT, null=True, blank=True, related_name="recommandations",
                                     verbose_name="proposée par")
    action = models.ForeignKey(ActionAmelioration, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "recommandation de la CDU"
        ordering = ["seance__date", "id"]

    def __str__(self):
        return self.texte[:80]

    @property
    def etablissement_id(self):
        return self.seance.etablissement_id


# ---- complaints and praise ------------------------------------------------------------------

class NatureReclamation(models.TextChoices):
    PLAINTE = "plainte", "Plainte"
    RECLAMATION = "reclamation", "Réclamation"
    ELOGE = "eloge", "Éloge"


class CanalReclamation(models.TextChoices):
    COURRIER = "courrier", "Courrier"
    COURRIEL = "courriel", "Courriel"
    ORAL = "oral", "Oral, retranscrit par écrit"
    FORMULAIRE = "formulaire", "Formulaire"
    REGISTRE = "registre", "Registre des plaintes du service"
    AUTRE = "autre", "Autre"


class CategorieReclamation(models.TextChoices):
    SOINS = "soins", "Prise en charge médicale et soignante"
    RELATION = "relation", "Accueil, relation, comportement"
    INFORMATION = "information", "Information du patient et des proches"
    ORGANISATION = "organisation", "Organisation, délais d'attente"
    HOTELLERIE = "hotellerie", "Hôtellerie, restauration, locaux"
    FACTURATION = "facturation", "Facturation, frais"
    DROITS = "droits", "Droits du patient, dignité, confidentialité"
    BIENS = "biens", "Biens, vols, pertes"
    AUTRE = "autre", "Autre"


class Civilite(models.TextChoices):
    INCONNUE = "", "Non précisée"
    MADAME = "madame", "Madame"
    MONSIEUR = "monsieur", "Monsieur"


def formule_appel(civilite: str) -> str:
    """The salutation of a letter: « Madame, », « Monsieur, », else « Madame, Monsieur, » (never a name after it)."""
    return {Civilite.MADAME: "Madame,", Civilite.MONSIEUR: "Monsieur,"}.get(civilite, "Madame, Monsieur,")


class TypeMediation(models.TextChoices):
    AUCUNE = "", "Aucune"
    MEDICALE = "medicale", "Médiateur médical"
    NON_MEDICALE = "non_medicale", "Médiateur non médical"
    LES_DEUX = "les_deux", "Médiateurs médical et non médical"


class ReclamationQuerySet(models.QuerySet):
    def non_archivees(self):
        """Archiving takes a complaint out of every list, figure and export; it is never deleted."""
        return self.filter(archivee=False)


# What the staff's searches read (the CDU and RU search only the reference and the validated anonymous summary).
CHAMPS_RECHERCHE_RECLAMATION = ("reference", "auteur_nom", "patient_nom", "objet", "resume_anonymise")
CHAMPS_RECHERCHE_DOSSIER = ("reference", "patient_nom", "demandeur_nom")


@pghistory.track()
class Reclamation(Horodatage):
    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    services = models.ManyToManyField(Service, blank=True, related_name="+", verbose_name="services concernés")
    nature = models.CharField(max_length=20, choices=NatureReclamation.choices)
    canal = models.CharField(max_length=20, choices=CanalReclamation.choices)
    categories = ArrayField(models.CharField(max_length=20, choices=CategorieReclamation.choices), verbose_name="catégories")
    # Nominative: relations staff and mediators only
    auteur_civilite = models.CharField("civilité de l'auteur", max_length=10, choices=Civilite.choices, blank=True,
                                       help_text="Donne la formule d'appel des courriers ; « Madame, Monsieur, » si non précisée.")
    auteur_nom = models.CharField("nom et prénom de l'auteur", max_length=200)
    auteur_adresse = models.TextField("adresse postale", blank=True)
    auteur_courriel = models.EmailField("courriel", blank=True)
    lien_patient = models.CharField("lien avec le patient", max_length=120, help_text="Le patient lui-même, un proche, un représentant légal…")
    patient_nom = models.CharField("patient concerné (s'il n'est pas l'auteur)", max_length=200, blank=True)
    objet = models.TextField("objet de la réclamation")
    resume_anonymise = models.TextField(
        "résumé anonymisé", blank=True,
        help_text="Sans nom ni détail identifiant : seul texte montré à la CDU et aux représentants des usagers.",
    )
    resume_valide = models.BooleanField("résumé vérifié anonyme", default=False)
    # The legal path
    recue_le = models.DateField("reçue le")
    accuse_le = models.DateField("accusé de réception le", null=True, blank=True)
    premiere_reponse_le = models.DateField("première réponse le", null=True, blank=True)
    mediation = models.CharField("médiation", max_length=20, choices=TypeMediation.choices, blank=True)
    mediateur_saisi_le = models.DateField("médiateur saisi le", null=True, blank=True)
    mediation_refusee = models.BooleanField("rencontre refusée par le plaignant", default=False)
    rencontre_le = models.DateField("rencontre avec le médiateur le", null=True, blank=True)
    ru_accompagnant = models.ForeignKey(MembreCDU, on_delete=models.PROTECT, null=True, blank=True, related_name="mediations",
                                        verbose_name="représentant des usagers accompagnant")
    # The representative who follows the complaint for the CDU (indicator « réclamations suivies », usagers/impact)
    ru_referent = models.ForeignKey(MembreCDU, on_delete=models.PROTECT, null=True, blank=True, related_name="reclamations_suivies",
                                    verbose_name="représentant des usagers qui suit le dossier")
    rapport_le = models.DateField("rapport du médiateur le", null=True, blank=True)
    seance_cdu = models.ForeignKey(SeanceCDU, on_delete=models.PROTECT, null=True, blank=True, related_name="reclamations",
                                   verbose_name="séance de la CDU")
    avis_cdu = models.TextField("avis ou recommandation de la CDU", blank=True)
    reponse_finale_le = models.DateField("réponse finale le", null=True, blank=True)
    evenement = models.ForeignKey("evenements.EvenementIndesirable", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="reclamations", verbose_name="évènement indésirable lié")
    archivee = models.BooleanField(default=False)

    objects = ReclamationQuerySet.as_manager()

    class Meta:
        verbose_name = "plainte, réclamation ou éloge"
        verbose_name_plural = "plaintes, réclamations et éloges"
        ordering = ["-recue_le", "-id"]
        indexes = [models.Index(fields=["etablissement", "-recue_le"]),
                   tableaux.index_recherche("reclamation_recherche_idx", CHAMPS_RECHERCHE_RECLAMATION)]

    def __str__(self):
        return self.reference

    @property
    def reference_audit(self):
        return f"Réclamation {self.reference}"

    @property
    def etape(self) -> str:
        """The list's and the export's wording of `statut` (one rule for both), saying what comes next."""
        if self.statut == StatutReclamation.EN_MEDIATION and self.mediation_refusee:
            return "En médiation, rencontre refusée par le plaignant"
        return _ETAPE_LISTE[self.statut]

    @property
    def statut(self) -> str:
        if self.reponse_finale_le:
            return StatutReclamation.CLOSE
        if self.seance_cdu_id:
            return StatutReclamation.AVIS_CDU
        if self.rapport_le:
            return StatutReclamation.RAPPORT_RENDU
        if self.mediateur_saisi_le:
            return StatutReclamation.EN_MEDIATION
        if self.accuse_le:
            return StatutReclamation.EN_INSTRUCTION
        return StatutReclamation.RECUE

    def get_statut_display(self) -> str:
        return StatutReclamation(self.statut).label

    def etapes(self) -> list[dict]:
        """The step bar: each step done, current or to come. A complaint closed without mediation (or an éloge)
        skips the mediation steps it never went through."""
        statut = self.statut
        chemin = list(ETAPES_RECLAMATION)
        if self.nature == NatureReclamation.ELOGE or (statut == StatutReclamation.CLOSE and not self.mediateur_saisi_le):
            chemin = [StatutReclamation.RECUE, StatutReclamation.EN_INSTRUCTION, StatutReclamation.CLOSE]
        elif statut == StatutReclamation.CLOSE and not self.seance_cdu_id:
            chemin = [s for s in chemin if s != StatutReclamation.AVIS_CDU]
        if statut == StatutReclamation.CLOSE and not self.rapport_le and StatutReclamation.RAPPORT_RENDU in chemin:
            chemin.remove(StatutReclamation.RAPPORT_RENDU)
        rang = chemin.index(statut) if statut in chemin else 0
        return [{"statut": s, "libelle": s.label, "etat": "fait" if i < rang else "courant" if i == rang else "a_venir"}
                for i, s in enumerate(chemin)]

    def statut_apres(self, geste: str) -> str:
        """The state the work moves the complaint to; a gesture never moves it backwards."""
        suivant = {
            GesteReclamation.ACCUSE: StatutReclamation.EN_INSTRUCTION,
            GesteReclamation.SAISINE: StatutReclamation.EN_MEDIATION,
            GesteReclamation.RAPPORT: StatutReclamation.RAPPORT_RENDU,
            GesteReclamation.AVIS_CDU: StatutReclamation.AVIS_CDU,
            GesteReclamation.REPONSE_FINALE: StatutReclamation.CLOSE,
        }.get(geste)
        actuel = self.statut
        if suivant is None or ETAPES_RECLAMATION.index(suivant) < ETAPES_RECLAMATION.index(actuel):
            return actuel
        return suivant

    def prochains_gestes(self) -> list[str]:
        """The next legal moves, in the order the relations staff take them. Acknowledge first; the first answer
        may go at any time before closing; the mediator is seized (or not: a complaint may be answered and
        closed without mediation); the meeting (or the complainant's refusal), the mediator's report, the CDU's
        opinion at a session, then the director's final answer with that opinion (R1112-94), which closes it.
        An éloge is acknowledged then closed."""
        G, S = GesteReclamation, StatutReclamation
        statut = self.statut
        if statut == S.CLOSE:
            return []
        if statut == S.RECUE:
            return [G.ACCUSE]
        if self.nature == NatureReclamation.ELOGE:
            return [G.REPONSE_FINALE]
        gestes: list[str] = []
        if statut == S.EN_INSTRUCTION:
            gestes.append(G.SAISINE)
        elif statut == S.EN_MEDIATION:
            if self.rencontre_le or self.mediation_refusee:
                gestes.append(G.RAPPORT if self.rencontre_le else G.AVIS_CDU)
            else:
                gestes += [G.RENCONTRE, G.REFUS]
        elif statut == S.RAPPORT_RENDU:
            gestes.append(G.AVIS_CDU)
        if not self.premiere_reponse_le:
            gestes.append(G.PREMIERE_REPONSE)
        if statut in (S.EN_INSTRUCTION, S.AVIS_CDU) or (statut == S.EN_MEDIATION and self.mediation_refusee):
            gestes.append(G.REPONSE_FINALE)
        return gestes

    def geste_fait(self, geste: str) -> bool:
        """The gesture's step is already on the record (a replayed click, or an entry through the form)."""
        if geste == GesteReclamation.REFUS:
            return self.mediation_refusee
        champ = CHAMPS_DU_GESTE[geste][0]
        return bool(getattr(self, f"{champ}_id" if champ == "seance_cdu" else champ))


class StatutReclamation(models.TextChoices):
    """Where a complaint stands on its legal path, derived from the steps done (never stored: the edit form, the
    import and the API write the same dates, and the state always follows them)."""

    RECUE = "recue", "Reçue"
    EN_INSTRUCTION = "en_instruction", "Réception accusée, en instruction"
    EN_MEDIATION = "en_mediation", "En médiation"
    RAPPORT_RENDU = "rapport_rendu", "Rapport du médiateur rendu"
    AVIS_CDU = "avis_cdu", "Avis de la CDU rendu"
    CLOSE = "close", "Close (réponse finale envoyée)"


_ETAPE_LISTE = {
    StatutReclamation.RECUE: "Reçue",
    StatutReclamation.EN_INSTRUCTION: "En cours d'instruction",
    StatutReclamation.EN_MEDIATION: "En médiation",
    StatutReclamation.RAPPORT_RENDU: "Rapport du médiateur rendu, à présenter en CDU",
    StatutReclamation.AVIS_CDU: "Examinée en CDU, réponse finale à faire",
    StatutReclamation.CLOSE: "Close",
}

# The step bar: a complaint's full path; one closed without mediation ends it after the instruction.
ETAPES_RECLAMATION = tuple(StatutReclamation)


class GesteReclamation(models.TextChoices):
    """The work done on a complaint (CSP R1112-91 to R1112-94), recorded in its timeline."""

    ACCUSE = "accuse", "Accusé de réception envoyé"
    PREMIERE_REPONSE = "premiere_reponse", "Première réponse envoyée"
    SAISINE = "saisine", "Médiateur saisi"
    RENCONTRE = "rencontre", "Rencontre avec le médiateur"
    REFUS = "refus", "Rencontre refusée par le plaignant"
    RAPPORT = "rapport", "Rapport du médiateur reçu"
    AVIS_CDU = "avis_cdu", "Avis de la CDU"
    REPONSE_FINALE = "reponse_finale", "Réponse finale du directeur, réclamation close"


# What each gesture writes on the complaint (the refusal only sets mediation_refusee).
CHAMPS_DU_GESTE = {
    GesteReclamation.ACCUSE: ("accuse_le",),
    GesteReclamation.PREMIERE_REPONSE: ("premiere_reponse_le",),
    GesteReclamation.SAISINE: ("mediation", "mediateur_saisi_le"),
    GesteReclamation.RENCONTRE: ("rencontre_le", "ru_accompagnant"),
    GesteReclamation.REFUS: (),
    GesteReclamation.RAPPORT: ("rapport_le",),
    GesteReclamation.AVIS_CDU: ("seance_cdu", "avis_cdu"),
    GesteReclamation.REPONSE_FINALE: ("reponse_finale_le",),
}


class TransitionReclamation(models.Model):
    """One gesture on a complaint, who did it and when: the complaint's timeline."""

    reclamation = models.ForeignKey(Reclamation, on_delete=models.PROTECT, related_name="transitions")
    geste = models.CharField(max_length=20, choices=GesteReclamation.choices)
    de = models.CharField(max_length=20, choices=StatutReclamation.choices)
    vers = models.CharField(max_length=20, choices=StatutReclamation.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["le", "id"]
        verbose_name = "geste sur une réclamation"
        verbose_name_plural = "gestes sur les réclamations"

    def __str__(self):
        return f"{self.reclamation_id} — {self.get_geste_display()}"

    @property
    def libelle(self) -> str:
        """What the timeline says: the gesture, and the new state when it moved the complaint on."""
        if self.de != self.vers:
            return f"{self.get_geste_display()} — passe à « {self.get_vers_display()} »"
        return self.get_geste_display()

# ---- medical-record requests ----------------------------------------------------------------

class TypeDemandeur(models.TextChoices):
    PATIENT = "patient", "Le patient"
    AYANT_DROIT = "ayant_droit", "Ayant droit (patient décédé)"
    CONCUBIN = "concubin", "Concubin (patient décédé)"
    PACS = "pacs", "Partenaire de PACS (patient décédé)"
    AUTORITE_PARENTALE = "autorite_parentale", "Titulaire de l'autorité parentale"
    PROTECTEUR_REPRESENTATION = "protecteur_representation", "Protecteur avec mission de représentation"
    PROTECTEUR_ASSISTANCE = "protecteur_assistance", "Protecteur avec mission d'assistance (majeur consentant)"
    MEDECIN = "medecin", "Médecin désigné par le demandeur"


DEMANDEURS_DECES = (TypeDemandeur.AYANT_DROIT, TypeDemandeur.CONCUBIN, TypeDemandeur.PACS)


class MotifAyantDroit(models.TextChoices):
    CAUSES_DECES = "causes_deces", "Connaître les causes de la mort"
    MEMOIRE = "memoire", "Défendre la mémoire du défunt"
    DROITS = "droits", "Faire valoir ses droits"


class ModeCommunication(models.TextChoices):
    CONSULTATION = "consultation", "Consultation sur place"
    COPIE_PAPIER = "copie_papier", "Copie papier envoyée"
    COPIE_ELECTRONIQUE = "copie_electronique", "Copie électronique"
    MEDECIN = "medecin", "Envoi au médecin désigné"


class PointDepart(models.TextChoices):
    RECEPTION = "reception", "Réception de la demande"
    COMPLETUDE = "completude", "Demande complète (pièces reçues)"


@pghistory.track()
class DemandeDossier(Horodatage):
    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    patient_nom = models.CharField("patient (nom et prénom)", max_length=200)
    patient_naissance = models.DateField("date de naissance du patient")
    patient_decede = models.BooleanField("patient décédé", default=False)
    demandeur_type = models.CharField("qualité du demandeur", max_length=30, choices=TypeDemandeur.choices)
    demandeur_nom = models.CharField("demandeur (nom et prénom)", max_length=200)
    motif = models.CharField("motif (ayant droit)", max_length=20, choices=MotifAyantDroit.choices, blank=True)
    identite_verifiee = models.BooleanField("identité vérifiée", default=False)
    qualite_verifiee = models.BooleanField("qualité vérifiée", default=False)
    recue_le = models.DateTimeField("reçue le")
    complete_le = models.DateTimeField("complète le", null=True, blank=True,
                                       help_text="Quand les pièces justificatives manquantes ont été reçues.")
    point_depart = models.CharField("délai compté à partir de", max_length=20, choices=PointDepart.choices,
                                    default=PointDepart.RECEPTION)
    informations_du = models.DateField("date des informations les plus récentes demandées",
                                       help_text="Au-delà de 5 ans, le délai est de 2 mois.")
    mode = models.CharField("mode de communication", max_length=20, choices=ModeCommunication.choices, blank=True)
    communiquee_le = models.DateTimeField("communiquée / envoyée le", null=True, blank=True)
    frais = models.DecimalField("frais demandés (€)", max_digits=8, decimal_places=2, default=0)
    refusee = models.BooleanField("refusée", default=False)
    motif_refus = models.CharField("motif du refus", max_length=255, blank=True)

    class Meta:
        verbose_name = "demande de dossier médical"
        verbose_name_plural = "demandes de dossier médical"
        ordering = ["-recue_le", "-id"]
        indexes = [tableaux.index_recherche("dossier_recherche_idx", CHAMPS_RECHERCHE_DOSSIER)]
        constraints = [
            models.CheckConstraint(condition=~models.Q(refusee=True) | ~models.Q(motif_refus=""), name="dossier_refus_motive"),
            models.CheckConstraint(condition=models.Q(frais__gte=0), name="dossier_frais_positifs"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference_audit(self):
        return f"Demande de dossier {self.reference}"

    @property
    def depart(self):
        return self.complete_le if self.point_depart == PointDepart.COMPLETUDE and self.complete_le else self.recue_le

    @property
    def plus_de_5_ans(self) -> bool:
        reception = timezone.localtime(self.recue_le).date()
        try:
            limite = reception.replace(year=reception.year - 5)
        except ValueError:  # 29 February
            limite = reception.replace(year=reception.year - 5, day=28)
        return self.informations_du < limite


# ---- user representatives: the national patient-safety dialogue kit ----------------------------------------

class ThemeDialogue(models.Model):
    numero = models.PositiveSmallIntegerField(unique=True)
    titre = models.CharField(max_length=255)

    class Meta:
        ordering = ["numero"]
        verbose_name = "thème du guide d'entretien"

    def __str__(self):
        return f"{self.numero}. {self.titre}"


class QuestionDialogue(models.Model):
    theme = models.ForeignKey(ThemeDialogue, on_delete=models.PROTECT, related_name="questions")
    numero = models.CharField(max_length=10, unique=True)
    texte = models.TextField()
    relances = ArrayField(models.TextField(), default=list, blank=True)

    class Meta:
        ordering = ["theme__numero", "id"]
        verbose_name = "question du guide d'entretien"

    def __str__(self):
        return f"{self.numero} {self.texte[:80]}"


@pghistory.track()
class CampagneDialogue(Horodatage):
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    titre = models.CharField(max_length=200)
    debut = models.DateField("début")
    fin = models.DateField("fin", null=True, blank=True)
    synthese = models.TextField("synthèse", blank=True)
    reunion_cloture_le = models.DateField("réunion de clôture avec le directeur le", null=True, blank=True)
    reunion_cloture_notes = models.TextField("relevé de la réunion de clôture", blank=True)

    class Meta:
        verbose_name = "campagne de dialogue sur la sécurité des patients"
        ordering = ["-debut"]

    def __str__(self):
        return self.titre


@pghistory.track()
class EntretienDialogue(Horodatage):
    campagne = models.ForeignKey(CampagneDialogue, on_delete=models.PROTECT, related_name="entretiens")
    date = models.DateField()
    fonction = models.CharField("fonction du professionnel rencontré", max_length=200)
    ru_presents = models.ManyToManyField(MembreCDU, related_name="entretiens", verbose_name="représentants des usagers présents")
    questions = models.ManyToManyField(QuestionDialogue, blank=True, related_name="+", verbose_name="questions choisies")
    notes = models.TextField(blank=True)

    class Meta:
        verbose_name = "entretien"
        ordering = ["date", "id"]

    def __str__(self):
        return f"Entretien du {self.date:%d/%m/%Y} — {self.fonction}"


class ModeleLettre(models.Model):
    """Letter templates the relations staff edit: a common one per type (etablissement empty, the default loaded
    after every migrate) and, once edited for an établissement, that établissement's own copy. Placeholders are
    {{ variables }} from VARIABLES only."""

    class Type(models.TextChoices):
        ACCUSE = "accuse", "Accusé de réception"
        INVITATION_MEDIATION = "invitation_mediation", "Invitation à rencontrer le médiateur"
        REPONSE = "reponse", "Réponse au plaignant"

    # The only placeholders a letter may hold, with what each becomes. Filled by plain substitution, never by the
    # template engine: the staff edit the text, and a tag or filter there could read server data.
    CHAMPS = {
        "formule_appel": "« Madame, », « Monsieur, » ou « Madame, Monsieur, » selon la civilité de l'auteur",
        "auteur": "nom et prénom de l'auteur de la réclamation",
        "reference": "référence de la réclamation",
        "recue_le": "date de réception (jj/mm/aaaa)",
        "etablissement": "nom de l'établissement",
        "mediateur": "le médiateur saisi (« médiateur médical »…)",
        "rencontre_le": "date de la rencontre avec le médiateur",
        "seance_cdu": "date de la séance de la CDU",
        "avis_cdu": "avis ou recommandation de la CDU",
        "aujourdhui": "date du jour",
        "signataire": "nom du signataire",
        "fonction_signataire": "fonction du signataire",
    }
    VARIABLES = tuple(CHAMPS)
    MOTIF_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")

    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                      help_text="Vide : modèle commun, utilisé tant que l'établissement n'a pas le sien.")
    type = models.CharField(max_length=30, choices=Type.choices)
    objet = models.CharField(max_length=255)
    corps = models.TextField(help_text="Champs de fusion : " + ", ".join(f"{{{{ {v} }}}}" for v in VARIABLES) + ".")
    voies_de_recours = models.BooleanField("imprimer les voies de recours", default=True,
                                           help_text="Médiateurs, commission des usagers et ARS, en bas du courrier.")
    updated_at = models.DateTimeField(auto_now=True)
    # The template's version: +1 at each edit (qualite/outils/revisions.py); noted on every letter generated.
    revision = models.PositiveIntegerField("version", default=1, editable=False)
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="modifié par", on_delete=models.PROTECT,
                                    null=True, blank=True, editable=False, related_name="+")

    class Meta:
        verbose_name = "modèle de lettre"
        verbose_name_plural = "modèles de lettre"
        constraints = [
            models.UniqueConstraint(fields=["etablissement", "type"], name="modele_lettre_unique_par_etablissement"),
            models.UniqueConstraint(fields=["type"], condition=models.Q(etablissement__isnull=True),
                                    name="modele_lettre_commun_unique"),
        ]

    def __str__(self):
        return self.get_type_display()

    def clean(self):
        erreurs = {}
        for champ in ("objet", "corps"):
            texte = getattr(self, champ) or ""
            inconnues = sorted({m for m in self.MOTIF_VARIABLE.findall(texte) if m not in self.VARIABLES})
            if "{%" in texte or "{#" in texte:
                erreurs[champ] = "Seuls les champs de fusion {{ … }} sont permis, pas les balises {% … %} ni {# … #}."
            elif inconnues:
                erreurs[champ] = (f"Champ de fusion inconnu : {', '.join(inconnues)}. "
                                  f"Champs permis : {', '.join(self.VARIABLES)}.")
        if erreurs:
            raise ValidationError(erreurs)

    def remplir(self, valeurs: dict[str, str]) -> dict[str, str]:
        """Subject and body with the placeholders replaced: plain text, escaped where it is shown."""

        def substituer(texte: str) -> str:
            return self.MOTIF_VARIABLE.sub(lambda m: str(valeurs.get(m.group(1), m.group(0))), texte)

        return {"objet": substituer(self.objet), "corps": substituer(self.corps)}


def logos_disponibles() -> list[str]:
    """Logo files shipped with the application (static/courriers/logos/): the only images a letterhead may use."""
    from pathlib import Path

    dossier = Path(settings.STATICFILES_DIRS[0]) / "courriers" / "logos"
    if not dossier.is_dir():
        return []
    return sorted(f"courriers/logos/{f.name}" for f in dossier.iterdir()
                  if f.is_file() and f.suffix.lower() in (".png", ".jpg", ".jpeg", ".svg"))


@pghistory.track()
class EnTeteCourrier(Horodatage):
    """One établissement's letterhead, signatory and appeal routes (CSP R1112-91 to R1112-94), printed on its
    letters. Created with defaults the first time a letter or this page needs it."""

    etablissement = models.OneToOneField(Etablissement, on_delete=models.PROTECT, related_name="+")
    nom = models.CharField("nom affiché", max_length=200)
    adresse = models.TextField("adresse postale", blank=True)
    telephone = models.CharField("téléphone", max_length=40, blank=True)
    logo = models.CharField("logo", max_length=200, blank=True,
                            help_text="Un fichier de l'application (static/courriers/logos/) ; aucune adresse externe.")
    signataire_nom = models.CharField("nom du signataire", max_length=200)
    signataire_fonction = models.CharField("fonction du signataire", max_length=200)
    mediateur_medical = models.CharField("médiateur médical", max_length=200, blank=True)
    mediateur_non_medical = models.CharField("médiateur non médical", max_length=200, blank=True)
    cdu_contact = models.TextField("commission des usagers (contact)", blank=True)
    ars_nom = models.CharField("agence régionale de santé", max_length=200, blank=True,
                               help_text="Par exemple « ARS Île-de-France ».")
    ars_adresse = models.TextField("adresse de l'ARS", blank=True)

    class Meta:
        verbose_name = "en-tête de courrier"
        verbose_name_plural = "en-têtes de courrier"

    def __str__(self):
        return f"En-tête de courrier — {self.nom}"

    def clean(self):
        if self.logo and self.logo not in logos_disponibles():
            raise ValidationError({"logo": "Choisissez un logo parmi les fichiers de l'application."})


class CourrierGenere(models.Model):
    """A letter as it was sent: its text, the template version used, and the PDF itself."""

    reclamation = models.ForeignKey("Reclamation", on_delete=models.PROTECT, related_name="courriers")
    type = models.CharField(max_length=30, choices=ModeleLettre.Type.choices)
    modele = models.ForeignKey(ModeleLettre, on_delete=models.PROTECT, related_name="+")
    modele_version = models.PositiveIntegerField("version du modèle")
    objet = models.CharField(max_length=255)
    corps = models.TextField()
    pdf = models.BinaryField(editable=False)
    created_at = models.DateTimeField("généré le", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="généré par", on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = "courrier généré"
        verbose_name_plural = "courriers générés"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_type_display()} du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def etablissement_id(self):
        return self.reclamation.etablissement_id

    @property
    def reference_audit(self):
        return f"Courrier « {self.get_type_display()} » — réclamation {self.reclamation.reference}"
