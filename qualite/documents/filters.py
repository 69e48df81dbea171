import django_filters

from qualite.documents.models import Document, VersionDocument
from qualite.organisation import access
from qualite.organisation.models import Service
from qualite.outils.parametres import FiltresBornes


class DocumentFilter(FiltresBornes, django_filters.FilterSet):
    titre = django_filters.CharFilter(field_name="titre", lookup_expr="unaccent__icontains", label="Titre contient")
    type = django_filters.ChoiceFilter(choices=Document.Type.choices, label="Type")
    statut = django_filters.ChoiceFilter(choices=VersionDocument.Statut.choices, label="Statut")
    service = django_filters.ModelChoiceFilter(queryset=Service.objects.none(), label="Service")

    class Meta:
        model = Document
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perimetre = access.perimetre(user, "documents.voir")
        self.filters["service"].queryset = perimetre.filtrer_etablissement(
            Service.objects.select_related("pole"), champ="pole__etablissement_id")
