"""The heat map of the risk map: frequency × severity, the number of risks in each cell, coloured by the
zone of the cell's raw criticité. One SVG for the page and the PDF, in the style and with the helpers of the
product's chart module (qualite/pilotage/charts.py): role="img", <title>, <desc> with the data in words."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.html import escape
from django.utils.safestring import SafeString

from qualite.pilotage.charts import GRIS, LIBELLES_ZONES, ZONES, _f, _svg


def carte_chaleur(*, titre: str, comptes: dict[tuple[int, int], int], zone: Callable[[int], str],
                  nb_frequence: int = 5, nb_gravite: int = 5, cote: int = 56) -> SafeString:
    """`comptes`: (fréquence, gravité) -> number of risks; x = fréquence, y = gravité (highest on top).
    `zone(criticite_brute)` gives the cell's colour. Empty cells are drawn too: the grid is the scale."""
    if any(not (1 <= f <= nb_frequence and 1 <= g <= nb_gravite) for f, g in comptes):
        raise ValueError("Cotation hors des échelles de la cartographie")
    gauche, haut, bas = 56.0, 8.0, 48.0
    largeur, hauteur = int(gauche + nb_frequence * cote + 8), int(haut + nb_gravite * cote + bas)
    corps, parties = [], []
    for g in range(nb_gravite, 0, -1):
        y = haut + (nb_gravite - g) * cote
        corps.append(f'<text x="{_f(gauche - 8)}" y="{_f(y + cote / 2 + 4)}" text-anchor="end">{g}</text>')
        for f in range(1, nb_frequence + 1):
            z, n = zone(f * g), comptes.get((f, g), 0)
            if z not in ZONES:
                raise ValueError(f"Zone inconnue : {z!r}")
            x = gauche + (f - 1) * cote
            info = f"Fréquence {f}, gravité {g} (criticité {f * g}, {LIBELLES_ZONES[z]}) : {n} risque(s)"
            corps.append(f'<rect class="case" data-frequence="{f}" data-gravite="{g}" data-compte="{n}" '
                         f'x="{_f(x)}" y="{_f(y)}" width="{cote}" height="{cote}" fill="{ZONES[z]}" '
                         f'stroke="#ffffff" stroke-width="2"><title>{escape(info)}</title></rect>')
            poids = ' font-weight="bold"' if n else f' fill="{GRIS}"'
            corps.append(f'<text class="compte" x="{_f(x + cote / 2)}" y="{_f(y + cote / 2 + 5)}" '
                         f'text-anchor="middle" font-size="15"{poids}>{n}</text>')
            if n:
                parties.append(info)
    y_axe = haut + nb_gravite * cote
    for f in range(1, nb_frequence + 1):
        corps.append(f'<text x="{_f(gauche + (f - 0.5) * cote)}" y="{_f(y_axe + 16)}" text-anchor="middle">{f}</text>')
    corps.append(f'<text x="{_f(gauche + nb_frequence * cote / 2)}" y="{_f(y_axe + 38)}" text-anchor="middle" '
                 f'font-weight="bold">Fréquence</text>')
    cy = _f(haut + nb_gravite * cote / 2)
    corps.append(f'<text x="14" y="{cy}" text-anchor="middle" font-weight="bold" '
                 f'transform="rotate(-90 14 {cy})">Gravité</text>')
    total = sum(comptes.values())
    desc = (f"Cartographie fréquence × gravité, {total} risque(s). " + " ; ".join(parties) + "."
            if parties else "Cartographie fréquence × gravité : aucun risque coté.")
    return _svg(titre, desc, largeur, hauteur, corps)
