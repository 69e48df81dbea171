import json

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.contenttypes import views as contenttype_views
from django.core.exceptions import BadRequest, ValidationError
from django.db import DatabaseError, transaction
from django.http import Http404
from django.utils.text import smart_split, unescape_string_literal
from pghistory.admin import EventsAdmin

from qualite.organisation import audit
from qualite.organisation.forms import UtilisateurChangeForm, UtilisateurCreationForm
from qualite.organisation.models import GHT, AuditEntry, Etablissement, Pole, Service, Utilisateur


@admin.register(GHT)
class GHTAdmin(admin.ModelAdmin):
    list_display = ["nom", "actif"]
    search_fields = ["nom"]


@admin.register(Etablissement)
class EtablissementAdmin(admin.ModelAdmin):
    list_display = ["nom", "ght", "finess", "actif"]
    list_filter = ["ght", "actif"]
    search_fields = ["nom", "finess"]


@admin.register(Pole)
class PoleAdmin(admin.ModelAdmin):
    list_display = ["nom", "etablissement", "actif"]
    list_filter = ["etablissement", "actif"]
    search_fields = ["nom"]
    list_select_related = ["etablissement"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["nom", "code", "pole", "actif"]
    list_filter = ["pole__etablissement", "pole", "actif"]
    search_fields = ["nom", "code"]
    list_select_related = ["pole"]


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    form = UtilisateurChangeForm
    add_form = UtilisateurCreationForm
    list_display = ["username", "last_name", "first_name", "email", "is_active"]
    list_filter = ["is_active", "is_staff", "etablissements", "perimetre_ght"]
    filter_horizontal = ["etablissements", "groups", "user_permissions"]
    fieldsets = UserAdmin.fieldsets + (
        ("Rôles et périmètre", {"fields": ("roles", "fonction", "etablissements", "perimetre_ght", "pole", "service")}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        ("Rôles", {"fields": ("first_name", "last_name", "email", "roles")}),
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["horodatage", "auteur", "action", "objet", "etablissement", "adresse"]
    list_filter = ["action", "etablissement"]
    search_fields = ["identifiant", "objet"]
    fields = ["horodatage", "auteur", "action", "objet", "content_type", "object_id", "etablissement", "adresse",
              "details"]
    readonly_fields = fields

    def get_queryset(self, request):
        return audit.masquer_auteurs(super().get_queryset(request).select_related("utilisateur"), request.user)

    def get_search_results(self, request, queryset, search_term):
        qs, doublons = super().get_search_results(request, queryset, search_term)
        termes = [unescape_string_literal(t) if t[0] in "\"'" and len(t) > 1 and t[0] == t[-1] else t
                  for t in smart_split(search_term) if t]
        if termes:
            qs = audit.sans_auteurs_masques(qs, *termes)
        return qs, doublons

    @admin.display(description="utilisateur")
    def auteur(self, obj):
        return obj.auteur_masque or obj.utilisateur or obj.identifiant

    @admin.display(description="adresse IP")
    def adresse(self, obj):
        return "—" if obj.auteur_masque else obj.ip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _masquer(valeurs, masque, *, contexte=False):
    """A version's values with the masked author replaced wherever a user field names them;
    `masque`: (user-field names, author id, label)."""
    if not valeurs or masque is None:
        return valeurs
    champs, auteur_id, libelle = masque
    valeurs = dict(valeurs)
    for champ in ("user",) if contexte else champs:  # the context: who sent the request that wrote the version
        v = valeurs.get(champ)
        if isinstance(v, list):
            valeurs[champ] = [libelle if x == auteur_id else x for x in v]
        elif v == auteur_id and v is not None:
            valeurs[champ] = libelle
    return valeurs


def _json(valeurs) -> str:
    return "-" if valeurs is None else json.dumps(valeurs, ensure_ascii=False, default=str)


def _objet_suivi(modele: str | None, pk):
    """The record a version belongs to (an unsaved stand-in if it is gone), for the audit entry."""
    try:
        classe = apps.get_model(modele)
    except (LookupError, TypeError, ValueError):
        return None
    return classe._default_manager.filter(pk=pk).first() or classe(pk=pk)


def _objet_filtre(request) -> tuple[str, object]:
    """The history pages' "obj" filter ("app.modele:pk"), checked before pghistory or the audit query it:
    ("", None) when absent; a 400 when it names no model or a key of the wrong type."""
    valeur = request.GET.get("obj")
    if not valeur:
        return "", None
    modele, _, pk = valeur.partition(":")
    try:
        classe = apps.get_model(modele)
        pk = classe._meta.pk.to_python(pk)
    except (LookupError, ValueError, TypeError, ValidationError):
        raise BadRequest("Objet d'historique invalide.") from None
    return modele, pk


class HistoriqueAdmin(EventsAdmin):
    """The field-by-field history (django-pghistory; settings.PGHISTORY_ADMIN_CLASS). It shows patients,
    complaints and events: each page read is audited, and masked authors (confidential declarants) are
    replaced as on every other page. Registered by pghistory itself, after the autodiscovery."""

    fields = ["pgh_created_at", "pgh_label", "pgh_model", "pgh_obj_model", "pgh_obj_id", "donnees", "modifications",
              "contexte"]
    readonly_fields = fields

    def get_list_display(self, request):
        return ["pgh_created_at", "pgh_obj_model", "pgh_obj_id", "modifications"]

    @admin.display(description="valeurs")
    def donnees(self, obj):
        return _json(_masquer(obj.pgh_data, getattr(obj, "masque", None)))

    @admin.display(description="modifications")
    def modifications(self, obj):
        return _json(_masquer(obj.pgh_diff, getattr(obj, "masque", None)))

    @admin.display(description="contexte")
    def contexte(self, obj):
        return _json(_masquer(obj.pgh_context, getattr(obj, "masque", None), contexte=True))

    def _reperer_masques(self, request, versions) -> None:
        """One query per masked model for the page: each version learns whether its author is masked."""
        for regle in audit.AUTEURS_MASQUES.values():
            concernees = [v for v in versions if v.pgh_obj_model == regle.modele]
            if not concernees:
                continue
            auteurs = {
                str(pk): auteur for pk, auteur in regle.masques(request.user)
                .filter(pk__in={v.pgh_obj_id for v in concernees}).values_list("pk", f"{regle.champ}_id")
            }
            champs = [f.attname for f in apps.get_model(regle.modele)._meta.concrete_fields
                      if f.is_relation and f.related_model is get_user_model()]
            for v in concernees:
                if v.pgh_obj_id in auteurs:
                    v.masque = (champs, auteurs[v.pgh_obj_id], regle.libelle)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        modele, pk = _objet_filtre(request)
        utilisateur = modele.lower() == get_user_model()._meta.label_lower and pk is not None
        if request.GET.get("method") == "references" and utilisateur:
            # The versions that point at a user would tie them to the records they declared confidentially.
            for regle in audit.AUTEURS_MASQUES.values():
                ids = regle.masques(request.user).filter(**{f"{regle.champ}_id": pk}).values_list("pk", flat=True)
                qs = qs.exclude(pgh_obj_model=regle.modele, pgh_obj_id__in=[str(i) for i in ids])
        return qs

    def get_changelist_instance(self, request):
        cl = super().get_changelist_instance(request)
        cl.result_list = list(cl.result_list)
        self._reperer_masques(request, cl.result_list)
        return cl

    def get_object(self, request, object_id, from_field=None):
        if "\x00" in object_id:  # a text key: PostgreSQL would refuse the query rather than find nothing
            return None
        version = super().get_object(request, object_id, from_field)
        if version is not None:
            self._reperer_masques(request, [version])
        return version

    def changelist_view(self, request, extra_context=None):
        modele, pk = _objet_filtre(request)
        response = super().changelist_view(request, extra_context)
        cl = (getattr(response, "context_data", None) or {}).get("cl")
        if response.status_code == 200 and cl is not None:
            audit.tracer(request, audit.Action.LECTURE, _objet_suivi(modele, pk) if pk is not None else None, details={
                "page": "historique des modifications",
                "filtres": request.GET.dict(),
                "lignes": len(cl.result_list),
                "objets": sorted({f"{v.pgh_obj_model.lower()}:{v.pgh_obj_id}" for v in cl.result_list if v.pgh_obj_model}),
            })
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        version = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code == 200 and version is not None:
            audit.tracer(request, audit.Action.LECTURE, _objet_suivi(version.pgh_obj_model, version.pgh_obj_id),
                         details={"page": "historique des modifications", "version": version.pk})
        return response


def raccourci(request, content_type_id, object_id):
    """Django's "view on site" shortcut (/admin/r/<type>/<id>/), except that a content type with no
    table behind it (pghistory's event views) is not found, instead of a database error."""
    try:
        with transaction.atomic():
            return contenttype_views.shortcut(request, content_type_id, object_id)
    except DatabaseError:
        raise Http404 from None
