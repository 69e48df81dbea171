"""Adverse events in the REST API (qualite/api): read within evenements_scope (the pages' rule), declare
through DeclarationForm + evenement_declarer, qualify through QualificationForm + evenement_qualifier."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from evenements import fhir, selectors, services
from evenements.access import LIBELLE_DECLARANT_MASQUE, evenements_scope, peut_gerer, voit_declarant
from evenements.filters import EvenementFilter
from evenements.forms import DeclarationForm, PeriodeFHIRForm, QualificationForm
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
from qualite.organisation import access, audit


class RenduFHIR(JSONRenderer):
    """FHIR's own JSON media type; plain application/json stays available by the Accept header."""

    media_type = fhir.TYPE_MIME
    format = "fhir"


PARAMETRE_VERSION = OpenApiParameter("version", str, enum=list(fhir.VERSIONS), default=fhir.R5,
                                     description="Version de FHIR : R5 (défaut) ou R4 (valable aussi en R4B).")


def _version(params) -> str:
    version = params.get("version", fhir.R5)
    if version not in fhir.VERSIONS:
        raise serializers.ValidationError({"version": ["Choisissez « R5 » ou « R4 »."]})
    return version




class EvenementSerializer(serializers.ModelSerializer):
    etablissement_nom = serializers.CharField(source="etablissement.nom", read_only=True)
    pole_nom = serializers.CharField(source="pole.nom", read_only=True)
    service_nom = serializers.CharField(source="service.nom", read_only=True)
    type_libelle = serializers.CharField(source="type.libelle", read_only=True)
    declarant = serializers.SerializerMethodField()

    class Meta:
        model = EvenementIndesirable
        fields = ["id", "reference", "etablissement", "etablissement_nom", "pole", "pole_nom", "service",
                  "service_nom", "survenu_le", "lieu", "type", "type_libelle", "description", "personnes", "presque_accident",
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
            return access.has_perm(user, "evenements.gerer")
        if action == "fhir_lot":  # as the page: named events, or the CDU's anonymised EIGS
            return access.has_perm(user, "evenements.export_fhir") or access.has_perm(
                user, "evenements.statistiques_anonymes")
        return super().permission_requise(user, action)

    # The 400s (a French message per field) are described, not declared: the NUL-byte guard before every view
    # answers 400 too, in HTML, and a declared 400 would promise JSON for it (as for the lists' filters).
    @extend_schema(summary="L'évènement en ressource FHIR AdverseEvent", operation_id="evenements_fhir",
                   description="Version inconnue : 400 (message en français).", parameters=[PARAMETRE_VERSION],
                   responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"], url_path="fhir", renderer_classes=[RenduFHIR, JSONRenderer],
            filter_backends=[])
    def fhir(self, request, pk=None):
        """Hors périmètre : 404 ; sans la permission d'export FHIR : 403. L'export est tracé."""
        ev = self.get_object()
        if not access.has_perm(request.user, "evenements.export_fhir"):
            raise PermissionDenied("Vous n'avez pas la permission d'exporter les évènements en FHIR.")
        version = _version(request.query_params)
        ev = selectors.pour_fhir(EvenementIndesirable.objects.filter(pk=ev.pk)).get()
        donnees = fhir.ressource(ev, version=version, nom_declarant=fhir.nom_declarant(request.user, ev))
        audit.tracer(request, audit.Action.EXPORT, ev, details={"api": request.path, "format": f"FHIR {version}"})
        return Response(donnees)

    @extend_schema(
        summary="Bundle FHIR (collection) des évènements d'une période", operation_id="evenements_fhir_lot",
        description="Mêmes périmètre et filtres que la liste (etablissement, pole, service, type, gravite, zone, "
                    "statut, est_eigs). Membres de la CDU et représentants des usagers : les EIGS anonymisés. "
                    "Période absente, inversée ou trop longue : 400, messages en français par champ.",
        parameters=[OpenApiParameter("du", OpenApiTypes.DATE, required=True, description="Survenus à partir du"),
                    OpenApiParameter("au", OpenApiTypes.DATE, required=True, description="Survenus jusqu'au (inclus)"),
                    PARAMETRE_VERSION],
        responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"], url_path="fhir", url_name="fhir-lot",
            renderer_classes=[RenduFHIR, JSONRenderer], filter_backends=[], pagination_class=None)
    def fhir_lot(self, request):
        form = PeriodeFHIRForm({"version": fhir.R5, **request.query_params.dict()})
        exiger_formulaire_valide(form)
        donnees, ids = fhir.lot(request.user, request.query_params, du=form.cleaned_data["du"],
                                au=form.cleaned_data["au"], version=form.cleaned_data["version"])
        if ids is not None:
            audit.tracer(request, audit.Action.EXPORT, details={
                "api": request.path, "format": f"FHIR {form.cleaned_data['version']}",
                "parametres": request.query_params.dict(), "ids": ids})
        return Response(donnees)

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
