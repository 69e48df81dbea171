from django import template

from qualite.pilotage import charts

register = template.Library()


@register.filter
def nombre(valeur):
    """A count as printed in French: « 1 234 » (no-break space between thousands); a mask (« < 3 ») as is."""
    if valeur in (None, ""):
        return "—"
    return charts.nombre(valeur)
