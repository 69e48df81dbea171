import django_filters
from django import forms

from . import access
from .models import ActionAmelioration, AuditEntry, Echeance, Etablissement, Pole, Service
from .parametres import FiltresBornes, IPFilter


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilter(FiltresBornes, django_filters.FilterSet):
    utilisateur = django_filters.CharFilter(field_name="identifiant", lookup_expr="icontains", label="Identifiant")
    action = django_filters.ChoiceFilter(choices=AuditEntry.Action.choices, label="Action")
    objet = django_filters.CharFilter(lookup_expr="icontains", label="Objet")
    etablissement = django_filters.ModelChoiceFilter(queryset=Etablissement.objects.all(), label="Établissement")
    du = django_filters.DateFilter(field_name="horodatage", lookup_expr="date__gte", label="Du", widget=DateInput)
    au = django_filters.DateFilter(field_name="horodatage", lookup_expr="date__lte", label="Au", widget=DateInput)
    ip = IPFilter(lookup_expr="exact", label="Adresse IP")

    class Meta:
        model = AuditEntry
        fields = []


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


class ActionFilter(FiltresBornes, django_filters.FilterSet):
    etablissement = django_filters.ModelChoiceFilter(queryset=Etablissement.objects.none(), label="Établissement")
    pole = django_filters.ModelChoiceFilter(queryset=Pole.objects.none(), label="Pôle")
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.none(), label="Service")
    origine = django_filters.ChoiceFilter(choices=ActionAmelioration.Origine.choices, label="Origine")
    statut = django_filters.ChoiceFilter(choices=ActionAmelioration.Statut.choices, label="Statut")
    en_retard = django_filters.BooleanFilter(
        label="En retard", method="filtrer_retard",
        widget=forms.Select(choices=[("", "—"), ("true", "Oui"), ("false", "Non")]),
    )
    du = django_filters.DateFilter(field_name="echeance", lookup_expr="gte", label="Échéance du", widget=DateInput)
    au = django_filters.DateFilter(field_name="echeance", lookup_expr="lte", label="au", widget=DateInput)

    class Meta:
        model = ActionAmelioration
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perimetre = access.perimetre(user, "paqss.voir")
        self.filters["etablissement"].queryset = Etablissement.objects.filter(pk__in=perimetre.etablissements)
        self.filters["pole"].queryset = perimetre.filtrer(Pole.objects.all(), pole="pk", service="services")
        self.filters["service"].queryset = perimetre.filtrer(
            Service.objects.all(), etablissement="pole__etablissement_id", service="pk")

    def filtrer_retard(self, qs, name, value):
        q = ActionAmelioration.q_en_retard()
        return qs.filter(q) if value else qs.exclude(q)
