from django.contrib import admin

from qualite.echeances.models import Echeance, RegleEcheance


@admin.register(RegleEcheance)
class RegleEcheanceAdmin(admin.ModelAdmin):
    list_display = ["libelle", "module", "base_legale", "a_verifier", "delai_texte", "delai_legal"]
    list_filter = ["module", "a_verifier"]
    # Delays are edited on the « Règles d'échéance » page, which records the reason and recomputes the deadlines.
    readonly_fields = ["code", "module", "decompte", "delai", "delai_mois", "paliers_mois", "delai_legal", "a_verifier",
                       "modifiee_le", "modifiee_par", "motif_modification"]

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
