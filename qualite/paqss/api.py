"""PAQSS actions in the REST API (qualite/api): read within actions_scope (paqss.voir, the programme page's
rule); a new action (a policy axis, no source record) through action_creer; edits through ActionForm and
action_modifier, as on the action's page (paqss.gerer within its reach)."""

from __future__ import annotations

from django import forms
from drf_spectacular.utils import extend_schema, extend_schema_view
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
from qualite.organisation import access
from qualite.organisation.models import Etablissement, Pole, Service, Utilisateur
from qualite.organisation.rattachement import rattachement_au_formulaire
from qualite.outils.parametres import DatesBornees
from qualite.paqss import services
from qualite.paqss.access import actions_scope, peut_gerer_action
from qualite.paqss.filters import ActionFilter
from qualite.paqss.forms import ActionForm
from qualite.paqss.models import ActionAmelioration


class ActionCreationForm(DatesBornees, forms.Form):
    """A new action of the programme, outside any source record (a policy axis): in an établissement the
    user manages, with a pôle and a service of that établissement."""

    titre = forms.CharField(label="Titre", max_length=ActionAmelioration._meta.get_field("titre").max_length)
    description = forms.CharField(label="Description", required=False)
    etablissement = forms.ModelChoiceField(label="Établissement", queryset=Etablissement.objects.none())
    pole = forms.ModelChoiceField(label="Pôle", queryset=Pole.objects.all(), required=False)
    service = forms.ModelChoiceField(label="Service", queryset=Service.objects.select_related("pole"), required=False)
    responsable = forms.ModelChoiceField(label="Responsable", queryset=Utilisateur.objects.filter(is_active=True),
                                         required=False)
    echeance = forms.DateField(label="Échéance", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        perimetre = access.perimetre(user, "paqss.gerer")
        self.fields["etablissement"].queryset = Etablissement.objects.filter(pk__in=perimetre.etablissements)

    def clean(self):
        donnees = super().clean()
        if donnees.get("etablissement"):
            rattachement_au_formulaire(self, donnees["etablissement"], pole=donnees.get("pole"),
                                       service=donnees.get("service"),
                                       personnes={"responsable": donnees.get("responsable")})
        return donnees


class ActionSerializer(serializers.ModelSerializer):
    etablissement_nom = serializers.CharField(source="etablissement.nom", read_only=True)
    pole_nom = serializers.CharField(source="pole.nom", read_only=True, allow_null=True, default=None)
    service_nom = serializers.CharField(source="service.nom", read_only=True, allow_null=True, default=None)
    en_retard = serializers.BooleanField(read_only=True)

    class Meta:
        model = ActionAmelioration
        fields = ["id", "titre", "description", "origine", "etablissement", "etablissement_nom", "pole", "pole_nom",
                  "service", "service_nom", "responsable", "echeance", "statut", "en_retard", "avancement",
                  "motif_abandon", "priorite", "realisee_le", "preuves", "verification_efficacite", "efficace",
                  "verifiee_le", "revision", "created_at", "updated_at"]
        read_only_fields = fields


ActionCreation = serializer_depuis_formulaire(ActionCreationForm, "ActionCreation")
ActionModification = serializer_depuis_formulaire(ActionForm, "ActionModification", partiel=True, revision=True)


@extend_schema_view(
    list=extend_schema(summary="Programme d'actions (PAQSS)"),
    create=schema_creation(ActionCreation, ActionSerializer, "Créer une action (axe de la politique qualité)"),
    partial_update=extend_schema(request=ActionModification, responses={200: ActionSerializer, 400: Erreurs},
                                 summary="Modifier une action"),
)
class ActionViewSet(EcritureParFormulaire, VueRegistre):
    """Actions du programme d'amélioration (PAQSS) de votre périmètre : établissements, ou pôle pour un cadre."""

    queryset = ActionAmelioration.objects.select_related("etablissement", "pole", "service", "responsable")
    serializer_class = ActionSerializer
    serializer_creation = ActionCreation
    serializer_modification = ActionModification
    filterset_class = ActionFilter
    permissions_lecture = ("paqss.voir",)
    permission_ecriture = "paqss.gerer"
    http_method_names = ["get", "head", "options", "post", "patch"]

    def portee(self, qs, user):
        return actions_scope(qs, user).order_by("echeance", "id")

    def creer(self, request):
        form = ActionCreationForm(data=request.data, user=request.user)
        exiger_formulaire_valide(form)
        d = form.cleaned_data
        return par_le_service(lambda: services.action_creer(
            titre=d["titre"], description=d["description"], origine=ActionAmelioration.Origine.AXE, source=None,
            etablissement_id=d["etablissement"].pk, pole_id=d["pole"].pk if d["pole"] else None,
            service_id=d["service"].pk if d["service"] else None, responsable=d["responsable"],
            echeance=d["echeance"], par=request.user))

    def peut_modifier(self, user, objet) -> bool:
        return peut_gerer_action(user, objet)

    def modifier(self, request, objet):
        champs = list(ActionForm._meta.fields)
        donnees = donnees_du_formulaire(objet, champs, request.data)
        # The page's "efficace" choice speaks "true" / "false" / "" (not evaluated).
        donnees["efficace"] = {True: "true", False: "false"}.get(donnees.get("efficace"), "")
        form = ActionForm(data=donnees, instance=objet)
        exiger_formulaire_valide(form)
        return par_le_service(lambda: services.action_modifier(
            action=objet, par=request.user, donnees=form.modifications(), revision=form.cleaned_data.get("revision")))
