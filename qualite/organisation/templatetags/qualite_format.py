from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def duree(valeur):
    """A duration as staff write it: « 36 h 05 » (hours and minutes, never "1 day, 12:00:00")."""
    if not isinstance(valeur, timedelta):
        return valeur if valeur not in (None, "") else "—"
    minutes = int(valeur.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d}"


@register.simple_tag(takes_context=True)
def url_export(context, fmt: str) -> str:
    """The current list's address with its filters, asking for an export in `fmt` (page number dropped)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    params["export"] = fmt
    return "?" + params.urlencode()


@register.filter
def libelle(valeur, choix):
    """The label of a stored code, from a list of (code, label) pairs or a dict: « eloge » → « Éloge »."""
    return dict(choix).get(valeur, valeur) if choix else valeur


@register.filter
def champ_filtre(champ):
    """A filter bar's field with Bootstrap's class, whatever form it comes from (FilterSet or plain form)."""
    from django.forms import widgets

    widget = champ.field.widget
    if isinstance(widget, widgets.CheckboxInput) or not isinstance(widget, widgets.Select | widgets.Input):
        return champ
    classe = "form-select" if isinstance(widget, widgets.Select) else "form-control"
    return champ.as_widget(attrs={"class": " ".join(dict.fromkeys([*widget.attrs.get("class", "").split(), classe]))})


@register.simple_tag(takes_context=True)
def barre_filtres(context, form):
    """The filter bar of a list: its rendering (a select per choice list, a dozen fields) costs more than the
    page's rows; it is cached under its options' keys and the submitted values (registres.cle_formulaire)."""
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from qualite.outils import registres

    request = context["request"]
    contexte = {"form": form, "request": request}
    cle = registres.cle_formulaire("barre", form, request.path, request.GET.get("tri", ""), bool(request.GET))
    if cle is None:
        return render_to_string("qualite/outils/_barre_filtres.html", contexte)
    return mark_safe(registres.en_cache(cle, lambda: render_to_string("qualite/outils/_barre_filtres.html", contexte)))


@register.filter
def pluriel(valeur, formes="s"):
    """The ending a count asks in French: singular for 0 and 1 ("0 résultat", "1 analyse"), plural from 2.
    `formes` is the plural ending ("s") or "singulier,pluriel" ("al,aux"); a sequence counts its items. A value
    that is not a number (a masked count) takes the plural."""
    singulier, _, pluriel_ = formes.rpartition(",") if "," in formes else ("", "", formes)
    if isinstance(valeur, (list, tuple, set, dict)):
        valeur = len(valeur)
    try:
        n = abs(float(valeur))
    except (TypeError, ValueError):
        return pluriel_
    return pluriel_ if n >= 2 else singulier
