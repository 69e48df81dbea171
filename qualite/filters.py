import django_filters
from django import forms

from .models import AuditEntry, Echeance, Etablissement


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilter(django_filters.FilterSet):
    utilisateur = django_filters.CharFilter(field_name="identifiant", lookup_expr="icontains", label="Identifiant")
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label="Action")
    objet = django_filters.CharFilter(lookup_expr="icontains", label="Objet")
    etablissement = django_filters.ModelChoiceFilter(queryset=Etablissement.objects.all(), label="Établissement")
    du = django_filters.DateFilter(field_name="horodatage", lookup_expr="date__gte", label="Du", widget=DateInput)
    au = django_filters.DateFilter(field_name="horodatage", lookup_expr="date__lte", label="Au", widget=DateInput)
    ip = django_filters.CharFilter(lookup_expr="exact", label="Adresse IP")

    class Meta:
        model = AuditEntry
        fields = []


class EcheanceFilter(django_filters.FilterSet):
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
