"""Deadlines ("Mes échéances") in the REST API: the user's own and those of the rules their roles answer for,
through access.echeances_scope, as on the page and in the iCalendar feed."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from qualite.api.vues import VueRegistre
from qualite.echeances.filters import EcheanceFilter
from qualite.echeances.models import Echeance
from qualite.echeances.selectors import modules_echeances
from qualite.organisation import access


class EcheanceSerializer(serializers.ModelSerializer):
    regle_code = serializers.CharField(source="regle.code", read_only=True)
    regle_libelle = serializers.CharField(source="regle.libelle", read_only=True)
    module = serializers.CharField(source="regle.module", read_only=True)
    statut = serializers.CharField(source="statut_calcule", read_only=True)

    class Meta:
        model = Echeance
        fields = ["id", "regle_code", "regle_libelle", "module", "reference", "url", "etablissement", "pole",
                  "service", "echeance", "debut_compte", "satisfaite_le", "sans_objet", "motif_sans_objet", "statut"]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(summary="Mes échéances"))
class EcheanceViewSet(VueRegistre):
    """Vos échéances : les vôtres, et celles des règles dont vos rôles répondent, dans votre périmètre."""

    queryset = Echeance.objects.select_related("regle")
    serializer_class = EcheanceSerializer
    filterset_class = EcheanceFilter
    permissions_lecture = ("echeances.voir",)

    def filterset_kwargs(self, request):
        return {"modules": modules_echeances()}

    def portee(self, qs, user):
        return access.echeances_scope(qs, user).avec_statut().order_by("echeance", "id")
