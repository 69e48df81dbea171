from django.contrib import admin

from qualite.identite.forms import CorrespondanceForm
from qualite.identite.models import CompteExterne, CorrespondanceGroupe, JetonAPI


@admin.register(CorrespondanceGroupe)
class CorrespondanceGroupeAdmin(admin.ModelAdmin):
    form = CorrespondanceForm
    list_display = ["groupe", "libelle", "source", "actif"]
    list_filter = ["source", "actif", "etablissements"]
    search_fields = ["groupe", "libelle"]
    filter_horizontal = ["etablissements"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.modifie_par = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False  # archived (actif = non), never deleted


@admin.register(CompteExterne)
class CompteExterneAdmin(admin.ModelAdmin):
    list_display = ["utilisateur", "source", "identifiant", "synchronise_le"]
    list_filter = ["source"]
    search_fields = ["utilisateur__username", "identifiant"]
    readonly_fields = ["utilisateur", "source", "identifiant", "groupes", "synchronise_le"]

    def has_add_permission(self, request):
        return False


@admin.register(JetonAPI)
class JetonAPIAdmin(admin.ModelAdmin):
    list_display = ["utilisateur", "nom", "prefixe", "cree_le", "dernier_usage", "revoque_le"]
    search_fields = ["utilisateur__username", "nom", "prefixe"]
    readonly_fields = ["utilisateur", "nom", "prefixe", "cree_le", "dernier_usage"]

    def has_add_permission(self, request):
        return False
