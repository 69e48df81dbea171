import django_filters
from django import forms
from django.db.models import F

from evenements.models import (
    EXPRESSION_CRITICITE,
    ZONES,
    EvenementIndesirable,
    Gravite,
    MatriceCriticite,
    Statut,
    TypeEvenement,
)
from qualite.organisation import access
from qualite.organisation.models import Etablissement, Pole, Service
from qualite.outils import registres
from qualite.outils.parametres import FiltresBornes
from qualite.outils.widgets import DateInput


class TriFilter(django_filters.OrderingFilter):
    """Unqualified events sort last whatever the direction; date and id break ties so pages are stable."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        champ = self.param_map[param.lstrip("-")]
        expression = EXPRESSION_CRITICITE if champ == "criticite" else F(champ)
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        return qs.order_by(*[self.get_ordering_value(p) for p in value], F("survenu_le").desc(), F("id").desc())


class EvenementFilter(FiltresBornes, django_filters.FilterSet):
    du = django_filters.DateFilter(field_name="survenu_le", lookup_expr="date__gte", label="Survenu du", widget=DateInput)
    au = django_filters.DateFilter(field_name="survenu_le", lookup_expr="date__lte", label="au", widget=DateInput)
    etablissement = django_filters.ModelChoiceFilter(queryset=Etablissement.objects.none(), label="Établissement")
    pole = django_filters.ModelChoiceFilter(queryset=Pole.objects.none(), label="Pôle")
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.none(), label="Service")
    type = django_filters.ModelChoiceFilter(queryset=TypeEvenement.objects.all(), label="Type")
    gravite = django_filters.ChoiceFilter(choices=Gravite.choices, label="Gravité")
    zone = django_filters.ChoiceFilter(choices=list(ZONES.items()), label="Criticité", method="filtrer_zone")
    statut = django_filters.ChoiceFilter(choices=Statut.choices, label="État")
    est_eigs = django_filters.BooleanFilter(label="EIGS", widget=forms.Select(choices=[("", "—"), ("true", "Oui"), ("false", "Non")]))
    tri = TriFilter(
        label="Tri",
        fields=(("survenu_le", "survenu_le"), ("reference", "reference"), ("gravite", "gravite"),
                ("criticite", "criticite"), ("statut", "statut")),
        field_labels={"survenu_le": "Date", "reference": "Référence", "gravite": "Gravité",
                      "criticite": "Criticité", "statut": "État"},
    )

    class Meta:
        model = EvenementIndesirable
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visibles = access.etablissements_visibles(user)
        self.filters["etablissement"].queryset = Etablissement.objects.filter(pk__in=visibles)
        self.filters["pole"].queryset = Pole.objects.filter(etablissement_id__in=visibles)
        self.filters["service"].queryset = Service.objects.filter(pole__etablissement_id__in=visibles)

    @property
    def form(self):
        nouveau = not hasattr(self, "_form")
        form = super().form
        if nouveau:
            # Choice lists cached per scope (the visible établissements are in each query's SQL).
            for nom in ("etablissement", "pole", "service", "type"):
                registres.choix_en_cache(form.fields[nom], self.filters[nom].queryset)
        return form

    def filtrer_zone(self, qs, name, value):
        return qs.avec_criticite().filter(MatriceCriticite.courante().q_zone(value))
