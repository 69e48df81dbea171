from django.contrib import admin

from qualite.echeances.models import Echeance, RegleEcheance


@admin.register(RegleEcheance)
class RegleEcheanceAdmin(admin.ModelAdmin):
    list_display = ["libelle", "module", "base_legale", "a_verifier", "delai", "delai_mois"]
    list_filter = ["module", "a_verifier"]
    readonly_fields = ["code", "module"]

    def has_add_permission(self, request):
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
