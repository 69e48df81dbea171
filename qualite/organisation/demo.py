"""Demo organisation and one account per role. Idempotent: run it as often as you like."""

from django.db import transaction

from qualite.organisation.models import GHT, Etablissement, Pole, Service, Utilisateur
from qualite.organisation.roles import Role

MOT_DE_PASSE_DEMO = "demo-qualite-2026"

# Domain apps append their own demo loaders (AppConfig.ready); each is idempotent.
CHARGEURS_MODULES = []

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
            user.set_password(MOT_DE_PASSE_DEMO)
            user.save(update_fields=["password"])
        user.etablissements.set([etabs[nom_etab]])
        comptes.append((login, ", ".join(Role(r).label for r in roles)))
    for chargeur in CHARGEURS_MODULES:
        chargeur()
    return comptes
