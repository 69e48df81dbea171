from django.contrib import admin

from qualite.pilotage.models import RapportAnnuel


@admin.register(RapportAnnuel)
class RapportAnnuelAdmin(admin.ModelAdmin):
    list_display = ["annee", "ght", "etablissement", "version", "statut", "demande_le", "termine_le"]
    list_filter = ["statut", "annee"]
    readonly_fields = [f.name for f in RapportAnnuel._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
