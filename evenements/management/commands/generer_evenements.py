"""Generate a realistic volume of adverse events for benchmarks (never on production data).

    python manage.py generer_evenements --nombre 100000 --annees 10 [--graine 42] [--etablissement NOM]

References come from the Compteur rows ("EI", year): each year's counter is bumped once by
the number of rows generated for that year, so later declarations never collide with them.
Rows are written with bulk_create by batches; pghistory triggers write one history row each,
under a pghistory context naming this command (about half the trigger cost of a context-less insert).
"""

import random
import time
import unicodedata
from collections import Counter
from datetime import timedelta

import pghistory
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from evenements.models import STATUTS_CLOS, EvenementIndesirable, Statut, TypeEvenement
from qualite.organisation.models import Compteur, Etablissement, Service, Utilisateur
from qualite.organisation.roles import Role
from qualite.outils import copie, registres

PREFIXE = "EI"
TAILLE_LOT = 5000
LONGUEUR_REFERENCE = EvenementIndesirable._meta.get_field("reference").max_length

# Relative frequency by (normalised) start of the type's label; unknown types weigh POIDS_DEFAUT.
POIDS_TYPES = {
    "chute": 24, "medicament": 20, "soins": 10, "organisation": 9, "identitovigilance": 7,
    "violence": 6, "infection": 4, "dispositif": 4, "biens": 4, "systeme": 3, "autre": 3,
    "fugue": 2, "transfusion": 1, "suicide": 1,
}
POIDS_DEFAUT = 2
GRAVITES_ESTIMEES = ([1, 2, 3, 4, 5], [45, 35, 13, 5, 2])
VRAISEMBLANCES = ([1, 2, 3, 4, 5], [18, 30, 28, 16, 8])
PERSONNES = ([["patient"], ["professionnel"], ["patient", "professionnel"], ["visiteur"], ["biens"]],
             [72, 12, 8, 3, 5])
LIEUX = ["Chambre", "Couloir", "Salle de soins", "Salle de bains", "Bloc opératoire", "Salle d'attente",
         "Poste de soins", "Pharmacie", "Ascenseur", "Parking", ""]
DESCRIPTIONS = [
    "Patient retrouvé au sol dans sa chambre, sans témoin.",
    "Erreur de dose constatée lors de l'administration du traitement du soir.",
    "Bracelet d'identification absent à l'arrivée au bloc.",
    "Retard de prise en charge faute de lit disponible.",
    "Dispositif de perfusion défectueux, remplacé.",
    "Agression verbale d'un soignant par un visiteur.",
    "Prescription non retrouvée dans le dossier informatisé.",
    "Fugue d'un patient pendant le changement d'équipe.",
    "Panne du logiciel de prescription pendant deux heures.",
    "Objet personnel du patient égaré lors du transfert.",
]
MESURES = ["Surveillance renforcée.", "Médecin prévenu.", "Famille informée.", "Matériel retiré du service.", ""]
CONSEQUENCES = ["Aucune conséquence.", "Hématome, radiographie normale.", "Surveillance prolongée 24 h.",
                "Retard de soins sans conséquence clinique.", ""]
RETOURS = [
    "Merci pour votre déclaration ; une action de formation est programmée.",
    "Analyse réalisée en CREX ; la procédure a été mise à jour.",
    "Le matériel a été remplacé et le fournisseur informé.",
    "Évènement présenté en RMM ; une check-list est en cours de déploiement.",
]
RESUMES_EIGS = ["Chute avec fracture du col du fémur chez un patient âgé, opéré secondairement.",
                "Erreur d'administration d'un anticoagulant suivie d'une hémorragie grave.",
                "Arrêt cardio-respiratoire inattendu au décours d'une sédation.",
                "Retard diagnostique aux urgences ayant entraîné une séquelle neurologique."]
MOTIFS_CLASSEMENT = ["Doublon d'une déclaration existante.", "Ne relève pas des évènements indésirables.",
                     "Réclamation réorientée vers la relation avec les usagers."]
# Status of an event older than six months / of a recent one.
STATUTS_ANCIENS = ([Statut.CLOTURE, Statut.CLASSE_SANS_SUITE, Statut.ACTIONS_EN_COURS, Statut.EN_ANALYSE,
                    Statut.PRIS_EN_CHARGE], [89, 4, 4, 2, 1])
STATUTS_RECENTS = ([Statut.DECLARE, Statut.PRIS_EN_CHARGE, Statut.EN_ANALYSE, Statut.ACTIONS_EN_COURS,
                    Statut.CLOTURE, Statut.CLASSE_SANS_SUITE], [20, 20, 15, 15, 25, 5])
TAUX_QUALIFIES = 0.62  # "déclaré" events are never qualified: about 60 % overall
TAUX_EIGS = 0.005


def _normaliser(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode().lower()


def poids_type(libelle: str) -> int:
    nom = _normaliser(libelle)
    return next((p for cle, p in POIDS_TYPES.items() if nom.startswith(cle)), POIDS_DEFAUT)


def horodatage_libre():
    """Let bulk_create keep the created_at / updated_at we computed instead of "now"."""
    return copie.horodatage_libre(EvenementIndesirable)


def reserver_numeros(comptes: dict[int, int]) -> dict[int, int]:
    """Bump each year's Compteur by its count in one UPDATE; return the first number reserved per year."""
    table = connection.ops.quote_name(Compteur._meta.db_table)
    premiers = {}
    with transaction.atomic():
        for annee, n in sorted(comptes.items()):
            Compteur.objects.get_or_create(prefixe=PREFIXE, annee=annee)
            with connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {table} SET valeur = valeur + %s WHERE prefixe = %s AND annee = %s RETURNING valeur",
                    [n, PREFIXE, annee],
                )
                fin = cur.fetchone()[0]
            premiers[annee] = fin - n + 1
            if len(f"{PREFIXE}-{annee}-{fin:05d}") > LONGUEUR_REFERENCE:
                raise CommandError(f"Les références de {annee} dépasseraient {LONGUEUR_REFERENCE} caractères.")
    return premiers


class Command(BaseCommand):
    help = "Génère un volume réaliste d'évènements indésirables fictifs (bancs d'essai)."

    def add_arguments(self, parser):
        parser.add_argument("--nombre", type=int, default=100_000, help="nombre d'évènements (100 000 par défaut)")
        parser.add_argument("--annees", type=int, default=10, help="étalés sur les N dernières années (10)")
        parser.add_argument("--graine", type=int, default=None, help="graine du générateur aléatoire")
        parser.add_argument("--etablissement", default=None, help="nom de l'établissement (tous par défaut)")

    def handle(self, *args, nombre, annees, graine, etablissement, **options):
        if nombre < 1:
            raise CommandError("--nombre doit être au moins 1.")
        if annees < 1:
            raise CommandError("--annees doit être au moins 1.")
        debut = time.monotonic()
        rng = random.Random(graine)
        services, type_ids, type_poids, declarants, gestionnaires = self._organisation(etablissement)
        maintenant = timezone.now()
        an = timedelta(days=365.25)
        # Year k before now (k = 0: the last twelve months) weighs 1.08^-k: recent years slightly more.
        poids_annees = [1.08 ** -k for k in range(annees)]
        indices_annees = rng.choices(range(annees), weights=poids_annees, k=nombre)
        dates = sorted(maintenant - an * (k + rng.random()) for k in indices_annees)
        prochains = reserver_numeros(Counter(timezone.localtime(d).year for d in dates))
        self.stdout.write(
            f"{nombre} évènements sur {annees} an(s), {len(services)} service(s), {len(type_ids)} type(s), "
            f"{sum(map(len, declarants.values()))} déclarant(s) ; références réservées en "
            f"{time.monotonic() - debut:.1f} s."
        )

        def fabriquer(survenu_le):
            annee = timezone.localtime(survenu_le).year
            n = prochains[annee]
            prochains[annee] = n + 1
            return self._evenement(rng, survenu_le, f"{PREFIXE}-{annee}-{n:05d}", maintenant,
                                   services, type_ids, type_poids, declarants, gestionnaires)

        faits, t_generation, t_insertion = self._inserer(dates, fabriquer, graine, debut)
        # Fresh statistics, or the planner estimates a few hundred rows and benchmarks mislead.
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {connection.ops.quote_name(EvenementIndesirable._meta.db_table)}")
        total = time.monotonic() - debut
        self.stdout.write(self.style.SUCCESS(
            f"{faits} évènements créés en {total:.1f} s (génération Python {t_generation:.1f} s, "
            f"insertion SQL et historique pghistory {t_insertion:.1f} s, soit {faits / total:.0f} lignes/s)."
        ))

    @staticmethod
    def _organisation(etablissement):
        """(services, type ids, type weights, declarants and risk managers by établissement) to draw from."""
        etabs = Etablissement.objects.filter(actif=True)
        if etablissement:
            etabs = etabs.filter(nom=etablissement)
            if not etabs.exists():
                raise CommandError(f"Établissement actif introuvable : « {etablissement} ».")
        services = list(
            Service.objects.filter(actif=True, pole__actif=True, pole__etablissement__in=etabs)
            .values_list("id", "pole_id", "pole__etablissement_id")
        )
        if not services:
            raise CommandError("Aucun service actif : créez l'organisation (python manage.py demo) avant de générer.")
        types = list(TypeEvenement.objects.filter(actif=True).values_list("id", "libelle"))
        if not types:
            raise CommandError("Aucun type d'évènement actif : impossible de générer des évènements.")
        declarants: dict[int, list[int]] = {}
        gestionnaires: dict[int, list[int]] = {}
        for uid, eid, roles in Utilisateur.objects.filter(
            is_active=True, etablissements__in={s[2] for s in services}
        ).values_list("id", "etablissements", "roles"):
            declarants.setdefault(eid, []).append(uid)
            if Role.GESTIONNAIRE_RISQUES in roles:
                gestionnaires.setdefault(eid, []).append(uid)
        return services, [t[0] for t in types], [poids_type(t[1]) for t in types], declarants, gestionnaires

    def _inserer(self, dates, fabriquer, graine, debut) -> tuple[int, float, float]:
        """Insert by batches; (rows, seconds building them, seconds inserting them)."""
        faits = 0
        t_generation = t_insertion = 0.0
        with horodatage_libre():
            for i in range(0, len(dates), TAILLE_LOT):
                t0 = time.monotonic()
                lot = [fabriquer(d) for d in dates[i:i + TAILLE_LOT]]
                t1 = time.monotonic()
                # The context labels the history rows and spares the trigger a caught exception per row.
                with transaction.atomic(), pghistory.context(commande="generer_evenements", graine=graine):
                    EvenementIndesirable.objects.bulk_create(lot, batch_size=TAILLE_LOT)
                    registres.modifie(EvenementIndesirable)  # bulk_create sends no signal
                t2 = time.monotonic()
                t_generation += t1 - t0
                t_insertion += t2 - t1
                faits += len(lot)
                self.stdout.write(f"  {faits:>9} / {len(dates)}  ({time.monotonic() - debut:.1f} s)")
        return faits, t_generation, t_insertion

    @staticmethod
    def _evenement(rng, survenu_le, reference, maintenant, services, type_ids, type_poids, declarants, gestionnaires):
        service_id, pole_id, etab_id = rng.choice(services)
        created_at = min(survenu_le + timedelta(minutes=rng.randint(5, 72 * 60)), maintenant)
        ancien = maintenant - survenu_le > timedelta(days=180)
        statut = rng.choices(*(STATUTS_ANCIENS if ancien else STATUTS_RECENTS))[0]
        gravite_estimee = rng.choices(*GRAVITES_ESTIMEES)[0]
        utilisateurs = declarants.get(etab_id) or [None]
        ev = EvenementIndesirable(
            reference=reference, etablissement_id=etab_id, pole_id=pole_id, service_id=service_id,
            survenu_le=survenu_le, lieu=rng.choice(LIEUX), type_id=rng.choices(type_ids, type_poids)[0],
            description=rng.choice(DESCRIPTIONS), personnes=rng.choices(*PERSONNES)[0],
            mesures_immediates=rng.choice(MESURES), consequences=rng.choice(CONSEQUENCES),
            gravite_estimee=gravite_estimee, confidentiel=rng.random() < 0.1, statut=statut,
            created_by_id=rng.choice(utilisateurs), created_at=created_at, updated_at=created_at,
        )
        eigs = rng.random() < TAUX_EIGS
        if eigs or (statut != Statut.DECLARE and rng.random() < TAUX_QUALIFIES):
            ev.qualifie_le = min(created_at + timedelta(hours=rng.randint(2, 10 * 24)), maintenant)
            ev.qualifie_par_id = rng.choice(gestionnaires.get(etab_id) or [None])
            ev.vraisemblance = rng.choices(*VRAISEMBLANCES)[0]
            if eigs:
                ev.deces = rng.random() < 0.3
                ev.deficit_permanent = not ev.deces or rng.random() < 0.2
                ev.mise_en_jeu_pronostic_vital = rng.random() < 0.5
                ev.inattendu = ev.est_eigs = True
                ev.gravite = 5 if ev.deces else 4
                ev.gravite_estimee = max(gravite_estimee, 3)
                if rng.random() < 0.8:
                    ev.resume_anonymise = rng.choice(RESUMES_EIGS)
            else:
                ev.gravite = min(5, max(1, gravite_estimee + rng.choice((-1, 0, 0, 0, 1))))
                ev.inattendu = rng.random() < 0.3
                ev.est_eigs = False
            ev.updated_at = ev.qualifie_le
        if statut in STATUTS_CLOS:
            ev.cloture_le = min(created_at + timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 23)), maintenant)
            ev.updated_at = max(ev.updated_at, ev.cloture_le)
            if statut == Statut.CLASSE_SANS_SUITE:
                ev.motif_classement = rng.choice(MOTIFS_CLASSEMENT)
            if rng.random() < (0.75 if statut == Statut.CLOTURE else 0.3):
                ev.retour_declarant = rng.choice(RETOURS)
                ev.retour_le = ev.cloture_le
        return ev
