from django.contrib import admin

from qualite.risques.models import Cotation, FamilleRisque, NiveauEchelle, ReglagesRisques, Risque


@admin.register(NiveauEchelle)
class NiveauEchelleAdmin(admin.ModelAdmin):
    list_display = ["echelle", "valeur", "libelle", "poids", "description"]
    list_filter = ["echelle"]
    list_editable = ["libelle", "poids"]


@admin.register(ReglagesRisques)
class ReglagesRisquesAdmin(admin.ModelAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return not ReglagesRisques.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FamilleRisque)
class FamilleRisqueAdmin(admin.ModelAdmin):
    list_display = ["libelle", "etablissement", "actif"]
    list_filter = ["etablissement", "actif"]
    filter_horizontal = ["types_evenement"]
    search_fields = ["libelle"]

    def has_delete_permission(self, request, obj=None):
        return False  # archive (actif) instead: risks keep their family


class CotationEnLigne(admin.TabularInline):
    model = Cotation
    extra = 0
    can_delete = False
    fields = ["date", "frequence", "gravite", "maitrise", "criticite_brute", "criticite_residuelle", "created_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Risque)
class RisqueAdmin(admin.ModelAdmin):
    list_display = ["titre", "etablissement", "famille", "processus", "archive_le"]
    list_filter = ["etablissement", "famille"]
    search_fields = ["titre"]
    list_select_related = ["etablissement", "famille", "processus"]
    inlines = [CotationEnLigne]
    readonly_fields = ["created_at", "created_by", "updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False
