import django_filters
from django import forms

from qualite.organisation import access
from qualite.organisation.models import Etablissement, Pole, Service
from qualite.outils.parametres import FiltresBornes
from qualite.outils.widgets import DateInput
from qualite.paqss.models import ActionAmelioration


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
