import django_filters
from django import forms
from django.db.models import F

from evenements.models import (
    CHAMPS_RECHERCHE,
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
from qualite.outils import registres, tableaux
from qualite.outils.parametres import FiltresBornes
from qualite.outils.widgets import DateInput

TABLEAU = tableaux.Tableau([
    tableaux.Colonne("Référence", "reference"),
    tableaux.Colonne("Survenu le", "survenu_le", descendant_d_abord=True),
    tableaux.Colonne("Service", "service", ("service__nom",)),
    tableaux.Colonne("Type", "type", ("type__libelle",)),
    tableaux.Colonne("Gravité", "gravite", (F("gravite"), "survenu_le"), descendant_d_abord=True),
    # Same order as the index ei_criticite (criticité, date, id): a far page stays an index scan.
    tableaux.Colonne("Criticité", "criticite", (EXPRESSION_CRITICITE, "survenu_le"), descendant_d_abord=True),
    tableaux.Colonne("EIGS", "eigs", (F("est_eigs"), "survenu_le"), descendant_d_abord=True),
    tableaux.Colonne("État", "statut", (tableaux.ordre_des_choix("statut", Statut.choices), "survenu_le")),
])


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
    q = django_filters.CharFilter(label="Rechercher", method="rechercher",
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "Mots, référence…"}))

    class Meta:
        model = EvenementIndesirable
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visibles = access.etablissements_visibles(user)
        self._portee = ",".join(map(str, sorted(visibles)))
        self.filters["etablissement"].queryset = Etablissement.objects.filter(pk__in=visibles)
        self.filters["pole"].queryset = Pole.objects.filter(etablissement_id__in=visibles)
        self.filters["service"].queryset = Service.objects.filter(pole__etablissement_id__in=visibles)

    @property
    def form(self):
        nouveau = not hasattr(self, "_form")
        form = super().form
        if nouveau:
            # Choice lists cached per scope: the visible établissements are all their queries depend on.
            for nom in ("etablissement", "pole", "service", "type"):
                registres.choix_en_cache(form.fields[nom], self.filters[nom].queryset, Etablissement, Pole,
                                         nom=f"evenements.{nom}:{self._portee if nom != 'type' else 'tous'}")
        return form

    def filter_queryset(self, queryset):
        return TABLEAU.trier(super().filter_queryset(queryset), self.data)

    def rechercher(self, qs, name, value):
        return tableaux.rechercher(qs, value.strip()[:tableaux.LONGUEUR_RECHERCHE], CHAMPS_RECHERCHE)

    def filtrer_zone(self, qs, name, value):
        return qs.avec_criticite().filter(MatriceCriticite.courante().q_zone(value))
