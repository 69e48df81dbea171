"""Generate active involuntary-care measures for benchmarks (never on production data).

    python manage.py generer_mesures_ssc --nombre 5000 [--graine 42] [--etablissement NOM]

Measures are admitted in bulk by usagers.ssc.services.mesures_admettre_en_lot and their records added by
actes_ajouter_en_lot (the checks of mesure_admettre and acte_ajouter), each batch's calendars then computed
together (mesures_recalculer): the deadlines are exactly those the product computes, about 5 000 measures
in under a minute. Measures are spread over the services
of psychiatry pôles (all services if there is none); T0 over the last 18 months, recent
ones more frequent. Most files are kept up to date (24 h / 72 h certificates, monthly
certificates, judge, prefect's orders, college), the others stop at some point, so the daily
view mixes overdue, due-today and coming deadlines. Batches run in one transaction each,
under a pghistory context naming this command.
"""

import random
import time
from datetime import date, datetime, timedelta
from datetime import time as heure

import pghistory
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from qualite.echeances.models import Echeance
from qualite.echeances.moteur import ajouter_mois
from qualite.organisation.models import Etablissement, Service, Utilisateur
from qualite.organisation.roles import Role
from usagers.ssc import services
from usagers.ssc.calendrier import Mode, TypeActe
from usagers.ssc.models import ActeMesure, MesureSoinsSansConsentement, PatientSSC

TAILLE_LOT = 500  # measures per transaction
JOURS_MAX = 548  # 18 months
MODES = ([Mode.SDT, Mode.SDT_URGENCE, Mode.SPI, Mode.SDRE, Mode.SDRE_MAIRE, Mode.DETENU, Mode.IRRESPONSABILITE],
         [45, 15, 15, 20, 2, 2, 1])
TAUX_24H = 0.92
TAUX_72H = 0.95  # of those with a 24 h certificate
TAUX_A_JOUR = 0.75  # files kept up to date; the others stop at a random point (overdue deadlines)
NOMS = ["Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
        "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
        "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André"]
PRENOMS = ["Léa", "Hugo", "Chloé", "Lucas", "Emma", "Louis", "Manon", "Gabriel", "Camille", "Arthur", "Inès",
           "Jules", "Sarah", "Adam", "Julie", "Nathan", "Anaïs", "Théo", "Zoé", "Maël", "Claire", "Karim"]
LIENS = ["mère", "père", "frère", "sœur", "conjoint(e)", "fils", "fille", "ami(e)", "tuteur"]
PSYCHIATRES = [f"Dr {n}" for n in ("Aubert", "Barbier", "Carpentier", "Delmas", "Esnault", "Ferrand", "Guillot",
                                   "Hamon", "Jacquet", "Kieffer", "Lemoine", "Marchal", "Noël", "Perrin")]


def _instant(jour: date, rng: random.Random) -> datetime:
    """A working-hours instant of a local day (never in a daylight-saving gap)."""
    return datetime.combine(jour, heure(rng.randint(8, 17), rng.choice((0, 15, 30, 45))),
                            tzinfo=timezone.get_current_timezone())


def _jour(dt: datetime) -> date:
    return timezone.localtime(dt).date()


def plan_actes(mode: str, t0: datetime, maintenant: datetime, rng: random.Random, *, taux_24h: float = TAUX_24H,
               taux_72h: float = TAUX_72H, taux_a_jour: float = TAUX_A_JOUR) -> list[dict]:
    """The records of one file, in date order, none in the future. A file "à jour" has all of
    them; otherwise the list is cut at a random point. The shares change what is drawn, never how many
    draws are made (a given seed draws the same files)."""
    actes = []
    psy = rng.sample(PSYCHIATRES, 2)  # two distinct psychiatrists (required in emergency / imminent peril)

    def cert(type_, quand, **kw):
        return {"type": type_, "date_heure": quand, "auteur": kw.pop("auteur", rng.choice(PSYCHIATRES)),
                "psychiatre_etablissement": True, "conclusion": "maintien", **kw}

    if rng.random() > taux_24h:
        return []
    actes.append(cert(TypeActe.CERTIFICAT_24H, t0 + timedelta(hours=rng.randint(6, 23), minutes=rng.choice((0, 30))),
                      auteur=psy[0]))
    if rng.random() > taux_72h:
        return [a for a in actes if a["date_heure"] <= maintenant]
    c72 = t0 + timedelta(hours=rng.randint(49, 71), minutes=rng.choice((0, 30)))
    actes.append(cert(TypeActe.CERTIFICAT_72H, c72, auteur=psy[1], forme="hc"))
    j0 = _jour(t0)
    prefet = mode in Mode.PREFET
    if mode == Mode.SDRE_MAIRE:
        actes.append({"type": TypeActe.ARRETE_PREFET_ADMISSION, "auteur": "Préfet",
                      "date_heure": t0 + timedelta(hours=rng.randint(8, 40))})
    if prefet:
        actes.append({"type": TypeActe.DECISION_FORME, "auteur": "Préfet", "forme": "hc",
                      "date_heure": _instant(_jour(c72) + timedelta(days=rng.randint(1, 3)), rng)})
    actes += _mensuels(j0, maintenant, rng, cert)
    actes += _juge(j0, maintenant, rng)
    if prefet:
        actes += _arretes_maintien(j0, maintenant, rng)
    actes += _avis_college(j0, maintenant, rng)
    if mode == Mode.SPI:  # the family informed within 24 h (L3212-1 II 2°)
        actes.append({"type": TypeActe.INFORMATION_FAMILLE, "auteur": "Directeur", "date_heure": t0 + timedelta(hours=9)})
    actes = sorted((a for a in actes if t0 < a["date_heure"] <= maintenant), key=lambda a: a["date_heure"])
    if rng.random() > taux_a_jour and actes:
        actes = actes[:rng.randint(1, len(actes))]  # a file left behind: its next deadlines are overdue
    return actes


def _mensuels(j0, maintenant, rng, cert) -> list[dict]:
    """Monthly certificates, each in the last three days of its period (SDT) / month (SDRE)."""
    actes, ancre = [], j0
    while True:
        quand = _instant(ajouter_mois(ancre, 1) - timedelta(days=rng.randint(0, 2)), rng)
        if quand > maintenant:
            return actes
        actes.append(cert(TypeActe.CERTIFICAT_MENSUEL, quand))
        ancre = _jour(quand)


def _juge(j0, maintenant, rng) -> list[dict]:
    """Judge: saisine before day 8, decision before day 12, then every 6 months."""
    actes = [{"type": TypeActe.SAISINE_JUGE, "auteur": "Directeur",
              "date_heure": _instant(j0 + timedelta(days=rng.randint(2, 6)), rng)}]
    decision = _instant(j0 + timedelta(days=rng.randint(8, 11)), rng)
    while decision <= maintenant:
        actes.append({"type": TypeActe.DECISION_JUGE, "auteur": "Juge des libertés et de la détention",
                      "conclusion": "maintien", "date_heure": decision})
        echeance = ajouter_mois(_jour(decision), 6)
        actes.append({"type": TypeActe.SAISINE_JUGE, "auteur": "Directeur",
                      "date_heure": _instant(echeance - timedelta(days=rng.randint(17, 25)), rng)})
        decision = _instant(echeance - timedelta(days=rng.randint(1, 8)), rng)
    return actes


def _arretes_maintien(j0, maintenant, rng) -> list[dict]:
    """The préfet's maintenance orders at 1 month, then 3 months, then every 6 months."""
    actes, echeance, k = [], ajouter_mois(j0, 1), 1
    while True:
        quand = _instant(echeance - timedelta(days=rng.randint(1, 5)), rng)
        if quand > maintenant:
            return actes
        actes.append({"type": TypeActe.ARRETE_PREFET_MAINTIEN, "auteur": "Préfet", "date_heure": quand})
        echeance, k = ajouter_mois(echeance, 3 if k == 1 else 6), k + 1


def _avis_college(j0, maintenant, rng) -> list[dict]:
    actes, annee = [], ajouter_mois(j0, 12)
    while (quand := _instant(annee - timedelta(days=rng.randint(5, 20)), rng)) <= maintenant:
        actes.append({"type": TypeActe.AVIS_COLLEGE, "auteur": "Collège de soignants", "date_heure": quand})
        annee = ajouter_mois(annee, 12)
    return actes


class Command(BaseCommand):
    help = "Génère des mesures de soins sans consentement actives et fictives (bancs d'essai), via les services."

    def add_arguments(self, parser):
        parser.add_argument("--nombre", type=int, default=5000, help="nombre de mesures (5 000 par défaut)")
        parser.add_argument("--graine", type=int, default=None, help="graine du générateur aléatoire")
        parser.add_argument("--etablissement", default=None, help="nom de l'établissement (tous par défaut)")

    def handle(self, *args, nombre, graine, etablissement, **options):
        if nombre < 1:
            raise CommandError("--nombre doit être au moins 1.")
        debut = time.monotonic()
        rng = random.Random(graine)

        etabs = Etablissement.objects.filter(actif=True)
        if etablissement:
            etabs = etabs.filter(nom=etablissement)
            if not etabs.exists():
                raise CommandError(f"Établissement actif introuvable : « {etablissement} ».")
        tous = Service.objects.filter(actif=True, pole__actif=True, pole__etablissement__in=etabs).select_related("pole")
        unites = list(tous.filter(pole__nom__icontains="psychiatrie").order_by("id")) or list(tous.order_by("id"))
        if not unites:
            raise CommandError("Aucun service actif : créez l'organisation (python manage.py demo) avant de générer.")
        par = self._utilisateur({s.pole.etablissement_id for s in unites})

        maintenant = timezone.now()
        ipp_lot = f"SIM{rng.randrange(10**6):06d}"
        self.stdout.write(f"{nombre} mesures sur {len(unites)} unité(s) ({', '.join(s.nom for s in unites[:6])}"
                          f"{'…' if len(unites) > 6 else ''}), saisies par « {par.username} ».")
        faits = nb_actes = 0
        for i in range(0, nombre, TAILLE_LOT):
            with transaction.atomic(), pghistory.context(commande="generer_mesures_ssc", graine=graine):
                nb_actes += self._lot(rng, range(i, min(i + TAILLE_LOT, nombre)), ipp_lot, unites, par, maintenant)
            faits = min(i + TAILLE_LOT, nombre)
            ecoule = time.monotonic() - debut
            self.stdout.write(f"  {faits:>7} / {nombre} mesures, {nb_actes} actes  ({ecoule:.1f} s, "
                              f"{faits / ecoule:.1f} mesures/s)")
        # Fresh statistics, or the planner estimates a few hundred rows and benchmarks mislead.
        with connection.cursor() as cur:
            for modele in (PatientSSC, MesureSoinsSansConsentement, ActeMesure, Echeance):
                cur.execute(f"ANALYZE {connection.ops.quote_name(modele._meta.db_table)}")
        total = time.monotonic() - debut
        self.stdout.write(self.style.SUCCESS(
            f"{faits} mesures actives et {nb_actes} actes créés en {total:.1f} s "
            f"({total / faits * 1000:.0f} ms par mesure, {nb_actes / total:.0f} actes/s)."
        ))

    @staticmethod
    def _utilisateur(etab_ids) -> Utilisateur:
        role = str(Role.BUREAU_ADMISSIONS)
        actifs = Utilisateur.objects.filter(is_active=True, roles__contains=[role])
        par = (actifs.filter(username="admissions").first()
               or actifs.filter(etablissements__in=etab_ids).order_by("id").first()
               or actifs.order_by("id").first())
        if par is None:
            raise CommandError("Aucun utilisateur actif avec le rôle « bureau des admissions » : "
                               "lancez python manage.py demo ou attribuez ce rôle à un compte.")
        return par

    @staticmethod
    def _tirer(rng, n, ipp_lot, unites, maintenant) -> tuple:
        """One measure drawn: (service, patient, mesure, records), the draws in a fixed order for a given seed."""
        mode = rng.choices(*MODES)[0]
        # Recent admissions are more frequent: age = 18 months × u², mean about 6 months.
        t0 = (maintenant - timedelta(minutes=int(JOURS_MAX * 24 * 60 * rng.random() ** 2) + 30)).replace(second=0,
                                                                                                     microsecond=0)
        tiers = mode in (Mode.SDT, Mode.SDT_URGENCE)
        patient = {"ipp": f"{ipp_lot}-{n:07d}", "nom": rng.choice(NOMS), "prenom": rng.choice(PRENOMS),
                   "date_naissance": date(1945, 1, 1) + timedelta(days=rng.randint(0, 60 * 365))}
        donnees = {"mode": mode, "t0": t0,
                   "tiers_nom": f"{rng.choice(PRENOMS)} {rng.choice(NOMS)}" if tiers else "",
                   "tiers_lien": rng.choice(LIENS) if tiers else ""}
        actes = plan_actes(mode, t0, maintenant, rng)
        return rng.choice(unites), patient, donnees, actes

    def _lot(self, rng, numeros, ipp_lot, unites, par, maintenant) -> int:
        """A batch of measures admitted, their records added, their calendars computed once; returns the records'
        number. A refusal of the services names the measure."""
        tirages = [self._tirer(rng, n, ipp_lot, unites, maintenant) for n in numeros]
        try:
            mesures = services.mesures_admettre_en_lot(par=par, admissions=[t[:3] for t in tirages], calculer=False)
        except ValidationError as exc:
            raise CommandError(f"Lot de mesures refusé par les services : {_messages(exc)}") from exc
        actes = [(m, a) for m, t in zip(mesures, tirages, strict=True) for a in t[3]]
        for (mesure, _), resultat in zip(actes, services.actes_ajouter_en_lot(par=par, actes=actes), strict=True):
            if isinstance(resultat, ValidationError):
                raise CommandError(f"Mesure {mesure.reference} ({mesure.mode}, T0 {mesure.t0:%Y-%m-%d %H:%M}) refusée "
                                   f"par les services : {_messages(resultat)}")
        services.mesures_recalculer([m for m, t in zip(mesures, tirages, strict=True) if not t[3]])
        return len(actes)


def _messages(exc: ValidationError):
    return exc.message_dict if hasattr(exc, "error_dict") else exc.messages
