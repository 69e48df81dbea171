"""Demo organisation and one account per role, then the domains' showcase records and their years of
history. Idempotent: run it as often as you like."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from qualite.organisation.models import GHT, Compteur, Etablissement, Pole, Service, Utilisateur
from qualite.organisation.roles import Role

MOT_DE_PASSE_DEMO = "demo-qualite-2026"

# Domain apps append their own demo loaders (AppConfig.ready); each is idempotent.
CHARGEURS_MODULES = []

# History: (key, loader) appended by the domain apps. A loader receives a Historique and returns
# {label: rows written}; it writes in bulk (COPY), through the same rules as the services.
CHARGEURS_HISTORIQUE: list[tuple[str, Callable]] = []

ANNEES_HISTORIQUE = 5
# Share of seed 000's yearly volumes: "complet" is a real hospital, "leger" keeps the tests quick.
ECHELLES = {"complet": 1.0, "leger": 0.02, "aucun": 0.0}


@dataclass
class Historique:
    annees: int
    echelle: float
    graine: int = 2026

    def rng(self, cle: str) -> random.Random:
        return random.Random(f"{self.graine}-{cle}")

    def nombre(self, par_an: float, annee: int) -> int:
        """Rows for `annee`: the yearly volume scaled, the current year only up to today (at least one)."""
        aujourdhui = timezone.localdate()
        part = 1.0
        if annee == aujourdhui.year:
            part = (aujourdhui - date(annee, 1, 1)).days / 365.0
        return max(1, round(par_an * self.echelle * part))

    def liste_annees(self) -> list[int]:
        courante = timezone.localdate().year
        return list(range(courante - self.annees + 1, courante + 1))

    @staticmethod
    def instant(rng: random.Random, annee: int, avant: datetime | None = None) -> datetime:
        """A random instant of `annee` (Paris), never after `avant` (now by default)."""
        avant = avant or timezone.now()
        debut = datetime(annee, 1, 1, tzinfo=timezone.get_current_timezone())
        fin = min(datetime(annee + 1, 1, 1, tzinfo=timezone.get_current_timezone()), avant)
        return debut + (fin - debut) * rng.random()


def enregistrer_historique(cle: str, chargeur: Callable) -> None:
    if all(c != cle for c, _ in CHARGEURS_HISTORIQUE):
        CHARGEURS_HISTORIQUE.append((cle, chargeur))


def _historique_a_charger(cle: str) -> bool:
    """A marker per domain (a Compteur row of year 0): set once its history is written, so a rerun skips it."""
    marque, _ = Compteur.objects.select_for_update().get_or_create(prefixe=f"DEMO{cle}"[:10], annee=0)
    if marque.valeur:
        return False
    marque.valeur = 1
    marque.save(update_fields=["valeur"])
    return True


def charger_historique(volume: str = "complet", *, annees: int = ANNEES_HISTORIQUE) -> list[tuple[dict, float]]:
    """Each domain's history, once: [({label: rows}, seconds)]. Each domain in its own transaction."""
    historique = Historique(annees=annees, echelle=ECHELLES[volume])
    bilan = []
    if not historique.echelle:
        return bilan
    for cle, chargeur in CHARGEURS_HISTORIQUE:
        debut = time.monotonic()
        with transaction.atomic():
            if not _historique_a_charger(cle):
                continue
            comptes = chargeur(historique)
        duree = time.monotonic() - debut
        bilan.append((comptes, duree))
    return bilan

ORGANISATION = {
    "Centre hospitalier de Valmont": {
        "finess": "000000001",
        "poles": {
            "Pôle médecine": ["Médecine interne", "Cardiologie", "Gériatrie"],
            "Pôle chirurgie": ["Chirurgie viscérale", "Orthopédie", "Bloc opératoire"],
            "Pôle psychiatrie": ["Psychiatrie adulte — unité A", "Psychiatrie adulte — unité B"],
            "Pôle femme-enfant": ["Maternité", "Pédiatrie"],
        },
    },
    "Centre hospitalier de Roche-Blanche": {
        "finess": "000000002",
        "poles": {
            "Pôle médecine et urgences": ["Urgences", "Médecine polyvalente"],
            "Pôle gériatrie": ["SMR gériatrique", "EHPAD Les Tilleuls"],
        },
    },
}

# identifiant, prénom, nom, rôles, établissement, pôle, service, accès GHT
COMPTES = [
    ("declarant", "Inès", "Déclarante", [Role.DECLARANT], "Centre hospitalier de Valmont", "Pôle médecine", "Cardiologie", False),
    ("cadre", "Paul", "Cadre", [Role.CADRE_POLE, Role.DECLARANT], "Centre hospitalier de Valmont", "Pôle médecine", None, False),
    ("qualiticien", "Claire", "Gestionnaire", [Role.GESTIONNAIRE_RISQUES, Role.DECLARANT], "Centre hospitalier de Valmont", None, None, False),
    ("relations", "Hugo", "Relations", [Role.RELATIONS_USAGERS, Role.DECLARANT], "Centre hospitalier de Valmont", None, None, False),
    ("admissions", "Nora", "Admissions", [Role.BUREAU_ADMISSIONS, Role.DECLARANT], "Centre hospitalier de Valmont", None, None, False),
    ("psychiatre", "Jean", "Psychiatre", [Role.PSYCHIATRE, Role.DECLARANT], "Centre hospitalier de Valmont", "Pôle psychiatrie", "Psychiatrie adulte — unité A", False),
    ("mediateur", "Sophie", "Médiatrice", [Role.MEDIATEUR, Role.DECLARANT], "Centre hospitalier de Valmont", None, None, False),
    ("cdu", "Marc", "Membre CDU", [Role.MEMBRE_CDU], "Centre hospitalier de Valmont", None, None, False),
    ("ru", "Lucie", "Représentante", [Role.REPRESENTANT_USAGERS], "Centre hospitalier de Valmont", None, None, False),
    ("direction", "Anne", "Directrice", [Role.DIRECTION], "Centre hospitalier de Valmont", None, None, True),
    ("admin", "Alex", "Administrateur", [Role.ADMINISTRATEUR], "Centre hospitalier de Valmont", None, None, True),
    ("qualiticien-rb", "Yanis", "Gestionnaire RB", [Role.GESTIONNAIRE_RISQUES, Role.DECLARANT], "Centre hospitalier de Roche-Blanche", None, None, False),
]


@transaction.atomic
def charger_demo() -> list[tuple[str, str]]:
    ght, _ = GHT.objects.get_or_create(nom="GHT Territoire de démonstration")
    etabs, poles, services = {}, {}, {}
    for nom_etab, spec in ORGANISATION.items():
        etab, _ = Etablissement.objects.get_or_create(ght=ght, nom=nom_etab, defaults={"finess": spec["finess"]})
        etabs[nom_etab] = etab
        for nom_pole, noms_services in spec["poles"].items():
            pole, _ = Pole.objects.get_or_create(etablissement=etab, nom=nom_pole)
            poles[(nom_etab, nom_pole)] = pole
            for nom_service in noms_services:
                services[(nom_etab, nom_pole, nom_service)], _ = Service.objects.get_or_create(pole=pole, nom=nom_service)
    comptes = []
    empreinte = None  # one hash for the shared password: PBKDF2 is slow on purpose (13 accounts took 5 to 10 s)
    for login, prenom, nom, roles, nom_etab, nom_pole, nom_service, ght_entier in COMPTES:
        user, cree = Utilisateur.objects.update_or_create(
            username=login,
            defaults={
                "first_name": prenom,
                "last_name": nom,
                "email": f"{login}@demo.invalid",
                "roles": [str(r) for r in roles],
                "perimetre_ght": ght_entier,
                "pole": poles.get((nom_etab, nom_pole)),
                "service": services.get((nom_etab, nom_pole, nom_service)),
                "is_staff": Role.ADMINISTRATEUR in roles,
                "is_superuser": Role.ADMINISTRATEUR in roles,
            },
        )
        if cree or not user.has_usable_password():
            empreinte = empreinte or make_password(MOT_DE_PASSE_DEMO)
            user.password = empreinte
            user.save(update_fields=["password"])
        user.etablissements.set([etabs[nom_etab]])
        comptes.append((login, ", ".join(Role(r).label for r in roles)))
    for chargeur in CHARGEURS_MODULES:
        chargeur()
    # The other accounts the domains' showcases open with the same password (the pôle's medical head...).
    empreinte = Utilisateur.objects.filter(username=COMPTES[0][0]).values_list("password", flat=True).first()
    connus = {c[0] for c in COMPTES}
    for user in Utilisateur.objects.filter(password=empreinte, is_active=True).order_by("id"):
        if user.username not in connus:
            comptes.append((user.username, ", ".join(Role(r).label for r in user.roles)))
    return comptes
