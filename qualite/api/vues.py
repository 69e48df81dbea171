"""The base of every API endpoint: the page's permission, the domain's scope (one rule), audited reads of
nominative data, and writes that go through the page's form and the domain's service."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError as ErreurDjango
from django.db import models
from django.forms.models import model_to_dict
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from qualite.organisation import access, audit
from qualite.outils.revisions import creer_une_fois


class Erreurs(serializers.Serializer):
    """A 400: each field's messages, in French, as the page shows them; "non_field_errors" for the rest."""

    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


def erreurs_du_formulaire(form) -> dict:
    return {("non_field_errors" if champ == "__all__" else champ): [str(m) for m in messages]
            for champ, messages in form.errors.items()}


def exiger_formulaire_valide(form) -> None:
    if not form.is_valid():
        raise serializers.ValidationError(erreurs_du_formulaire(form))


def par_le_service(fonction):
    """Run a service; its ValidationError (French, per field) becomes a 400 like the page's form errors."""
    try:
        return fonction()
    except ErreurDjango as exc:
        if hasattr(exc, "error_dict"):
            raise serializers.ValidationError(
                {("non_field_errors" if k == "__all__" else k): [str(m) for m in v] for k, v in
                 exc.message_dict.items()}) from None
        raise serializers.ValidationError({"non_field_errors": [str(m) for m in exc.messages]}) from None


def donnees_du_formulaire(instance, champs, donnees) -> dict:
    """A partial update sent as a whole form: the record's current values, overlaid with what was sent."""
    actuelles = {}
    for nom, valeur in model_to_dict(instance, fields=champs).items():
        if isinstance(valeur, list) and valeur and isinstance(valeur[0], models.Model):
            valeur = [v.pk for v in valeur]
        actuelles[nom] = valeur
    actuelles.update(donnees)
    return actuelles


class VueRegistre(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Subclasses give `permissions_lecture` (any of them opens the list, as on the page), `portee()` (the
    domain's scope helper, built on access.perimetre) and, for a register with names or health data,
    `nominatif = True`: each list page and each record read leaves an audit entry."""

    permissions_lecture: tuple[str, ...] = ()
    permission_ecriture: str | None = None
    nominatif = False
    http_method_names = ["get", "head", "options"]

    # A record's page that answers 404 rather than 403 to a user without the permission (its scope is
    # empty): the API does the same, so that absent and forbidden look alike there too.
    fiche_hors_permission_404 = False

    def permission_requise(self, user, action) -> bool:
        if action == "retrieve" and self.fiche_hors_permission_404:
            return True
        if action in ("create", "partial_update", "update"):
            return self.permission_ecriture is not None and access.has_perm(user, self.permission_ecriture)
        return any(access.has_perm(user, p) for p in self.permissions_lecture)

    def queryset_de_base(self):
        return self.queryset.all()

    def portee(self, qs, user):
        raise NotImplementedError

    def get_queryset(self):
        return self.portee(self.queryset_de_base(), self.request.user)

    def get_object(self):
        """Out of scope is absent, in French: Django's 404 message names the model, in English."""
        try:
            return super().get_object()
        except Http404:
            raise NotFound() from None

    def list(self, request, *args, **kwargs):
        reponse = super().list(request, *args, **kwargs)
        if self.nominatif:
            lignes = reponse.data.get("results", []) if isinstance(reponse.data, dict) else reponse.data
            audit.tracer(request, audit.Action.LECTURE, details={
                "api": request.path, "parametres": request.query_params.dict(),
                "ids": [ligne.get("id") for ligne in lignes]})
        return reponse

    def retrieve(self, request, *args, **kwargs):
        objet = self.get_object()
        if self.nominatif:
            audit.tracer(request, audit.Action.LECTURE, objet, details={"api": request.path})
        return Response(self.get_serializer(objet).data)


ENTETE_IDEMPOTENCE = "Idempotency-Key"


def cle_idempotence(request) -> uuid.UUID | None:
    """The client's one-time key for a creation, the API's `cle_creation`: a request sent again with the same
    key (a retry after a lost answer) gets the record the first one created (200), never a second one. Keys
    are per user: another account's key never reaches that account's record."""
    valeur = request.headers.get(ENTETE_IDEMPOTENCE)
    if valeur is None:
        return None
    try:
        return uuid.uuid5(uuid.UUID(valeur.strip()), f"api:{request.user.pk}")
    except ValueError:
        raise serializers.ValidationError({"non_field_errors": [
            f"L'en-tête {ENTETE_IDEMPOTENCE} doit être un UUID (ex. 3f2b8c1e-5d4a-4b8e-9c1f-2a6d7e8f9b0c)."]}) from None


def schema_creation(entree, sortie, resume: str):
    """The OpenAPI description of a creation: its input, 201 (created) or 200 (same key sent again), 400."""
    return extend_schema(
        request=entree, responses={201: sortie, 200: sortie, 400: Erreurs}, summary=resume,
        parameters=[OpenApiParameter(
            ENTETE_IDEMPOTENCE, str, OpenApiParameter.HEADER, required=False,
            description="UUID choisi par le client pour cette création : renvoyée avec la même clé (nouvel essai "
                        "après une réponse perdue), la requête rend l'enregistrement déjà créé (200).")])


class EcritureParFormulaire:
    """Create (POST) and partial update (PATCH) through the page's form, then the domain's service.
    Subclasses write `creer(request) -> objet`, `modifier(request, objet) -> objet` and `peut_modifier()`."""

    serializer_creation: type[serializers.Serializer] | None = None
    serializer_modification: type[serializers.Serializer] | None = None

    def _verifier_forme(self, classe, request, partiel=False):
        entree = classe(data=request.data, partial=partiel, context=self.get_serializer_context())
        entree.is_valid(raise_exception=True)
        # A partial update still says which revision it read: without it, a change made meanwhile by someone
        # else would be overwritten unseen (qualite/outils/revisions.py).
        if partiel and "revision" in entree.fields and "revision" not in entree.validated_data:
            raise serializers.ValidationError({"revision": ["Indiquez la révision lue (champ « revision » de "
                                                            "l'enregistrement) : rien n'est écrit sans elle."]})
        return entree.validated_data

    def create(self, request, *args, **kwargs):
        cle = cle_idempotence(request)
        self._verifier_forme(self.serializer_creation, request)
        objet, nouveau = creer_une_fois(cle, lambda: self.creer(request))
        if nouveau:
            audit.tracer(request, audit.Action.CREATION, objet, details={"api": request.path})
        return Response(self.get_serializer(self.recharger(objet)).data,
                        status=status.HTTP_201_CREATED if nouveau else status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        objet = self.get_object()
        if not self.peut_modifier(request.user, objet):
            raise PermissionDenied("Vous ne pouvez pas modifier cet enregistrement.")
        self._verifier_forme(self.serializer_modification, request, partiel=True)
        objet = self.modifier(request, objet)
        audit.tracer(request, audit.Action.MODIFICATION, objet, details={"api": request.path})
        return Response(self.get_serializer(self.recharger(objet)).data)

    def recharger(self, objet):
        return self.queryset_de_base().get(pk=objet.pk)

    def peut_modifier(self, user, objet) -> bool:
        return True
