"""Reads of the impact study and the bientraitance self-assessment: aggregates in SQL, never a loop over rows."""

from django.db.models import Avg, Count, F, FloatField
from django.db.models.functions import Cast

from qualite.organisation import access
from qualite.pilotage import charts
from qualite.pilotage import indicateurs_ru as registre
from usagers.impact.access import bientraitance_scope, campagnes_impact_scope
from usagers.impact.models import CampagneBientraitance, CampagneImpact, ReponseBientraitance, Temps, ValeurImpact
from usagers.relations.models import MembreCDU

# A mean of fewer answers would give an individual representative's answer back: not shown.
REPONDANTS_MIN = 3
BLEU, ORANGE = "#6c757d", "#0b5ed7"


def etablissements_impact(user) -> list[int]:
    return sorted(access.perimetre(user, "impact.consulter").etablissements)


def indicateurs_par_representant(user, annee: int) -> dict:
    """Per representative of the user's établissements, each registered indicator for the year."""
    etabs = etablissements_impact(user)
    membres = list(MembreCDU.objects.filter(etablissement_id__in=etabs, role__in=MembreCDU.ROLES_RU)
                   .order_by("etablissement__nom", "nom").values("id", "nom", "etablissement__nom", "utilisateur_id", "actif"))
    catalogue = registre.catalogue()
    comptes = registre.calculer(annees=[annee], etablissements=etabs)
    lignes = []
    for m in membres:
        valeurs = []
        for i in catalogue:
            ident = m["id"] if i.cle == "membre" else m["utilisateur_id"]
            valeurs.append(comptes[i.code].get((ident, annee), 0) if ident is not None else 0)
        lignes.append({"membre": m, "valeurs": valeurs})
    return {"indicateurs": catalogue, "lignes": lignes}


def tendances(etablissements, annee: int) -> list[dict]:
    """The 5-year trend of each indicator, all representatives together, with its curve."""
    return registre.tendances(annee=annee, etablissements=etablissements)


def campagnes_impact(user):
    return campagnes_impact_scope(CampagneImpact.objects.select_related("etablissement", "grille"), user).annotate(
        n_cohorte=Count("cohorte", distinct=True)).order_by("-avant_le", "-id")


def comparaison(campagne: CampagneImpact) -> dict:
    """Mean answer per question before and after, with the number of representatives who answered; a mean
    of fewer than REPONDANTS_MIN answers is withheld. One grouped query."""
    lignes = (ValeurImpact.objects.filter(reponses__campagne=campagne)
              .values("item_id", "reponses__temps")
              .annotate(moyenne=Avg("valeur"), n=Count("reponses__membre", distinct=True)).order_by())
    mesures = {(r["item_id"], r["reponses__temps"]): r for r in lignes}
    questions = []
    for theme in campagne.grille.themes.prefetch_related("items"):
        for item in theme.items.all():
            q = {"item": item, "theme": theme}
            for temps in Temps.values:
                r = mesures.get((item.pk, temps))
                q[f"n_{temps}"] = r["n"] if r else 0
                q[temps] = round(r["moyenne"], 2) if r and r["n"] >= REPONDANTS_MIN else None
            q["ecart"] = round(q["apres"] - q["avant"], 2) if q["avant"] is not None and q["apres"] is not None else None
            questions.append(q)
    svg = charts.barres_groupees(
        titre=f"{campagne.titre} : réponse moyenne par question, avant et après",
        etiquettes=[q["item"].numero for q in questions],
        series=[("Avant", [q["avant"] for q in questions], BLEU), ("Après", [q["apres"] for q in questions], ORANGE)],
        maximum=campagne.grille.valeur_max, largeur=max(640, 44 * len(questions)))
    return {"questions": questions, "svg": svg, "minimum": REPONDANTS_MIN}


def campagnes_bientraitance(user):
    return bientraitance_scope(CampagneBientraitance.objects.select_related("service__pole", "etablissement"), user) \
        .annotate(n_reponses=Count("reponses")).order_by("-annee", "service__nom")


def scores_par_theme(campagnes) -> dict:
    """{campagne_id: {theme_id: score sur 100}} for the given campaigns, one grouped query."""
    lignes = (ReponseBientraitance.objects.filter(campagne__in=campagnes)
              .values("campagne_id", "item__theme_id", maxi=F("campagne__grille__echelle"))
              .annotate(moyenne=Avg(Cast("valeur", FloatField()))).order_by())
    scores: dict = {}
    for r in lignes:
        maxi = max(v for v, _ in r["maxi"])
        scores.setdefault(r["campagne_id"], {})[r["item__theme_id"]] = round(100 * r["moyenne"] / maxi)
    return scores


def comparaison_bientraitance(user, annee: int | None = None) -> dict:
    """Scores per theme: services side by side for a year, and each service over the years (SQL)."""
    from usagers.impact.models import ThemeGrille

    campagnes = list(campagnes_bientraitance(user))
    scores = scores_par_theme([c.pk for c in campagnes])
    themes = list(ThemeGrille.objects.filter(grille__type="bientraitance").order_by("grille", "numero"))
    annees = sorted({c.annee for c in campagnes}, reverse=True)
    annee = annee if annee in annees else (annees[0] if annees else None)
    lignes = [{"campagne": c, "scores": [scores.get(c.pk, {}).get(t.pk) for t in themes]} for c in campagnes]
    de_l_annee = [ligne for ligne in lignes if ligne["campagne"].annee == annee]
    couleurs = ["#0b5ed7", "#198754", "#fd7e14", "#6f42c1", "#d63384", "#20c997"]
    svg = charts.barres_groupees(
        titre=f"Bientraitance {annee or ''} : score par thème et par service (sur 100)",
        etiquettes=[f"{t.numero}. {t.titre}" for t in themes],
        series=[(ligne["campagne"].service.nom, ligne["scores"], couleurs[k % len(couleurs)])
                for k, ligne in enumerate(de_l_annee[:6])], maximum=100)
    return {"themes": themes, "lignes": lignes, "annees": annees, "annee": annee, "svg": svg}
