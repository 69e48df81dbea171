from django.contrib import admin

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
    Processus,
    Referentiel,
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


@admin.register(EPP)
class EPPAdmin(admin.ModelAdmin):
    list_display = ["theme", "etat", "etablissement", "pole", "date_debut", "date_fin"]
    list_filter = ["etat", "etablissement"]


@admin.register(Processus)
class ProcessusAdmin(admin.ModelAdmin):
    list_display = ["nom", "etablissement", "pilote_medical", "pilote_soignant", "actif"]
    list_filter = ["etablissement", "actif"]


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
