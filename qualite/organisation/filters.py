import django_filters

from qualite.organisation.models import AuditEntry, Etablissement
from qualite.outils.parametres import FiltresBornes, IPFilter
from qualite.outils.widgets import DateInput


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
