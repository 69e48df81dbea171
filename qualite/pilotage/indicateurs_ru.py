"""What the users' representatives bring (seed 004): indicators per representative and per year.

The core never imports the domains: each app that records a representative's activity registers its
indicator here in AppConfig.ready() (usagers/impact for the CDU registers, qualite/espaces for the
espaces d'échanges). A function answers for several years and établissements in one grouped SQL query:

    fonction(annees=[2024, 2025], etablissements=[1, 2]) -> {(identifiant, annee): n}

where `identifiant` is a CDU member's id (`cle="membre"`) or a user account's id (`cle="utilisateur"`,
matched to the member through MembreCDU.utilisateur)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Comptes = dict[tuple[int, int], int]


@dataclass(frozen=True)
class Indicateur:
    code: str
    libelle: str
    definition: str  # shown beside the figure: how it is counted, from which register
    fonction: Callable[..., Comptes]
    ordre: int = 100
    cle: str = "membre"  # "membre" (MembreCDU id) or "utilisateur" (account id)


_REGISTRE: dict[str, Indicateur] = {}


def enregistrer(indicateur: Indicateur) -> None:
    if indicateur.cle not in ("membre", "utilisateur"):
        raise ValueError(f"Clé d'indicateur inconnue : {indicateur.cle}")
    _REGISTRE[indicateur.code] = indicateur


def catalogue() -> list[Indicateur]:
    return sorted(_REGISTRE.values(), key=lambda i: (i.ordre, i.code))


def calculer(*, annees: Iterable[int], etablissements: Iterable[int]) -> dict[str, Comptes]:
    """{code: {(identifiant, annee): n}}: one query per indicator, whatever the number of representatives."""
    annees, etablissements = sorted(set(annees)), sorted(set(etablissements))
    return {i.code: i.fonction(annees=annees, etablissements=etablissements) for i in catalogue()}


def tendances(*, annee: int, etablissements: Iterable[int], duree: int = 5, largeur: int = 320,
              hauteur: int = 150) -> list[dict]:
    """Each indicator summed over every representative, for the `duree` years ending with `annee`, with its
    curve (the same on the CDU dashboard, the indicators page and the CDU annual report)."""
    from qualite.pilotage import charts

    annees = list(range(annee - duree + 1, annee + 1))
    comptes = calculer(annees=annees, etablissements=etablissements)
    resultat = []
    for i in catalogue():
        totaux = dict.fromkeys(annees, 0)
        for (_ident, a), n in comptes[i.code].items():
            if a in totaux:
                totaux[a] += n
        resultat.append({"code": i.code, "libelle": i.libelle, "definition": i.definition,
                         "serie": [(a, totaux[a]) for a in annees],
                         "svg": charts.courbe(titre=i.libelle, etiquettes=[str(a) for a in annees],
                                              valeurs=[totaux[a] for a in annees], largeur=largeur, hauteur=hauteur)})
    return resultat
