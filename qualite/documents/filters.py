import django_filters
from django import forms
from django.db.models import F

from qualite.documents.models import Document, VersionDocument
from qualite.organisation import access
from qualite.organisation.models import Service
from qualite.outils import tableaux
from qualite.outils.parametres import FiltresBornes

# The list searches the titles; the files' text has its own page (« Rechercher dans les documents »).
CHAMPS_RECHERCHE = ("titre",)

TABLEAU = tableaux.Tableau([
    tableaux.Colonne("Titre", "titre", ("titre",)),
    tableaux.Colonne("Type", "type", (tableaux.ordre_des_choix("type", Document.Type.choices), "titre")),
    tableaux.Colonne("Statut", "statut", (tableaux.ordre_des_choix("statut", VersionDocument.Statut.choices), "titre")),
    tableaux.Colonne("Version", "version", (F("derniere_version"), "titre"), descendant_d_abord=True),
    tableaux.Colonne("Service", "service", (F("service__nom"), "titre")),
    tableaux.Colonne("Propriétaire", "proprietaire", ("proprietaire__last_name", "proprietaire__first_name", "titre")),
    tableaux.Colonne("Révision", "revision", (F("date_revision"), "titre")),
    tableaux.Colonne("Prochaine échéance", "echeance", (F("prochaine_echeance"), "titre")),
])


class DocumentFilter(FiltresBornes, django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="rechercher", max_length=tableaux.LONGUEUR_RECHERCHE,
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "Mots du titre…"}))
    type = django_filters.ChoiceFilter(choices=Document.Type.choices, label="Type")
    statut = django_filters.ChoiceFilter(choices=VersionDocument.Statut.choices, label="Statut")
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.none(), label="Service")

    class Meta:
        model = Document
        fields = []

    def __init__(self, data=None, *args, user, **kwargs):
        if data is not None and data.get("titre") and not data.get("q"):
            # Addresses kept from the former « Titre contient » filter still search the titles.
            data = data.copy()
            data["q"] = data.pop("titre")[-1]
        super().__init__(data, *args, **kwargs)
        perimetre = access.perimetre(user, "documents.voir")
        self.filters["service"].queryset = perimetre.filtrer_etablissement(
            Service.objects.select_related("pole"), champ="pole__etablissement_id")

    def filter_queryset(self, queryset):
        return TABLEAU.trier(super().filter_queryset(queryset), self.data)

    def rechercher(self, qs, name, value):
        return tableaux.rechercher(qs, value.strip(), CHAMPS_RECHERCHE)
