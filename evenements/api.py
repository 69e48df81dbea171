"""Adverse events in the REST API (qualite/api): read within evenements_scope (the pages' rule), declare
through DeclarationForm + evenement_declarer, qualify through QualificationForm + evenement_qualifier."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers

from evenements import services
from evenements.access import LIBELLE_DECLARANT_MASQUE, evenements_scope, peut_gerer, voit_declarant
from evenements.filters import EvenementFilter
from evenements.forms import DeclarationForm, QualificationForm
from evenements.models import EvenementIndesirable
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


class EvenementSerializer(serializers.ModelSerializer):
    etablissement_nom = serializers.CharField(source="etablissement.nom", read_only=True)
    pole_nom = serializers.CharField(source="pole.nom", read_only=True)
    service_nom = serializers.CharField(source="service.nom", read_only=True)
    type_libelle = serializers.CharField(source="type.libelle", read_only=True)
    declarant = serializers.SerializerMethodField()

    class Meta:
        model = EvenementIndesirable
        fields = ["id", "reference", "etablissement", "etablissement_nom", "pole", "pole_nom", "service",
                  "service_nom", "survenu_le", "lieu", "type", "type_libelle", "description", "personnes",
                  "mesures_immediates", "consequences", "gravite_estimee", "confidentiel", "statut", "gravite",
                  "vraisemblance", "inattendu", "deces", "mise_en_jeu_pronostic_vital", "deficit_permanent",
                  "est_eigs", "resume_anonymise", "qualifie_le", "retour_declarant", "retour_le", "cloture_le",
                  "declarant", "revision", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField())
    def get_declarant(self, ev) -> str:
        """A confidential declarant is named to risk managers only (evenements.access.voit_declarant)."""
        user = self.context["request"].user
        if not voit_declarant(user, ev):
            return LIBELLE_DECLARANT_MASQUE
        return str(ev.created_by) if ev.created_by_id else ""


DeclarationSerializer = serializer_depuis_formulaire(DeclarationForm, "DeclarationSerializer")
QualificationSerializer = serializer_depuis_formulaire(QualificationForm, "QualificationSerializer", partiel=True,
                                                       revision=True)


@extend_schema_view(
    create=schema_creation(DeclarationSerializer, EvenementSerializer, "Déclarer un évènement indésirable"),
    partial_update=extend_schema(request=QualificationSerializer, responses={200: EvenementSerializer, 400: Erreurs},
                                 summary="Qualifier un évènement (gravité, vraisemblance, EIGS)"),
)
class EvenementViewSet(EcritureParFormulaire, VueRegistre):
    """Évènements indésirables : ses propres déclarations pour chacun, le pôle pour un cadre, les
    établissements pour la gestion des risques et la direction."""

    queryset = EvenementIndesirable.objects.select_related("etablissement", "pole", "service", "type", "created_by")
    serializer_class = EvenementSerializer
    serializer_creation = DeclarationSerializer
    serializer_modification = QualificationSerializer
    filterset_class = EvenementFilter
    permissions_lecture = ("evenements.declarer",)
    permission_ecriture = "evenements.declarer"
    nominatif = True
    http_method_names = ["get", "head", "options", "post", "patch"]

    def permission_requise(self, user, action) -> bool:
        if action == "partial_update":
            from qualite.organisation import access

            return access.has_perm(user, "evenements.gerer")
        return super().permission_requise(user, action)

    def portee(self, qs, user):
        return evenements_scope(qs, user).order_by("-survenu_le", "-id")

    def creer(self, request):
        form = DeclarationForm(data=request.data, user=request.user)
        exiger_formulaire_valide(form)
        return par_le_service(lambda: services.evenement_declarer(
            declarant=request.user, service=form.cleaned_data["service"], donnees=form.donnees()))

    def peut_modifier(self, user, objet) -> bool:
        return peut_gerer(user, objet)

    def modifier(self, request, objet):
        champs = list(QualificationForm._meta.fields)
        form = QualificationForm(data=donnees_du_formulaire(objet, champs, request.data), instance=objet)
        exiger_formulaire_valide(form)
        return par_le_service(lambda: services.evenement_qualifier(
            evenement=objet, par=request.user, donnees=form.modifications(),
            revision=form.cleaned_data.get("revision")))
