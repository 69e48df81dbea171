from django import template
from django.utils import timezone

register = template.Library()

ANNEES_PROPOSEES = 10


@register.inclusion_tag("qualite/_selecteur_annee.html")
def selecteur_annee(annee, identifiant="f-annee", classe="form-select"):
    """The year picker of dashboards and reports: the current year first, then the nine before
    (and the year shown, if older, so a bookmarked address keeps its selection)."""
    courante = timezone.localdate().year
    annees = list(range(courante, courante - ANNEES_PROPOSEES, -1))
    try:
        annee = int(annee)
    except (TypeError, ValueError):
        annee = courante
    if annee not in annees:
        annees.append(annee)
    return {"annees": annees, "annee": annee, "identifiant": identifiant, "classe": classe}
