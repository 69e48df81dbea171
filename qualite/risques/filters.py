import re

import django_filters
from django import forms
from django.db.models import F

from qualite.organisation import access
from qualite.organisation.models import Etablissement, Pole
from qualite.outils import tableaux
from qualite.outils.parametres import FiltresBornes
from qualite.outils.widgets import DateInput
from qualite.risques import domaines
from qualite.risques.models import CHAMPS_RECHERCHE, FamilleRisque, Risque

# The register's columns; the scoring ones sort on the latest scoring (annotated by the selector), unscored last.
TABLEAU = tableaux.Tableau([
    tableaux.Colonne("Réf.", "reference", ("pk",)),
    tableaux.Colonne("Risque", "titre", ("titre",)),
    tableaux.Colonne("Famille", "famille", ("famille__libelle", "titre")),
    tableaux.Colonne("Processus", "processus", (F("processus__nom"), "titre")),
    tableaux.Colonne("Pôle / service", "pole", (F("pole__nom"), F("service__nom"), "titre")),
    tableaux.Colonne("Pilote", "pilote", (F("pilote__last_name"), F("pilote__first_name"), "titre")),
    tableaux.Colonne("F × G"),
    tableaux.Colonne("Brute", "brute", (F("derniere_criticite_brute"), "titre"), descendant_d_abord=True),
    tableaux.Colonne("Résiduelle", "residuelle", (F("derniere_criticite_residuelle"), "titre"),
                     descendant_d_abord=True),
    tableaux.Colonne("Cotée le", "cotation", (F("derniere_date"),), descendant_d_abord=True),
    tableaux.Colonne("Évènements", "evenements", (F("evenements_recents"), "titre"), descendant_d_abord=True),
])

REFERENCE = re.compile(rf"{re.escape(Risque.PREFIXE)}?(\d{{1,9}})", re.IGNORECASE)


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
    q = django_filters.CharFilter(label="Rechercher", method="rechercher", max_length=tableaux.LONGUEUR_RECHERCHE,
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "Mots, référence…"}))
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

    def filter_queryset(self, queryset):
        return TABLEAU.trier(super().filter_queryset(queryset), self.data)

    def rechercher(self, qs, name, value):
        # A reference (RSQ-12) is the risk's id: found as such, not as words.
        if reference := REFERENCE.fullmatch(value.strip()):
            return qs.filter(pk=int(reference.group(1)))
        return tableaux.rechercher(qs, value.strip(), CHAMPS_RECHERCHE)

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
