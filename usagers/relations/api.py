"""Complaints and medical-record requests in the REST API (qualite/api), scoped by the pages' rules
(usagers/relations/access.py). Complaints are written through ReclamationForm + reclamation_enregistrer; CDU
members and user representatives read the anonymised shape only, as on their pages."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import serializers

from qualite.api.formulaires import serializer_depuis_formulaire
from qualite.api.vues import (
    EcritureParFormulaire,
    Erreurs,
    VueRegistre,
    donnees_du_formulaire,
    exiger_formulaire_valide,
    par_le_service,
    schema_creation,
)
from qualite.outils.parametres import FiltresBornes
from usagers.relations import services
from usagers.relations.access import dossiers_scope, reclamations_scope, voit_nominatif_reclamations
from usagers.relations.forms import ReclamationForm
from usagers.relations.models import DemandeDossier, NatureReclamation, Reclamation
from usagers.relations.selectors import CHAMPS_ANONYMES, reclamations_anonymisees


class _Filtre(FiltresBornes, django_filters.FilterSet):
    etablissement = django_filters.NumberFilter(field_name="etablissement_id", label="Établissement (id)")
    du = django_filters.DateFilter(field_name="recue_le", lookup_expr="gte", label="Reçue du")
    au = django_filters.DateFilter(field_name="recue_le", lookup_expr="lte", label="au")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ReclamationFiltre(_Filtre):
    nature = django_filters.ChoiceFilter(choices=NatureReclamation.choices, label="Nature")

    class Meta:
        model = Reclamation
        fields = []


class DemandeDossierFiltre(_Filtre):
    du = django_filters.DateFilter(field_name="recue_le", lookup_expr="date__gte", label="Reçue du")
    au = django_filters.DateFilter(field_name="recue_le", lookup_expr="date__lte", label="au")

    class Meta:
        model = DemandeDossier
        fields = []


class ReclamationSerializer(serializers.ModelSerializer):
    etablissement_nom = serializers.CharField(source="etablissement.nom", read_only=True)
    services = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Reclamation
        fields = ["id", "reference", "etablissement", "etablissement_nom", "nature", "canal", "categories",
                  "services", "auteur_nom", "auteur_adresse", "auteur_courriel", "lien_patient", "patient_nom",
                  "objet", "resume_anonymise", "resume_valide", "recue_le", "accuse_le", "premiere_reponse_le",
                  "mediation", "mediateur_saisi_le", "mediation_refusee", "rencontre_le", "ru_accompagnant",
                  "rapport_le", "seance_cdu", "avis_cdu", "reponse_finale_le", "evenement", "revision",
                  "created_at", "updated_at"]
        read_only_fields = fields


class ReclamationAnonymeSerializer(serializers.ModelSerializer):
    """What CDU members and user representatives see: the rows of selectors.reclamations_anonymisees, the
    pages' one rule (no author, no patient, no object; the summary only once staff validated it)."""

    etablissement_nom = serializers.CharField(source="etablissement__nom", read_only=True)
    services_noms = serializers.CharField(read_only=True, allow_null=True)
    resume = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Reclamation
        fields = [*(c for c in CHAMPS_ANONYMES if "__" not in c), "etablissement_nom", "services_noms", "resume"]
        read_only_fields = fields


ReclamationCreation = serializer_depuis_formulaire(ReclamationForm, "ReclamationCreation")
ReclamationModification = serializer_depuis_formulaire(ReclamationForm, "ReclamationModification", partiel=True,
                                                       revision=True)


# The shape depends on the reader: named for relations staff, anonymised for the CDU and user representatives.
SELON_LE_LECTEUR = PolymorphicProxySerializer(
    component_name="ReclamationSelonLeLecteur", serializers=[ReclamationSerializer, ReclamationAnonymeSerializer],
    resource_type_field_name=None)


@extend_schema_view(
    list=extend_schema(summary="Plaintes, réclamations, éloges (forme anonymisée pour la CDU et les RU)",
                       responses=SELON_LE_LECTEUR),
    retrieve=extend_schema(responses=SELON_LE_LECTEUR),
    create=schema_creation(ReclamationCreation, ReclamationSerializer, "Enregistrer une réclamation"),
    partial_update=extend_schema(request=ReclamationModification, responses={200: ReclamationSerializer, 400: Erreurs},
                                 summary="Modifier une réclamation (échéances recalculées)"),
)
class ReclamationViewSet(EcritureParFormulaire, VueRegistre):
    """Plaintes, réclamations et éloges de vos établissements ; forme anonymisée pour les membres de la CDU et
    les représentants des usagers. Écriture : chargé des relations avec les usagers."""

    queryset = Reclamation.objects.select_related("etablissement").prefetch_related("services")
    serializer_class = ReclamationSerializer
    serializer_creation = ReclamationCreation
    serializer_modification = ReclamationModification
    filterset_class = ReclamationFiltre
    permissions_lecture = ("reclamations.voir_nominatif", "reclamations.voir_anonymise")
    permission_ecriture = "reclamations.gerer"
    fiche_hors_permission_404 = True
    http_method_names = ["get", "head", "options", "post", "patch"]

    @property
    def nominatif(self):
        return voit_nominatif_reclamations(self.request.user)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False) or voit_nominatif_reclamations(self.request.user):
            return ReclamationSerializer
        return ReclamationAnonymeSerializer

    def portee(self, qs, user):
        qs = reclamations_scope(qs, user).order_by("-recue_le", "-id")
        return qs if voit_nominatif_reclamations(user) else reclamations_anonymisees(qs)

    def creer(self, request):
        form = ReclamationForm(data=request.data, user=request.user)
        exiger_formulaire_valide(form)
        return par_le_service(lambda: services.reclamation_enregistrer(
            par=request.user, donnees=form.donnees(), services=form.cleaned_data["services"]))

    def modifier(self, request, objet):
        champs = [*ReclamationForm._meta.fields]
        form = ReclamationForm(data=donnees_du_formulaire(objet, champs, request.data), instance=objet,
                               user=request.user)
        exiger_formulaire_valide(form)
        return par_le_service(lambda: services.reclamation_enregistrer(
            par=request.user, donnees=form.donnees(), reclamation=objet, revision=form.cleaned_data.get("revision"),
            services=form.cleaned_data["services"] if "services" in form.changed_data else None))


class DemandeDossierSerializer(serializers.ModelSerializer):
    etablissement_nom = serializers.CharField(source="etablissement.nom", read_only=True)

    class Meta:
        model = DemandeDossier
        fields = ["id", "reference", "etablissement", "etablissement_nom", "patient_nom", "patient_naissance",
                  "patient_decede", "demandeur_type", "demandeur_nom", "motif", "identite_verifiee",
                  "qualite_verifiee", "recue_le", "complete_le", "point_depart", "informations_du", "mode",
                  "communiquee_le", "frais", "refusee", "motif_refus", "revision", "created_at", "updated_at"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary="Demandes de dossier médical"))
class DemandeDossierViewSet(VueRegistre):
    """Demandes de communication du dossier médical de vos établissements."""

    queryset = DemandeDossier.objects.select_related("etablissement")
    serializer_class = DemandeDossierSerializer
    permissions_lecture = ("dossiers.gerer",)
    nominatif = True
    filterset_class = DemandeDossierFiltre

    def portee(self, qs, user):
        return dossiers_scope(qs, user).order_by("-recue_le", "-id")
