import django_filters
from django import forms

from qualite.organisation import access
from qualite.organisation.models import Service
from qualite.outils.parametres import FiltresBornes
from usagers.ssc.models import MesureIsolement, MesureSoinsSansConsentement, ModeAdmission


class DateInput(forms.DateInput):
    input_type = "date"


class _Services:
    def _services(self, user):
        self.filters["service"].queryset = Service.objects.filter(pole__etablissement_id__in=access.etablissements_visibles(user))


class MesureFilter(FiltresBornes, _Services, django_filters.FilterSet):
    mode = django_filters.ChoiceFilter(choices=ModeAdmission.choices, label="Mode")
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.none(), label="Unité")
    active = django_filters.BooleanFilter(field_name="levee_le", lookup_expr="isnull", label="En cours",
                                          widget=forms.Select(choices=[("", "—"), ("true", "Oui"), ("false", "Non (levées)")]))
    du = django_filters.DateFilter(field_name="t0", lookup_expr="date__gte", label="Admission du", widget=DateInput)
    au = django_filters.DateFilter(field_name="t0", lookup_expr="date__lte", label="au", widget=DateInput)
    ipp = django_filters.CharFilter(field_name="patient__ipp", label="IPP")

    class Meta:
        model = MesureSoinsSansConsentement
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._services(user)


class IsolementFilter(FiltresBornes, _Services, django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=MesureIsolement.Type.choices, label="Type")
    service = django_filters.ModelChoiceFilter(field_name="mesure__service", queryset=Service.objects.none(), label="Unité")
    du = django_filters.DateFilter(field_name="debut", lookup_expr="date__gte", label="Début du", widget=DateInput)
    au = django_filters.DateFilter(field_name="debut", lookup_expr="date__lte", label="au", widget=DateInput)

    class Meta:
        model = MesureIsolement
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._services(user)
