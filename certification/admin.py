from django.contrib import admin
from django.utils import timezone

from certification import services
from certification.models import (
    EPP,
    Audit,
    Autoevaluation,
    Chapitre,
    Critere,
    EnqueteSatisfaction,
    Evaluation,
    Indicateur,
    Objectif,
    PilotageProcessus,
    Processus,
    Referentiel,
    StatutEPP,
    ValeurIndicateur,
)


@admin.register(Referentiel)
class ReferentielAdmin(admin.ModelAdmin):
    list_display = ["version", "libelle", "actif"]


@admin.register(Critere)
class CritereAdmin(admin.ModelAdmin):
    list_display = ["code", "titre", "type", "referentiel"]
    list_filter = ["referentiel", "type"]
    search_fields = ["code", "titre"]
    list_select_related = ["referentiel"]


admin.site.register(Chapitre)
admin.site.register(Objectif)


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["date", "methode", "etablissement", "service"]
    list_filter = ["methode", "etablissement"]


@admin.register(Audit)
class AuditAdmin(admin.ModelAdmin):
    list_display = ["date", "titre", "etablissement", "service"]
    list_filter = ["etablissement"]


class _ParLeService:
    """Saves through the service, so that the dated history (figures as of 31 December) is kept."""

    service = None

    def save_model(self, request, obj, form, change):
        donnees = {c: form.cleaned_data[c] for c in (form.changed_data if change else form.cleaned_data)}
        cle = self.model._meta.model_name
        enregistre = type(self).service(par=request.user, donnees=donnees, le=timezone.localdate(),
                                        **({cle: obj} if change else {}))
        obj.pk = enregistre.pk


@admin.register(EPP)
class EPPAdmin(_ParLeService, admin.ModelAdmin):
    list_display = ["theme", "etat", "etablissement", "pole", "date_debut", "date_fin"]
    list_filter = ["etat", "etablissement"]
    exclude = ["created_by"]
    service = services.epp_enregistrer


@admin.register(Processus)
class ProcessusAdmin(_ParLeService, admin.ModelAdmin):
    list_display = ["nom", "etablissement", "pilote_medical", "pilote_soignant", "actif"]
    list_filter = ["etablissement", "actif"]
    exclude = ["created_by"]
    service = services.processus_enregistrer


@admin.register(PilotageProcessus)
class PilotageProcessusAdmin(admin.ModelAdmin):
    list_display = ["processus", "du", "au", "pilote_medical", "pilote_soignant"]
    list_select_related = ["processus", "pilote_medical", "pilote_soignant"]

    def has_change_permission(self, request, obj=None):
        return False  # written by the service only

    def has_add_permission(self, request):
        return False


@admin.register(StatutEPP)
class StatutEPPAdmin(admin.ModelAdmin):
    list_display = ["epp", "etat", "du", "au"]
    list_select_related = ["epp"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(EnqueteSatisfaction)
class EnqueteSatisfactionAdmin(admin.ModelAdmin):
    list_display = ["titre", "type", "etablissement", "periode_debut", "periode_fin", "reponses", "score"]
    list_filter = ["type", "etablissement"]


@admin.register(Autoevaluation)
class AutoevaluationAdmin(admin.ModelAdmin):
    list_display = ["critere", "etablissement", "niveau"]
    list_filter = ["etablissement", "niveau"]


@admin.register(Indicateur)
class IndicateurAdmin(admin.ModelAdmin):
    list_display = ["code", "libelle", "unite", "sens", "cible", "actif"]


@admin.register(ValeurIndicateur)
class ValeurIndicateurAdmin(admin.ModelAdmin):
    list_display = ["indicateur", "etablissement", "service", "periode", "valeur"]
    list_filter = ["indicateur", "etablissement"]
