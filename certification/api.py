"""Indicators and their values in the REST API (qualite/api). Values are read within
certification_scope_valeurs (the indicator page's rule) and recorded through ValeurIndicateurForm and
valeur_indicateur_enregistrer, as on the page (indicateurs.saisir within its reach)."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from certification import services
from certification.access import certification_scope_valeurs
from certification.forms import ValeurIndicateurForm
from certification.models import Indicateur, ValeurIndicateur
from qualite.api.formulaires import ID_MAX, serializer_depuis_formulaire
from qualite.api.vues import (
    EcritureParFormulaire,
    Erreurs,
    VueRegistre,
    donnees_du_formulaire,
    exiger_formulaire_valide,
    par_le_service,
    schema_creation,
)
from qualite.organisation import access
from qualite.outils.parametres import FiltresBornes


class IndicateurSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicateur
        fields = ["id", "code", "libelle", "definition", "unite", "sens", "cible", "actif"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary="Indicateurs (référentiel)"))
class IndicateurViewSet(VueRegistre):
    """Indicateurs suivis (référentiel commun)."""

    queryset = Indicateur.objects.all()
    serializer_class = IndicateurSerializer
    permissions_lecture = ("certification.consulter",)
    filterset_class = None

    def portee(self, qs, user):
        return qs.order_by("libelle", "id")  # a shared référentiel: the page shows every indicator


class ValeurSerializer(serializers.ModelSerializer):
    etablissement_nom = serializers.CharField(source="etablissement.nom", read_only=True)
    service_nom = serializers.CharField(source="service.nom", read_only=True, allow_null=True, default=None)

    class Meta:
        model = ValeurIndicateur
        fields = ["id", "indicateur", "etablissement", "etablissement_nom", "service", "service_nom", "periode",
                  "valeur", "revision", "created_at", "updated_at"]
        read_only_fields = fields


class ValeurFiltre(FiltresBornes, django_filters.FilterSet):
    indicateur = django_filters.NumberFilter(field_name="indicateur_id", label="Indicateur (id)")
    etablissement = django_filters.NumberFilter(field_name="etablissement_id", label="Établissement (id)")
    du = django_filters.DateFilter(field_name="periode", lookup_expr="gte", label="Période du")
    au = django_filters.DateFilter(field_name="periode", lookup_expr="lte", label="au")

    class Meta:
        model = ValeurIndicateur
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


_Creation = serializer_depuis_formulaire(ValeurIndicateurForm, "_ValeurCreation")


class ValeurCreation(_Creation):
    indicateur = serializers.IntegerField(min_value=1, max_value=ID_MAX)


ValeurModification = serializer_depuis_formulaire(ValeurIndicateurForm, "ValeurModification", partiel=True,
                                                  revision=True)


@extend_schema_view(
    list=extend_schema(summary="Valeurs des indicateurs"),
    create=schema_creation(ValeurCreation, ValeurSerializer, "Saisir une valeur d'indicateur"),
    partial_update=extend_schema(request=ValeurModification, responses={200: ValeurSerializer, 400: Erreurs},
                                 summary="Corriger une valeur d'indicateur"),
)
class ValeurViewSet(EcritureParFormulaire, VueRegistre):
    """Valeurs des indicateurs : celles de vos établissements (d'établissement, ou des services de votre pôle
    pour un cadre)."""

    queryset = ValeurIndicateur.objects.select_related("etablissement", "service", "indicateur")
    serializer_class = ValeurSerializer
    serializer_creation = ValeurCreation
    serializer_modification = ValeurModification
    filterset_class = ValeurFiltre
    permissions_lecture = ("certification.consulter",)
    permission_ecriture = "indicateurs.saisir"
    http_method_names = ["get", "head", "options", "post", "patch"]

    def permission_requise(self, user, action) -> bool:
        # Writing on the indicator page first needs reading it.
        return super().permission_requise(user, action) and access.has_perm(user, "certification.consulter")

    def portee(self, qs, user):
        return certification_scope_valeurs(qs, user).order_by("indicateur_id", "periode", "id")

    def creer(self, request):
        indicateur = Indicateur.objects.filter(pk=request.data.get("indicateur")).first()
        if indicateur is None:
            raise serializers.ValidationError({"indicateur": ["Indicateur inconnu."]})
        form = ValeurIndicateurForm(data=request.data, user=request.user, instance=ValeurIndicateur(indicateur=indicateur))
        exiger_formulaire_valide(form)
        return par_le_service(lambda: services.valeur_indicateur_enregistrer(
            par=request.user, indicateur=indicateur, donnees=form.cleaned_data))

    def peut_modifier(self, user, objet) -> bool:
        return certification_scope_valeurs(ValeurIndicateur.objects.filter(pk=objet.pk), user,
                                           "indicateurs.saisir").exists()

    def modifier(self, request, objet):
        champs = list(ValeurIndicateurForm._meta.fields)
        form = ValeurIndicateurForm(data=donnees_du_formulaire(objet, champs, request.data), instance=objet,
                                    user=request.user)
        exiger_formulaire_valide(form)
        donnees = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data and k != "revision"}
        return par_le_service(lambda: services.valeur_indicateur_enregistrer(
            par=request.user, indicateur=objet.indicateur, donnees=donnees, valeur=objet,
            revision=int(request.data["revision"])))  # required and checked by _verifier_forme
