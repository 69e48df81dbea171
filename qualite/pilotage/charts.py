"""The product's one chart module: inline SVG strings, no JavaScript nor library,
so a chart looks the same on a page and in a WeasyPrint PDF.

Every <svg> carries role="img", a <title> and a <desc> (the data in words);
tableau_donnees() gives screen readers the same numbers as a hidden table.
Every caller-supplied text goes through escape(): labels come from users.

A count masked for the CDU (qualite/pilotage/anonymat.py: « < 3 » or « masqué ») is never drawn at its
true height: a dashed, unfilled bar (or hollow point) of the conventional height SEUIL, labelled with
the mask; the <desc> and hidden table carry the mask, never the value."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from qualite.pilotage.anonymat import SECRET, SEUIL, est_masque

Nombre = int | float

ZONES = {"acceptable": "#d1e7dd", "a_surveiller": "#fff3cd", "inacceptable": "#f8d7da"}
LIBELLES_ZONES = {"acceptable": "acceptable", "a_surveiller": "à surveiller", "inacceptable": "inacceptable"}
AUCUNE_DONNEE = "Aucune donnée"
TEXTE, GRIS, GRILLE, ROUGE = "#212529", "#6c757d", "#dee2e6", "#dc3545"
NBSP = "\u00a0"  # a literal character: the &nbsp; entity is not valid XML

# Several charts can share a page and aria-labelledby needs distinct ids.
_compteur = itertools.count(1)


def _f(x: float) -> str:
    """Coordinate: two decimals keep proportions exact enough and markup short."""
    return f"{x:.2f}"


def _nombre(v: Nombre | None, unite: str = "") -> str:
    """French display: 1 234,5 — unit after a no-break space ("95 %")."""
    if v is None:
        return "non renseigné"
    if est_masque(v):
        return v
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    texte = f"{round(v, 2):,}".replace(",", NBSP).replace(".", ",")
    return f"{texte}{NBSP}{unite}" if unite else texte


def _court(texte: str, maxi: int) -> str:
    return texte if len(texte) <= maxi else texte[: max(maxi - 1, 1)] + "…"


def _svg(titre: str, desc: str, largeur: int, hauteur: int, corps: Sequence[str]) -> SafeString:
    ident = f"graphe-{next(_compteur)}"
    largeur, hauteur = int(largeur), int(hauteur)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'width="{largeur}" height="{hauteur}" viewBox="0 0 {largeur} {hauteur}" '
        f'class="graphique" font-family="sans-serif" font-size="12" fill="{TEXTE}">'
        f'<title id="{ident}-t">{escape(titre)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f"{''.join(corps)}</svg>"
    )


def _vide(titre: str, largeur: int, hauteur: int) -> SafeString:
    texte = f'<text x="{_f(largeur / 2)}" y="{_f(hauteur / 2)}" text-anchor="middle" fill="{GRIS}">{AUCUNE_DONNEE}</text>'
    return _svg(titre, f"{AUCUNE_DONNEE}.", largeur, hauteur, [texte])


def _verifier(etiquettes: Sequence[str], valeurs: Sequence[object], nom: str = "valeurs") -> None:
    if len(etiquettes) != len(valeurs):
        raise ValueError(f"{nom} : {len(valeurs)} valeurs pour {len(etiquettes)} étiquettes")


def _graduations(bas: float, haut: float, entiers: bool) -> list[float]:
    """'Nice' ticks (1, 2, 2.5, 5 × 10^n) covering [bas, haut], at most ~5 intervals."""
    if haut <= bas:
        haut = bas + 1
    puissance = 10 ** math.floor(math.log10((haut - bas) / 5))
    if entiers:  # counts: a tick at 0.5 event means nothing
        puissance = max(puissance, 1)
    for facteur in (1, 2, 2.5, 5, 10):
        pas = facteur * puissance
        if entiers and not float(pas).is_integer():
            continue
        debut, fin = math.floor(bas / pas + 1e-9), math.ceil(haut / pas - 1e-9)
        if fin - debut <= 5:
            break
    return [i * pas for i in range(debut, max(fin, debut + 1) + 1)]


class _Repere:
    """Plot area and value→y mapping shared by the bar and line charts."""

    def __init__(self, largeur: int, hauteur: int, n: int, ticks: list[float], haut: int, bas: int,
                 droite: int = 12) -> None:
        self.x0, self.x1 = 48.0, float(largeur - droite)
        self.y_haut, self.y_bas = float(haut), hauteur - float(bas)
        self.ticks, self.n = ticks, n
        self.case = (self.x1 - self.x0) / n

    def y(self, v: float) -> float:
        t0, t1 = self.ticks[0], self.ticks[-1]
        return self.y_bas - (v - t0) / (t1 - t0) * (self.y_bas - self.y_haut)

    def centre(self, i: int) -> float:
        return self.x0 + (i + 0.5) * self.case

    def axes(self, etiquettes: Sequence[str], unite: str = "") -> list[str]:
        out = []
        for t in self.ticks:
            y = _f(self.y(t))
            out.append(f'<line x1="{_f(self.x0)}" y1="{y}" x2="{_f(self.x1)}" y2="{y}" stroke="{GRILLE}"/>')
            out.append(f'<text x="{_f(self.x0 - 6)}" y="{_f(self.y(t) + 4)}" text-anchor="end" fill="{GRIS}">'
                       f"{escape(_nombre(t, unite))}</text>")
        out.append(f'<line x1="{_f(self.x0)}" y1="{_f(self.y_bas)}" x2="{_f(self.x1)}" y2="{_f(self.y_bas)}" stroke="{GRIS}"/>')
        incliner = len(etiquettes) > 12  # beyond a year of months, labels overlap
        for i, etiquette in enumerate(etiquettes):
            x, y = _f(self.centre(i)), _f(self.y_bas + 16)
            if incliner:
                out.append(f'<text x="{x}" y="{y}" text-anchor="end" transform="rotate(-45 {x} {y})">'
                           f"{escape(_court(etiquette, 16))}</text>")
            else:
                texte = _court(etiquette, max(int(self.case / 7), 3))
                out.append(f'<text x="{x}" y="{y}" text-anchor="middle">{escape(texte)}</text>')
        return out


def _bas_axe(etiquettes: Sequence[str]) -> int:
    return 74 if len(etiquettes) > 12 else 28


def _hauteur(v) -> Nombre:
    """A masked count stands at the conventional height SEUIL, whatever its value."""
    return SEUIL if est_masque(v) else v


def _dessiner_barres(titre, etiquettes, series, largeur, hauteur, desc) -> SafeString:
    totaux = [sum(_hauteur(s[1][i]) for s in series) for i in range(len(etiquettes))]
    legende = len(series) > 1
    rep = _Repere(largeur, hauteur, len(etiquettes), _graduations(0, max(totaux), all(
        isinstance(_hauteur(v), int) for s in series for v in s[1])), 40 if legende else 20, _bas_axe(etiquettes))
    corps = rep.axes(etiquettes)
    epaisseur = min(rep.case * 0.7, 60)
    for i, etiquette in enumerate(etiquettes):
        x, cumul, masques = rep.centre(i) - epaisseur / 2, 0, []
        for nom, valeurs, couleur in series:
            v = valeurs[i]
            haut, bas = rep.y(cumul + _hauteur(v)), rep.y(cumul)
            info = f"{etiquette} : {nom + ' ' if nom else ''}{_nombre(v)}"
            if est_masque(v):
                masques.append(v)
                style = f'class="barre masquee" fill="#ffffff" stroke="{escape(couleur)}" stroke-dasharray="4 3"'
            else:
                style = f'class="barre" fill="{escape(couleur)}"'
            corps.append(f'<rect {style} x="{_f(x)}" y="{_f(haut)}" width="{_f(epaisseur)}" '
                         f'height="{_f(bas - haut)}"><title>{escape(info)}</title></rect>')
            cumul += _hauteur(v)
        # A stack with a masked segment gets no exact total: it would give the segment back.
        etiquette_valeur = (masques[0] if len(series) == 1 else SECRET) if masques else _nombre(cumul)
        corps.append(f'<text class="valeur" x="{_f(rep.centre(i))}" y="{_f(rep.y(cumul) - 4)}" '
                     f'text-anchor="middle">{escape(etiquette_valeur)}</text>')
    if legende:
        x = rep.x0
        for nom, _valeurs, couleur in series:
            corps.append(f'<rect class="legende" x="{_f(x)}" y="8" width="12" height="12" fill="{escape(couleur)}"/>'
                         f'<text x="{_f(x + 16)}" y="18">{escape(nom)}</text>')
            x += 30 + 7 * len(nom)
    return _svg(titre, desc, largeur, hauteur, corps)


def _positives(valeurs: Sequence[Nombre]) -> None:
    if any(not est_masque(v) and v < 0 for v in valeurs):
        raise ValueError("Les diagrammes en barres n'acceptent pas de valeurs négatives")


def barres(*, titre: str, etiquettes: list[str], valeurs: list[int | float], largeur: int = 640,
           hauteur: int = 260, couleur: str = "#0b5ed7") -> SafeString:
    """Vertical bars (e.g. events per month), the value written above each bar."""
    _verifier(etiquettes, valeurs)
    _positives(valeurs)
    if not etiquettes or not any(valeurs):
        return _vide(titre, largeur, hauteur)
    desc = "Diagramme en barres. " + " ; ".join(f"{e} : {_nombre(v)}" for e, v in zip(etiquettes, valeurs, strict=True)) + "."
    return _dessiner_barres(titre, etiquettes, [("", valeurs, couleur)], largeur, hauteur, desc)


def barres_empilees(*, titre: str, etiquettes: list[str], series: list[tuple[str, list[int], str]],
                    largeur: int = 640, hauteur: int = 260) -> SafeString:
    """Stacked bars, one segment per series (name, values, colour), total above, legend on top."""
    for nom, valeurs, _couleur in series:
        _verifier(etiquettes, valeurs, nom)
        _positives(valeurs)
    if not etiquettes or not any(v for s in series for v in s[1]):
        return _vide(titre, largeur, hauteur)
    parties = []
    for i, e in enumerate(etiquettes):
        detail = ", ".join(f"{nom} {_nombre(vals[i])}" for nom, vals, _c in series)
        masque = any(est_masque(s[1][i]) for s in series)
        parties.append(f"{e} : {detail} (total {SECRET if masque else _nombre(sum(s[1][i] for s in series))})")
    desc = "Diagramme en barres empilées. " + " ; ".join(parties) + "."
    return _dessiner_barres(titre, etiquettes, series, largeur, hauteur, desc)


def matrice(*, titre: str, comptes: dict[tuple[int, int], int], zones: Callable[[int, int], str],
            largeur: int = 360, hauteur: int = 320) -> SafeString:
    """5×5 risk matrix: keys are (gravité, vraisemblance); x = vraisemblance, y = gravité (5 on top)."""
    if any(not (1 <= g <= 5 and 1 <= v <= 5) for g, v in comptes):
        raise ValueError("Gravité et vraisemblance vont de 1 à 5")
    if not any(comptes.values()):
        return _vide(titre, largeur, hauteur)
    gauche, bas = 52.0, 44.0
    cote = min((largeur - gauche - 8) / 5, (hauteur - bas - 8) / 5)
    corps, parties = [], []
    for g in range(5, 0, -1):
        y = 8 + (5 - g) * cote
        corps.append(f'<text x="{_f(gauche - 8)}" y="{_f(y + cote / 2 + 4)}" text-anchor="end">{g}</text>')
        for v in range(1, 6):
            zone, n = zones(g, v), comptes.get((g, v), 0)
            if zone not in ZONES:
                raise ValueError(f"Zone inconnue : {zone!r}")
            x = gauche + (v - 1) * cote
            info = f"Gravité {g}, vraisemblance {v} : {n} ({LIBELLES_ZONES[zone]})"
            corps.append(f'<rect class="case" data-gravite="{g}" data-vraisemblance="{v}" x="{_f(x)}" y="{_f(y)}" '
                         f'width="{_f(cote)}" height="{_f(cote)}" fill="{ZONES[zone]}" stroke="#ffffff" '
                         f'stroke-width="2"><title>{escape(info)}</title></rect>')
            poids = ' font-weight="bold"' if n else f' fill="{GRIS}"'
            corps.append(f'<text class="compte" x="{_f(x + cote / 2)}" y="{_f(y + cote / 2 + 5)}" '
                         f'text-anchor="middle" font-size="14"{poids}>{n}</text>')
            if n:
                parties.append(info)
    y_axe = 8 + 5 * cote
    for v in range(1, 6):
        corps.append(f'<text x="{_f(gauche + (v - 0.5) * cote)}" y="{_f(y_axe + 16)}" text-anchor="middle">{v}</text>')
    corps.append(f'<text x="{_f(gauche + 2.5 * cote)}" y="{_f(y_axe + 36)}" text-anchor="middle" '
                 f'font-weight="bold">Vraisemblance</text>')
    cy = _f(8 + 2.5 * cote)
    corps.append(f'<text x="14" y="{cy}" text-anchor="middle" font-weight="bold" '
                 f'transform="rotate(-90 14 {cy})">Gravité</text>')
    desc = "Matrice gravité × vraisemblance. " + " ; ".join(parties) + "."
    return _svg(titre, desc, largeur, hauteur, corps)


def courbe(*, titre: str, etiquettes: list[str], valeurs: list[float | None], cible: float | None = None,
           unite: str = "", largeur: int = 640, hauteur: int = 260, couleur: str = "#0b5ed7") -> SafeString:
    """Line with points; None leaves a gap (no measure that period); optional dashed "Cible" line.

    All-zero values are drawn (a 0 % rate is data); only no labels or no measure gives "Aucune donnée"."""
    _verifier(etiquettes, valeurs)
    presentes = [_hauteur(v) for v in valeurs if v is not None]
    if not etiquettes or not presentes:
        return _vide(titre, largeur, hauteur)
    bornes = presentes + ([cible] if cible is not None else [])
    ticks = _graduations(min(0, *bornes), max(bornes), entiers=False)
    # The "Cible" label sits in the right margin, where no point can cover it.
    droite = 12 if cible is None else 16 + 7 * len("Cible " + _nombre(cible, unite))
    rep = _Repere(largeur, hauteur, len(etiquettes), ticks, 24, _bas_axe(etiquettes), droite)
    corps = rep.axes(etiquettes, unite)
    if cible is not None:
        y = _f(rep.y(cible))
        corps.append(f'<line class="cible" x1="{_f(rep.x0)}" y1="{y}" x2="{_f(rep.x1)}" y2="{y}" stroke="{ROUGE}" '
                     f'stroke-width="1.5" stroke-dasharray="6 4"/>')
        corps.append(f'<text x="{_f(rep.x1 + 4)}" y="{_f(rep.y(cible) + 4)}" fill="{ROUGE}">'
                     f"{escape('Cible ' + _nombre(cible, unite))}</text>")
    # Consecutive measures form one segment; a None breaks the line instead of bridging the gap.
    # A masked point breaks it too: a segment to it would give its height away.
    segments, courant = [], []
    for i, v in enumerate(valeurs):
        if v is None or est_masque(v):
            segments.append(courant)
            courant = []
        else:
            courant.append(f"{_f(rep.centre(i))},{_f(rep.y(v))}")
    segments.append(courant)
    for seg in (s for s in segments if len(s) > 1):
        corps.append(f'<polyline class="trace" points="{" ".join(seg)}" fill="none" stroke="{escape(couleur)}" '
                     f'stroke-width="2"/>')
    for i, (e, v) in enumerate(zip(etiquettes, valeurs, strict=True)):
        if v is None:
            continue
        x, y = _f(rep.centre(i)), rep.y(_hauteur(v))
        if est_masque(v):
            style = f'class="point masque" fill="#ffffff" stroke="{escape(couleur)}" stroke-dasharray="2 2"'
        else:
            style = f'class="point" fill="{escape(couleur)}"'
        corps.append(f'<circle {style} cx="{x}" cy="{_f(y)}" r="3.5">'
                     f"<title>{escape(f'{e} : {_nombre(v, unite)}')}</title></circle>")
        if len(etiquettes) <= 12:  # more labels than that would overlap
            corps.append(f'<text class="valeur" x="{x}" y="{_f(y - 8)}" text-anchor="middle">'
                         f"{escape(_nombre(v, unite))}</text>")
    desc = "Courbe. " + " ; ".join(f"{e} : {_nombre(v, unite)}" for e, v in zip(etiquettes, valeurs, strict=True))
    if cible is not None:
        desc += f" ; cible : {_nombre(cible, unite)}"
    return _svg(titre, desc + ".", largeur, hauteur, corps)


def tableau_donnees(*, titre: str, etiquettes: list[str], valeurs: Sequence[Nombre | None], unite: str = "",
                    entetes: tuple[str, str] = ("Libellé", "Valeur")) -> SafeString:
    """The chart's numbers as a table hidden visually but read by screen readers."""
    _verifier(etiquettes, valeurs)
    lignes = "".join(f'<tr><th scope="row">{escape(e)}</th><td>{escape(_nombre(v, unite))}</td></tr>'
                     for e, v in zip(etiquettes, valeurs, strict=True))
    lignes = lignes or f'<tr><td colspan="2">{AUCUNE_DONNEE}</td></tr>'
    return mark_safe(
        f'<table class="visually-hidden"><caption>{escape(titre)}</caption><thead><tr>'
        f'<th scope="col">{escape(entetes[0])}</th><th scope="col">{escape(entetes[1])}</th></tr></thead>'
        f"<tbody>{lignes}</tbody></table>"
    )


def barres_groupees(*, titre: str, etiquettes: list[str], series: list[tuple[str, list[Nombre | None], str]],
                    maximum: float | None = None, largeur: int = 640, hauteur: int = 280) -> SafeString:
    """Bars side by side, one per series (e.g. a measure « avant » and « après » per question); None leaves
    the place empty (no valid measure); `maximum` fixes the top of the scale (a 1–5 scale: 5)."""
    for nom, valeurs, _couleur in series:
        _verifier(etiquettes, valeurs, nom)
        _positives([v for v in valeurs if v is not None])
    presentes = [v for s in series for v in s[1] if v is not None]
    if not etiquettes or not presentes:
        return _vide(titre, largeur, hauteur)
    haut = max([*presentes, maximum or 0])
    rep = _Repere(largeur, hauteur, len(etiquettes), _graduations(0, haut, entiers=False), 40, _bas_axe(etiquettes))
    corps = rep.axes(etiquettes)
    largeur_barre = min(rep.case * 0.8 / len(series), 40)
    for i, etiquette in enumerate(etiquettes):
        debut = rep.centre(i) - largeur_barre * len(series) / 2
        for k, (nom, valeurs, couleur) in enumerate(series):
            v = valeurs[i]
            if v is None:
                continue
            x, y = debut + k * largeur_barre, rep.y(v)
            corps.append(f'<rect class="barre" fill="{escape(couleur)}" x="{_f(x)}" y="{_f(y)}" '
                         f'width="{_f(largeur_barre - 2)}" height="{_f(rep.y_bas - y)}">'
                         f"<title>{escape(f'{etiquette} : {nom} {_nombre(v)}')}</title></rect>")
            corps.append(f'<text class="valeur" x="{_f(x + largeur_barre / 2 - 1)}" y="{_f(y - 4)}" '
                         f'text-anchor="middle" font-size="10">{escape(_nombre(v))}</text>')
    x = rep.x0
    for nom, _valeurs, couleur in series:
        corps.append(f'<rect class="legende" x="{_f(x)}" y="8" width="12" height="12" fill="{escape(couleur)}"/>'
                     f'<text x="{_f(x + 16)}" y="18">{escape(nom)}</text>')
        x += 30 + 7 * len(nom)
    parties = [f"{e} : " + ", ".join(f"{nom} {_nombre(vals[i])}" for nom, vals, _c in series)
               for i, e in enumerate(etiquettes)]
    return _svg(titre, "Diagramme en barres groupées. " + " ; ".join(parties) + ".", largeur, hauteur, corps)


def nombre(v: Nombre | None, unite: str = "") -> str:
    """The French display of a count or a measure (« 1 234 », « 95 % »), for templates and charts alike."""
    return _nombre(v, unite)


def _lignes(texte: str, maxi: int) -> list[str]:
    """A label cut into lines of at most `maxi` characters, on word boundaries: never truncated."""
    lignes, courante = [], ""
    for mot in texte.split():
        while len(mot) > maxi:  # a word longer than a line is split, not dropped
            if courante:
                lignes.append(courante)
                courante = ""
            lignes.append(mot[:maxi])
            mot = mot[maxi:]
        if courante and len(courante) + 1 + len(mot) > maxi:
            lignes.append(courante)
            courante = mot
        else:
            courante = f"{courante} {mot}" if courante else mot
    if courante or not lignes:
        lignes.append(courante)
    return lignes


def barres_horizontales(*, titre: str, etiquettes: list[str], valeurs: list[int | float | str], largeur: int = 640,
                        couleur: str = "#0b5ed7", colonne_libelles: int = 230) -> SafeString:
    """Horizontal bars in the given order (one per table row): the full label at left, wrapped on as
    many lines as it needs, the value after the bar. The height follows the labels."""
    _verifier(etiquettes, valeurs)
    _positives(valeurs)
    if not etiquettes or not any(valeurs):
        return _vide(titre, largeur, 60)
    maxi = max(int(colonne_libelles / 6.6), 8)
    coupees = [_lignes(e, maxi) for e in etiquettes]
    interligne, marge = 14, 8
    hauteurs = [max(len(lignes) * interligne, 18) + marge for lignes in coupees]
    hauteur = sum(hauteurs) + 4
    x0 = colonne_libelles + 8
    place = largeur - x0 - 60  # room for the value after the longest bar
    haut = max(_hauteur(v) for v in valeurs) or 1
    corps, y = [], 2.0
    for etiquette, lignes, v, h in zip(etiquettes, coupees, valeurs, hauteurs, strict=True):
        centre = y + h / 2
        premiere = centre - (len(lignes) - 1) * interligne / 2 + 4
        tspans = "".join(f'<tspan x="{_f(colonne_libelles)}" y="{_f(premiere + k * interligne)}">{escape(ligne)}</tspan>'
                         for k, ligne in enumerate(lignes))
        corps.append(f'<text class="etiquette" text-anchor="end">{tspans}</text>')
        longueur = place * _hauteur(v) / haut
        epaisseur = min(h - marge, 18)
        if est_masque(v):
            style = f'class="barre masquee" fill="#ffffff" stroke="{escape(couleur)}" stroke-dasharray="4 3"'
        else:
            style = f'class="barre" fill="{escape(couleur)}"'
        corps.append(f'<rect {style} x="{_f(x0)}" y="{_f(centre - epaisseur / 2)}" width="{_f(max(longueur, 0.5))}" '
                     f'height="{_f(epaisseur)}"><title>{escape(f"{etiquette} : {_nombre(v)}")}</title></rect>')
        corps.append(f'<text class="valeur" x="{_f(x0 + longueur + 5)}" y="{_f(centre + 4)}">{escape(_nombre(v))}</text>')
        y += h
    corps.append(f'<line x1="{_f(x0)}" y1="2" x2="{_f(x0)}" y2="{_f(y)}" stroke="{GRIS}"/>')
    desc = "Diagramme en barres. " + " ; ".join(f"{e} : {_nombre(v)}" for e, v in zip(etiquettes, valeurs, strict=True)) + "."
    return _svg(titre, desc, largeur, int(hauteur), corps)


def mini_courbe(*, titre: str, etiquettes: list[str], valeurs: list[Nombre | str], largeur: int = 110,
                hauteur: int = 28, couleur: str = "#0b5ed7") -> SafeString:
    """A trend at a glance (a key figure over 5 years): no axis, the last point stressed; the numbers
    are in the <desc> and written next to it by the caller. A masked point is hollow at SEUIL."""
    _verifier(etiquettes, valeurs)
    if not etiquettes:
        return _vide(titre, largeur, hauteur)
    hauts = [_hauteur(v) for v in valeurs]
    bas, haut = min(0, *hauts), max(hauts)
    echelle = (hauteur - 8) / ((haut - bas) or 1)
    pas = (largeur - 8) / max(len(valeurs) - 1, 1)
    points = [(4 + i * pas, hauteur - 4 - (h - bas) * echelle) for i, h in enumerate(hauts)]
    corps = [f'<line x1="4" y1="{_f(hauteur - 4)}" x2="{_f(largeur - 4)}" y2="{_f(hauteur - 4)}" stroke="{GRILLE}"/>']
    pleins = [f"{_f(x)},{_f(y)}" for (x, y), v in zip(points, valeurs, strict=True) if not est_masque(v)]
    if len(pleins) > 1 and not any(est_masque(v) for v in valeurs):
        corps.append(f'<polyline class="trace" points="{" ".join(pleins)}" fill="none" stroke="{escape(couleur)}" '
                     f'stroke-width="1.5"/>')
    for i, ((x, y), v) in enumerate(zip(points, valeurs, strict=True)):
        dernier = i == len(points) - 1
        style = (f'fill="#ffffff" stroke="{escape(couleur)}" stroke-dasharray="2 1"' if est_masque(v)
                 else f'fill="{escape(couleur)}"')
        corps.append(f'<circle class="point" cx="{_f(x)}" cy="{_f(y)}" r="{2.8 if dernier else 1.8}" {style}/>')
    desc = "Tendance. " + " ; ".join(f"{e} : {_nombre(v)}" for e, v in zip(etiquettes, valeurs, strict=True)) + "."
    return _svg(titre, desc, largeur, hauteur, corps)
