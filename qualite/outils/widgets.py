"""The product's form widgets: the browser's own date and date-time pickers, with the ISO format they need;
a list of boxes to tick that a filter field narrows (static/js/choix-cherchable.js)."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ChoixCherchable(forms.CheckboxSelectMultiple):
    """Several choices among many (services, criteria, events): boxes to tick, never a Ctrl-click list; the
    page's script adds a « Filtrer » field above them (accents ignored). Without the script: the boxes."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"data-choix-cherchable": "1", **(attrs or {})})
