import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When

from qualite.organisation import access
from qualite.organisation.models import Service
from qualite.outils import tableaux
from qualite.outils.parametres import FiltresBornes
from usagers.ssc.models import MesureIsolement, MesureSoinsSansConsentement, ModeAdmission

# The admissions office's search: the measure and whom it concerns (the list is nominative for them).
CHAMPS_RECHERCHE = ("reference", "patient__nom", "patient__prenom", "patient__ipp", "tiers_nom")

TABLEAU = tableaux.Tableau([
    tableaux.Colonne("Référence", "reference"),
    tableaux.Colonne("Patient", "patient", ("patient__nom", "patient__prenom", F("t0"))),
    tableaux.Colonne("Mode", "mode", (tableaux.ordre_des_choix("mode", ModeAdmission.choices), F("t0"))),
    tableaux.Colonne("T0", "t0", descendant_d_abord=True),
    tableaux.Colonne("Unité", "unite", ("service__nom", F("t0"))),
    # Measures in progress first, then the lifted ones; the most recent first within each.
    tableaux.Colonne("État", "etat", (Case(When(levee_le__isnull=True, then=Value(0)), default=Value(1),
                                           output_field=IntegerField()), F("levee_le"), F("t0"))),
    tableaux.Colonne("Prochaine échéance", "echeance", (F("prochaine_echeance"), F("t0"))),
])


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
    q = django_filters.CharFilter(label="Rechercher", method="rechercher", max_length=tableaux.LONGUEUR_RECHERCHE,
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "Référence, patient, tiers…"}))

    class Meta:
        model = MesureSoinsSansConsentement
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._services(user)

    def rechercher(self, qs, name, value):
        return tableaux.rechercher(qs, value.strip(), CHAMPS_RECHERCHE)


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
