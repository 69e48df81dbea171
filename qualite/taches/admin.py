from django.contrib import admin

from qualite.taches.models import TacheDifferee


@admin.register(TacheDifferee)
class TacheDiffereeAdmin(admin.ModelAdmin):
    list_display = ("libelle", "arguments", "creee_le", "traitee_le", "tentatives")
    list_filter = ("traitee_le",)
    readonly_fields = ("tache", "arguments", "creee_le", "traitee_le", "tentatives", "derniere_erreur")

    @admin.display(description="tâche")
    def libelle(self, obj):
        return obj.libelle

    def has_add_permission(self, request):
        return False
