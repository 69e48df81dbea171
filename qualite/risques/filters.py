import django_filters
from django import forms
from django.db.models import Q

from qualite.organisation import access
from qualite.organisation.models import Etablissement, Pole
from qualite.outils.parametres import FiltresBornes
from qualite.outils.widgets import DateInput
from qualite.risques import domaines
from qualite.risques.models import FamilleRisque, Risque


class _Perimetre(FiltresBornes, django_filters.FilterSet):
    """Choices limited to the user's établissements: a filter never lists another établissement's names."""

    etablissement = django_filters.ModelChoiceFilter(queryset=Etablissement.objects.none(), label="Établissement")
    pole = django_filters.ModelChoiceFilter(queryset=Pole.objects.none(), label="Pôle")
    processus = django_filters.ModelChoiceFilter(queryset=None, label="Processus")
    famille = django_filters.ModelChoiceFilter(queryset=FamilleRisque.objects.none(), label="Famille")

    class Meta:
        model = Risque
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        etabs = access.perimetre(user, "risques.voir").etablissements
        self.filters["etablissement"].queryset = Etablissement.objects.filter(pk__in=etabs)
        self.filters["pole"].queryset = Pole.objects.filter(etablissement_id__in=etabs).select_related("etablissement")
        self.filters["processus"].queryset = domaines.Processus().objects.filter(etablissement_id__in=etabs)
        self.filters["famille"].queryset = FamilleRisque.objects.filter(etablissement_id__in=etabs)


class RisqueFilter(_Perimetre):
    q = django_filters.CharFilter(label="Recherche", method="rechercher", max_length=100)
    archives = django_filters.ChoiceFilter(
        label="Risques", method="filtrer_archives", empty_label="Suivis",
        choices=[("tous", "Suivis et archivés"), ("archives", "Archivés seulement")])
    signale = django_filters.BooleanFilter(
        label="Signalés (évènements nombreux, cotation faible)", method="filtrer_signale",
        widget=forms.Select(choices=[("", "—"), ("true", "Oui")]))

    def __init__(self, *args, reglages, **kwargs):
        super().__init__(*args, **kwargs)
        self.reglages = reglages

    @property
    def qs(self):
        qs = super().qs
        if not (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("archives")):
            qs = qs.filter(archive_le__isnull=True)
        return qs

    def rechercher(self, qs, name, value):
        return qs.filter(Q(titre__icontains=value) | Q(description__icontains=value) | Q(barrieres__icontains=value))

    def filtrer_archives(self, qs, name, value):
        return qs.filter(archive_le__isnull=False) if value == "archives" else qs

    def filtrer_signale(self, qs, name, value):
        if not value:
            return qs
        r = self.reglages
        return qs.filter(derniere_criticite_residuelle__lt=r.seuil_a_surveiller,
                         evenements_recents__gte=r.alerte_evenements)


class CarteFilter(_Perimetre):
    date = django_filters.DateFilter(label="Cartographie au", method="ignorer", widget=DateInput)

    def ignorer(self, qs, name, value):
        return qs  # the date picks each risk's scoring (selectors.carte), it filters no risk by itself
