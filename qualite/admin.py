from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.text import smart_split, unescape_string_literal

from . import audit
from .forms import UtilisateurChangeForm, UtilisateurCreationForm
from .models import GHT, AuditEntry, Echeance, Etablissement, Pole, RapportAnnuel, RegleEcheance, Service, Utilisateur


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


@admin.register(RegleEcheance)
class RegleEcheanceAdmin(admin.ModelAdmin):
    list_display = ["libelle", "module", "base_legale", "a_verifier", "delai", "delai_mois"]
    list_filter = ["module", "a_verifier"]
    readonly_fields = ["code", "module"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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


@admin.register(Echeance)
class EcheanceAdmin(admin.ModelAdmin):
    list_display = ["reference", "regle", "echeance", "satisfaite_le", "sans_objet", "etablissement"]
    list_filter = ["regle__module", "etablissement", "sans_objet"]
    list_select_related = ["regle", "etablissement"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RapportAnnuel)
class RapportAnnuelAdmin(admin.ModelAdmin):
    list_display = ["annee", "ght", "etablissement", "version", "statut", "demande_le", "termine_le"]
    list_filter = ["statut", "annee"]
    readonly_fields = [f.name for f in RapportAnnuel._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
