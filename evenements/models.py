import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils import timezone

from qualite.organisation.models import Etablissement, Horodatage, Pole, Service
from qualite.organisation.rattachement import erreurs_de_rattachement
from qualite.outils import tableaux
from qualite.outils.dates import dans_le_futur

ECHELLE = [MinValueValidator(1), MaxValueValidator(5)]


class Gravite(models.IntegerChoices):
    MINEUR = 1, "1 — Mineur"
    SIGNIFICATIF = 2, "2 — Significatif"
    MAJEUR = 3, "3 — Majeur"
    CRITIQUE = 4, "4 — Critique"
    CATASTROPHIQUE = 5, "5 — Catastrophique"


class Vraisemblance(models.IntegerChoices):
    TRES_IMPROBABLE = 1, "1 — Très improbable"
    IMPROBABLE = 2, "2 — Improbable"
    POSSIBLE = 3, "3 — Possible"
    PROBABLE = 4, "4 — Probable"
    TRES_PROBABLE = 5, "5 — Très probable"


class TypeEvenement(models.Model):
    """Taxonomy edited by administrators; an unused type is deactivated, never deleted."""

    libelle = models.CharField("libellé", max_length=120, unique=True)
    ordre = models.PositiveSmallIntegerField(default=100)
    actif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "type d'évènement"
        verbose_name_plural = "types d'évènement"
        ordering = ["ordre", "libelle"]

    def __str__(self):
        return self.libelle


class MatriceCriticite(models.Model):
    """Zone thresholds of the 5×5 matrix (one row). Criticité = gravité × vraisemblance."""

    seuil_a_surveiller = models.PositiveSmallIntegerField(
        "à surveiller à partir de", default=5, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    seuil_inacceptable = models.PositiveSmallIntegerField(
        "inacceptable à partir de", default=10, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )

    class Meta:
        verbose_name = "matrice de criticité"
        verbose_name_plural = "matrice de criticité"

    def __str__(self):
        return f"À surveiller ≥ {self.seuil_a_surveiller}, inacceptable ≥ {self.seuil_inacceptable}"

    def clean(self):
        if self.seuil_a_surveiller >= self.seuil_inacceptable:
            raise ValidationError("Le seuil « à surveiller » doit être inférieur au seuil « inacceptable ».")

    @classmethod
    def courante(cls):
        return cls.objects.order_by("pk").first() or cls()

    def zone(self, criticite: int | None) -> str | None:
        if criticite is None:
            return None
        if criticite >= self.seuil_inacceptable:
            return "inacceptable"
        if criticite >= self.seuil_a_surveiller:
            return "a_surveiller"
        return "acceptable"

    def q_zone(self, zone: str, champ: str = "criticite_calc") -> models.Q:
        """zone() as a filter on an annotated criticité (EvenementQuerySet.avec_criticite)."""
        bornes = {"inacceptable": (self.seuil_inacceptable, None), "a_surveiller": (self.seuil_a_surveiller, self.seuil_inacceptable),
                  "acceptable": (None, self.seuil_a_surveiller)}[zone]
        q = models.Q(**{f"{champ}__isnull": False})
        if bornes[0] is not None:
            q &= models.Q(**{f"{champ}__gte": bornes[0]})
        if bornes[1] is not None:
            q &= models.Q(**{f"{champ}__lt": bornes[1]})
        return q


ZONES = {"acceptable": "Acceptable", "a_surveiller": "À surveiller", "inacceptable": "Inacceptable"}

# Criticité = gravité × vraisemblance (docs/evenements.md), in SQL; the list's sort index is built on it.
EXPRESSION_CRITICITE = F("gravite") * F("vraisemblance")


class EvenementQuerySet(models.QuerySet):
    def avec_criticite(self):
        return self.annotate(criticite_calc=EXPRESSION_CRITICITE)


class Statut(models.TextChoices):
    DECLARE = "declare", "Déclaré"
    PRIS_EN_CHARGE = "pris_en_charge", "Pris en charge"
    EN_ANALYSE = "en_analyse", "En analyse"
    ACTIONS_EN_COURS = "actions_en_cours", "Actions en cours"
    CLOTURE = "cloture", "Clôturé"
    CLASSE_SANS_SUITE = "classe_sans_suite", "Classé sans suite"


STATUTS_CLOS = (Statut.CLOTURE, Statut.CLASSE_SANS_SUITE)


TRANSITIONS: dict[str, tuple[str, ...]] = {
    Statut.DECLARE: (Statut.PRIS_EN_CHARGE, Statut.CLASSE_SANS_SUITE),
    Statut.PRIS_EN_CHARGE: (Statut.EN_ANALYSE, Statut.ACTIONS_EN_COURS, Statut.CLOTURE, Statut.CLASSE_SANS_SUITE),
    Statut.EN_ANALYSE: (Statut.ACTIONS_EN_COURS, Statut.CLOTURE),
    Statut.ACTIONS_EN_COURS: (Statut.CLOTURE,),
    Statut.CLOTURE: (),
    Statut.CLASSE_SANS_SUITE: (),
}


class PersonneConcernee(models.TextChoices):
    PATIENT = "patient", "Patient / résident"
    PROFESSIONNEL = "professionnel", "Professionnel"
    VISITEUR = "visiteur", "Visiteur"
    BIENS = "biens", "Biens / matériel"

# What the register's search reads: the account of the event, never the declarant's identity.
CHAMPS_RECHERCHE = ("reference", "lieu", "description", "mesures_immediates", "consequences")


@pghistory.track()
class EvenementIndesirable(Horodatage):
    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    pole = models.ForeignKey(Pole, verbose_name="pôle", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    survenu_le = models.DateTimeField("survenu le")
    lieu = models.CharField("lieu précis", max_length=200, blank=True)
    type = models.ForeignKey(TypeEvenement, verbose_name="type", on_delete=models.PROTECT)
    description = models.TextField("que s'est-il passé ?")
    personnes = ArrayField(
        models.CharField(max_length=20, choices=PersonneConcernee.choices), verbose_name="personnes concernées"
    )
    mesures_immediates = models.TextField("mesures immédiates prises", blank=True)
    consequences = models.TextField("conséquences", blank=True)
    gravite_estimee = models.PositiveSmallIntegerField("gravité estimée", choices=Gravite.choices, validators=ECHELLE)
    # Entered, never derived: a near miss may still be serious (gravité) had it reached the person.
    presque_accident = models.BooleanField(
        "presque accident (évènement évité)", default=False,
        help_text="L'évènement a été intercepté ou ne s'est pas produit jusqu'à la personne concernée.",
    )
    confidentiel = models.BooleanField(
        "garder mon identité confidentielle", default=False,
        help_text="Seuls les gestionnaires des risques verront votre nom.",
    )
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.DECLARE, db_index=True)
    motif_classement = models.CharField("motif du classement sans suite", max_length=255, blank=True)
    # Qualification by the risk manager
    gravite = models.PositiveSmallIntegerField("gravité", choices=Gravite.choices, validators=ECHELLE, null=True, blank=True)
    vraisemblance = models.PositiveSmallIntegerField(
        choices=Vraisemblance.choices, validators=ECHELLE, null=True, blank=True
    )
    inattendu = models.BooleanField("inattendu au regard de l'état de santé", null=True, blank=True)
    deces = models.BooleanField("décès", default=False)
    mise_en_jeu_pronostic_vital = models.BooleanField("mise en jeu du pronostic vital", default=False)
    deficit_permanent = models.BooleanField("déficit fonctionnel permanent probable", default=False)
    est_eigs = models.BooleanField("EIGS (R1413-67)", null=True, blank=True)
    resume_anonymise = models.TextField(
        "résumé anonymisé pour la CDU", blank=True,
        help_text="Sans nom, date de naissance ni détail identifiant : seul ce texte est montré à la CDU et aux représentants des usagers.",
    )
    qualifie_le = models.DateTimeField(null=True, blank=True)
    qualifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Feedback to the declarant
    retour_declarant = models.TextField("retour au déclarant", blank=True)
    retour_le = models.DateTimeField(null=True, blank=True)
    cloture_le = models.DateTimeField(null=True, blank=True)

    objects = EvenementQuerySet.as_manager()

    class Meta:
        verbose_name = "évènement indésirable"
        verbose_name_plural = "évènements indésirables"
        ordering = ["-survenu_le", "-id"]
        indexes = [
            # Lists read in date order then filter by scope: this index serves them at 100 000 rows.
            models.Index(F("survenu_le").desc(), F("id").desc(), name="ei_date_id_idx"),
            models.Index(EXPRESSION_CRITICITE.desc(nulls_last=True), F("survenu_le").desc(), F("id").desc(),
                         name="ei_criticite_idx"),
            models.Index(fields=["etablissement", "-survenu_le"]),
            models.Index(fields=["pole", "-survenu_le"]),
            models.Index(fields=["created_by", "-created_at"]),
            tableaux.index_recherche("ei_recherche_idx", CHAMPS_RECHERCHE),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(gravite_estimee__gte=1, gravite_estimee__lte=5), name="ei_gravite_estimee_1_5"),
            models.CheckConstraint(
                condition=models.Q(gravite__isnull=True) | models.Q(gravite__gte=1, gravite__lte=5), name="ei_gravite_1_5"
            ),
            models.CheckConstraint(
                condition=models.Q(vraisemblance__isnull=True) | models.Q(vraisemblance__gte=1, vraisemblance__lte=5),
                name="ei_vraisemblance_1_5",
            ),
            models.CheckConstraint(
                condition=~models.Q(statut="classe_sans_suite") | ~models.Q(motif_classement=""),
                name="ei_classement_motive",
            ),
        ]

    @property
    def personnes_libelles(self) -> str:
        """The persons concerned by their labels (« Patient / résident, Visiteur »), never their codes."""
        libelles = dict(PersonneConcernee.choices)
        return ", ".join(str(libelles.get(p, p)) for p in self.personnes)

    def __str__(self):
        return self.reference

    @property
    def reference_audit(self):
        return f"Évènement {self.reference}"

    @property
    def criticite(self) -> int | None:
        if self.gravite is None or self.vraisemblance is None:
            return None
        return self.gravite * self.vraisemblance

    def zone(self, matrice: MatriceCriticite | None = None) -> str | None:
        return (matrice or MatriceCriticite.courante()).zone(self.criticite)

    @property
    def criteres_eig(self) -> bool:
        """R1413-67: unexpected, with death, life-threatening outcome or probable permanent deficit."""
        return bool(self.inattendu) and (self.deces or self.mise_en_jeu_pronostic_vital or self.deficit_permanent)

    def transitions_possibles(self) -> tuple[str, ...]:
        return TRANSITIONS[self.statut]

    def etapes(self) -> list[dict]:
        """The step bar: each step done, current or to come; a closed-without-follow-up event ends where it stood."""
        if self.statut == Statut.CLASSE_SANS_SUITE:
            return [{"statut": Statut.DECLARE, "libelle": Statut.DECLARE.label, "etat": "fait"},
                    {"statut": Statut.CLASSE_SANS_SUITE, "libelle": Statut.CLASSE_SANS_SUITE.label, "etat": "courant"}]
        rang = ETAPES.index(self.statut)
        return [{"statut": s, "libelle": s.label, "etat": "fait" if i < rang else "courant" if i == rang else "a_venir"}
                for i, s in enumerate(ETAPES)]

    def statut_apres(self, geste: str) -> str:
        """The state the work moves the event to: qualifying takes a declared event over, opening an analysis
        puts it in analysis, a corrective action puts its actions under way. Never backwards."""
        suivant = {
            Geste.QUALIFICATION: {Statut.DECLARE: Statut.PRIS_EN_CHARGE},
            Geste.ANALYSE: {Statut.PRIS_EN_CHARGE: Statut.EN_ANALYSE},
            Geste.ACTION: {Statut.PRIS_EN_CHARGE: Statut.ACTIONS_EN_COURS, Statut.EN_ANALYSE: Statut.ACTIONS_EN_COURS},
        }.get(geste, {})
        return suivant.get(self.statut, self.statut)

    def prochains_gestes(self) -> list[str]:
        """The next legal moves, in the order a risk manager takes them: a gesture (Geste) or a state to move to.
        Qualify first; an EIGS goes to the ARS (part 1 « sans délai », part 2 within 3 months); analyse; act;
        answer the declarant; close."""
        if self.est_clos:
            return [] if self.retour_le else [Geste.RETOUR]
        if self.statut == Statut.DECLARE:
            return [Geste.QUALIFICATION, Statut.CLASSE_SANS_SUITE]
        gestes: list[str] = []
        declaration = DeclarationARS.objects.filter(evenement_id=self.pk).first() if self.est_eigs else None
        if declaration is not None and not declaration.partie1_envoyee_le:
            gestes.append(Geste.ARS_PARTIE1)
        elif declaration is not None and not declaration.partie2_envoyee_le:
            gestes.append(Geste.ARS_PARTIE2)
        if self.statut in (Statut.PRIS_EN_CHARGE, Statut.EN_ANALYSE):
            gestes.append(Geste.ANALYSE)
        gestes.append(Geste.ACTION)
        if not self.retour_le:
            gestes.append(Geste.RETOUR)
        gestes.extend(s for s in self.transitions_possibles() if s not in (Statut.EN_ANALYSE, Statut.ACTIONS_EN_COURS))
        return gestes

    @property
    def est_clos(self) -> bool:
        return self.statut in STATUTS_CLOS

    def clean(self):
        errors = erreurs_de_rattachement(None, pole=self.pole if self.pole_id else None,
                                         service=self.service if self.service_id else None)
        if dans_le_futur(self.survenu_le):
            errors["survenu_le"] = "La date de survenue ne peut pas être dans le futur."
        elif self.pk and self.survenu_le:  # the ARS declaration already sent keeps its order (ORDRE_ARS)
            envoi = DeclarationARS.objects.filter(evenement_id=self.pk, partie1_envoyee_le__lt=self.survenu_le) \
                .values_list("partie1_envoyee_le", flat=True).first()
            if envoi:
                errors["survenu_le"] = ("La survenue ne peut suivre l'envoi de la partie 1 à l'ARS "
                                        f"({timezone.localtime(envoi):%d/%m/%Y %H:%M}).")
        if errors:
            raise ValidationError(errors)


class Geste(models.TextChoices):
    """The work done on an event, recorded in its timeline (with or without a change of state)."""

    QUALIFICATION = "qualification", "Qualification"
    EIGS = "eigs", "Déclaré EIGS"
    ARS_PARTIE1 = "ars_partie1", "Partie 1 envoyée à l'ARS"
    ARS_PARTIE2 = "ars_partie2", "Partie 2 envoyée à l'ARS"
    ANALYSE = "analyse", "Analyse approfondie ouverte"
    ANALYSE_TERMINEE = "analyse_terminee", "Analyse approfondie terminée"
    ACTION = "action", "Action corrective ajoutée"
    RETOUR = "retour", "Retour au déclarant"


# The step bar: the path of an event followed to its end (« classé sans suite » ends it at any step).
ETAPES = (Statut.DECLARE, Statut.PRIS_EN_CHARGE, Statut.EN_ANALYSE, Statut.ACTIONS_EN_COURS, Statut.CLOTURE)


class TransitionEvenement(models.Model):
    evenement = models.ForeignKey(EvenementIndesirable, on_delete=models.PROTECT, related_name="transitions")
    de = models.CharField(max_length=20, choices=Statut.choices, blank=True)
    vers = models.CharField(max_length=20, choices=Statut.choices)
    geste = models.CharField(max_length=20, choices=Geste.choices, blank=True,
                             help_text="Le travail fait ; vide pour un simple changement d'état.")
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    le = models.DateTimeField(default=timezone.now)
    commentaire = models.TextField(blank=True)

    class Meta:
        ordering = ["le", "id"]
        verbose_name = "étape"

    def __str__(self):
        return f"{self.evenement_id} → {self.get_vers_display()}"

    @property
    def libelle(self) -> str:
        """What the timeline says: the gesture, and the new state when it moved the event on."""
        if not self.geste:
            return self.get_vers_display()
        if self.de and self.de != self.vers:
            return f"{self.get_geste_display()} — passe à « {self.get_vers_display()} »"
        return self.get_geste_display()


@pghistory.track()
class DeclarationARS(Horodatage):
    """EIGS declaration to the ARS (R1413-69), two parts, prepared for the national portal."""

    evenement = models.OneToOneField(EvenementIndesirable, on_delete=models.PROTECT, related_name="declaration_ars")
    # Part 1, "sans délai"
    nature = models.TextField("nature de l'évènement", blank=True)
    circonstances = models.TextField(blank=True)
    premieres_mesures = models.TextField("premières mesures prises", blank=True)
    information_patient = models.TextField("information du patient ou de ses proches", blank=True)
    partie1_envoyee_le = models.DateTimeField("partie 1 envoyée le", null=True, blank=True)
    # Part 2, at the latest 3 months later
    prise_en_charge = models.TextField("modalités de prise en charge de l'évènement", blank=True)
    enseignements = models.TextField("enseignements de l'analyse approfondie", blank=True)
    plan_actions = models.TextField("plan d'actions correctives et échéances", blank=True)
    partie2_envoyee_le = models.DateTimeField("partie 2 envoyée le", null=True, blank=True)

    class Meta:
        verbose_name = "déclaration d'EIGS à l'ARS"
        verbose_name_plural = "déclarations d'EIGS à l'ARS"

    def __str__(self):
        return f"Déclaration ARS {self.evenement.reference}"

    @property
    def etablissement_id(self):
        return self.evenement.etablissement_id

    @property
    def limite_partie2(self):
        """Part 2 at the latest 3 months (the rule table's delay) after part 1 was sent (R1413-69; start date à
        vérifier), end of the Paris day."""
        from qualite.echeances import delais
        from qualite.echeances.moteur import ajouter_mois, fin_de_jour

        if not self.partie1_envoyee_le:
            return None
        mois = delais.charger(["eigs-partie2"])["eigs-partie2"].mois
        return fin_de_jour(ajouter_mois(timezone.localtime(self.partie1_envoyee_le).date(), mois))


class CategorieALARM(models.TextChoices):
    PATIENT = "patient", "Patient"
    INDIVIDU = "individu", "Individu (professionnel)"
    TACHE = "tache", "Tâche"
    EQUIPE = "equipe", "Équipe"
    ENVIRONNEMENT = "environnement", "Environnement de travail"
    ORGANISATION = "organisation", "Organisation et management"
    INSTITUTIONNEL = "institutionnel", "Contexte institutionnel"


@pghistory.track()
class AnalyseApprofondie(Horodatage):
    class Methode(models.TextChoices):
        ALARM = "alarm", "ALARM"
        ORION = "orion", "ORION"
        AUTRE = "autre", "Autre"

    evenement = models.ForeignKey(EvenementIndesirable, on_delete=models.PROTECT, related_name="analyses")
    methode = models.CharField("méthode", max_length=10, choices=Methode.choices, default=Methode.ALARM)
    date = models.DateField("date de l'analyse")
    participants = models.TextField(help_text="Fonctions des participants, une par ligne.")
    chronologie = models.TextField("chronologie des faits", blank=True)
    causes_immediates = models.TextField("causes immédiates", blank=True)
    causes_profondes = models.TextField("causes profondes", blank=True)
    conclusions = models.TextField(blank=True)
    terminee = models.BooleanField("analyse terminée", default=False)

    class Meta:
        verbose_name = "analyse approfondie"
        verbose_name_plural = "analyses approfondies"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"Analyse {self.get_methode_display()} du {self.date:%d/%m/%Y} — {self.evenement.reference}"

    @property
    def etablissement_id(self):
        return self.evenement.etablissement_id


class FacteurQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(retire_le__isnull=True)


@pghistory.track()
class FacteurContributif(Horodatage):
    """A factor taken out of an analysis is kept, dated: the analysis' history stays readable."""

    analyse = models.ForeignKey(AnalyseApprofondie, on_delete=models.PROTECT, related_name="facteurs")
    categorie = models.CharField("catégorie ALARM", max_length=20, choices=CategorieALARM.choices)
    description = models.CharField(max_length=500)
    retire_le = models.DateTimeField("retiré le", null=True, blank=True)

    objects = FacteurQuerySet.as_manager()

    class Meta:
        ordering = ["categorie", "id"]
        verbose_name = "facteur contributif"

    def __str__(self):
        return f"{self.get_categorie_display()} : {self.description}"


@pghistory.track()
class RevueExperience(Horodatage):
    class Type(models.TextChoices):
        RMM = "rmm", "RMM — revue de morbi-mortalité"
        CREX = "crex", "CREX — comité de retour d'expérience"
        REMED = "remed", "REMED — revue des erreurs médicamenteuses"

    type = models.CharField(max_length=10, choices=Type.choices)
    date = models.DateField()
    etablissement = models.ForeignKey(Etablissement, verbose_name="établissement", on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    participants = models.TextField(help_text="Fonctions des participants, une par ligne.")
    evenements = models.ManyToManyField(EvenementIndesirable, blank=True, related_name="revues", verbose_name="évènements revus")
    conclusions = models.TextField(blank=True)

    class Meta:
        verbose_name = "revue RMM / CREX / REMED"
        verbose_name_plural = "revues RMM / CREX / REMED"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.get_type_display().split(' — ')[0]} du {self.date:%d/%m/%Y}"
