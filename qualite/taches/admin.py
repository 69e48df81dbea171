from django.contrib import admin

from qualite.taches.models import ImportFichier, TacheDifferee


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


@admin.register(ImportFichier)
class ImportFichierAdmin(admin.ModelAdmin):
    list_display = ("nom_fichier", "registre", "demande_par", "demande_le", "statut", "progression")
    list_filter = ("statut", "registre")
    readonly_fields = [f.name for f in ImportFichier._meta.fields]

    def has_add_permission(self, request):
        return False
