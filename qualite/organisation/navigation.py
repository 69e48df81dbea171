"""Menu entries, registered by each app in AppConfig.ready() so the core never
imports the domain apps. An entry shows only to users holding its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from qualite.organisation.access import has_perm


@dataclass(frozen=True)
class Entree:
    section: str
    libelle: str
    url_name: str
    permission: str
    description: str = ""
    ordre: int = 100


_ENTREES: list[Entree] = []


def enregistrer(entree: Entree) -> None:
    if entree not in _ENTREES:
        _ENTREES.append(entree)


def entrees_pour(user) -> list[dict]:
    if not user.is_authenticated:
        return []
    visibles = [e for e in sorted(_ENTREES, key=lambda e: (e.ordre, e.libelle)) if has_perm(user, e.permission)]
    # Sections in the order of their first entry, entries grouped under them (the menu regroups by section);
    # an entry granted by two permissions appears once.
    sections: dict[str, list] = {}
    vues = set()
    for e in visibles:
        if (e.libelle, e.url_name) in vues:
            continue
        vues.add((e.libelle, e.url_name))
        sections.setdefault(e.section, []).append(
            {"section": e.section, "libelle": e.libelle, "url": reverse(e.url_name), "description": e.description})
    return [entree for entrees in sections.values() for entree in entrees]


# The menu bar's drop-downs: a few groups, each listing its sections under a heading, so the bar of the busiest
# account stays on one line at 1440 px. A section not named here is a group of its own.
GROUPES_MENU = {
    "Évènements indésirables": "Qualité et risques",
    "Programme qualité": "Qualité et risques",
    "Documents qualité": "Qualité et risques",
    "Certification": "Qualité et risques",
    "Relations avec les usagers": "Usagers",
    "Soins sans consentement": "Usagers",
    "Référentiels": "Administration",
}


def menu_pour(entrees: list[dict]) -> list[dict]:
    """`entrees_pour()` as drop-downs: [{libelle, sections: [{libelle, entrees}]}], in the order of first use."""
    groupes: dict[str, dict[str, list]] = {}
    for entree in entrees:
        groupe = GROUPES_MENU.get(entree["section"], entree["section"])
        groupes.setdefault(groupe, {}).setdefault(entree["section"], []).append(entree)
    return [{"libelle": groupe, "sections": [{"libelle": section, "entrees": liste} for section, liste in sections.items()]}
            for groupe, sections in groupes.items()]


def enregistrer_socle() -> None:
    enregistrer(Entree("Mon espace", "Mes échéances", "qualite:mes_echeances", "echeances.voir",
                       "Délais légaux et internes à tenir, en retard, du jour et à venir.", 10))
    enregistrer(Entree("Programme qualité", "Programme d'actions (PAQSS)", "qualite:programme",
                       "paqss.voir", "Les actions d'amélioration de votre périmètre, filtrées et exportables.", 50))
    enregistrer(Entree("Programme qualité", "Plan d'actions de mon pôle", "qualite:mon_pole", "paqss.mon_pole",
                       "Les actions de votre pôle, par statut, et celles en retard.", 51))
    enregistrer(Entree("Référentiels", "Règles d'échéance", "qualite:regles", "echeances.regles",
                       "Chaque délai calculé, sa base légale et son statut (confirmée / à vérifier).", 80))
    enregistrer(Entree("Administration", "Importer un registre", "qualite:importer", "import.registres",
                       "Évènements, réclamations, demandes de dossier, actions : CSV ou Excel, vérifié avant écriture.", 88))
    enregistrer(Entree("Administration", "Journal d'audit", "qualite:audit", "audit.consulter",
                       "Qui a consulté, modifié ou exporté quoi, quand et d'où.", 90))
    enregistrer(Entree("Administration", "Organisation et utilisateurs", "admin:index", "organisation.administrer",
                       "GHT, établissements, pôles, services, comptes et rôles.", 95))
