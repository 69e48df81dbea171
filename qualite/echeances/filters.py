import django_filters

from qualite.echeances.models import Echeance
from qualite.outils.parametres import FiltresBornes
from qualite.outils.widgets import DateInput


class EcheanceFilter(FiltresBornes, django_filters.FilterSet):
    statut = django_filters.ChoiceFilter(
        field_name="statut_calcule", choices=Echeance.Statut.choices, label="Statut", empty_label="Ouvertes"
    )
    module = django_filters.ChoiceFilter(field_name="regle__module", label="Module", choices=[])
    du = django_filters.DateFilter(field_name="echeance", lookup_expr="date__gte", label="Échéance du", widget=DateInput)
    au = django_filters.DateFilter(field_name="echeance", lookup_expr="date__lte", label="au", widget=DateInput)

    class Meta:
        model = Echeance
        fields = []

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["module"].extra["choices"] = [(m, m) for m in modules]

    def filter_queryset(self, queryset):
        qs = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("statut"):
            qs = qs.ouvertes()
        return qs
