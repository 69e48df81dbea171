import django_filters
from django import forms
from django.db.models import F

from qualite.organisation import access
from qualite.organisation.models import Etablissement, Pole, Service
from qualite.outils import tableaux
from qualite.outils.parametres import FiltresBornes
from qualite.outils.widgets import DateInput
from qualite.paqss.models import CHAMPS_RECHERCHE, ActionAmelioration

TABLEAU = tableaux.Tableau([
    tableaux.Colonne("Action", "titre", ("titre",)),
    tableaux.Colonne("Origine", "origine", (tableaux.ordre_des_choix("origine", ActionAmelioration.Origine.choices),
                                            F("echeance"))),
    tableaux.Colonne("Service", "service", (F("service__nom"), F("echeance"))),
    tableaux.Colonne("Responsable", "responsable", (F("responsable__last_name"), F("responsable__first_name"),
                                                    F("echeance"))),
    tableaux.Colonne("Priorité", "priorite", (tableaux.ordre_des_choix("priorite", ActionAmelioration.Priorite.choices),
                                              F("echeance"))),
    tableaux.Colonne("Échéance", "echeance", (F("echeance"),)),
    tableaux.Colonne("Statut", "statut", (tableaux.ordre_des_choix("statut", ActionAmelioration.Statut.choices),
                                          F("echeance"))),
    tableaux.Colonne("Avancement", "avancement", ("avancement", F("echeance"))),
])


class ActionFilter(FiltresBornes, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="rechercher",
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "Mots du titre…"}))
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

    def filter_queryset(self, queryset):
        return TABLEAU.trier(super().filter_queryset(queryset), self.data)

    def rechercher(self, qs, name, value):
        return tableaux.rechercher(qs, value.strip()[:tableaux.LONGUEUR_RECHERCHE], CHAMPS_RECHERCHE)

    def filtrer_retard(self, qs, name, value):
        q = ActionAmelioration.q_en_retard()
        return qs.filter(q) if value else qs.exclude(q)
