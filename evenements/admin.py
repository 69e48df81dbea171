from django.contrib import admin

from evenements.models import MatriceCriticite, TypeEvenement


@admin.register(TypeEvenement)
class TypeEvenementAdmin(admin.ModelAdmin):
    list_display = ["libelle", "ordre", "actif"]
    list_editable = ["ordre", "actif"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MatriceCriticite)
class MatriceCriticiteAdmin(admin.ModelAdmin):
    list_display = ["__str__"]

    def has_add_permission(self, request):
        return not MatriceCriticite.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
