from django.urls import path

from certification import views, vues_preparation, vues_referentiel, vues_registres, vues_visites

app_name = "certification"

urlpatterns = [
    path("referentiel/", views.referentiel, name="referentiel"),
    path("referentiel/import/", vues_referentiel.importer, name="referentiel_importer"),
    path("referentiel/import/confirmer/", vues_referentiel.confirmer, name="referentiel_confirmer"),
    path("criteres/<int:pk>/", views.critere, name="critere"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("evaluations/<int:pk>/actions/", views.evaluation_action, name="evaluation_action"),
    path("registres/", views.registres, name="registres"),
    path("export/<slug:code>/", views.exporter, name="exporter"),
    path("indicateurs/", views.indicateurs, name="indicateurs"),
    path("indicateurs/<int:pk>/", views.indicateur, name="indicateur"),
    path("registres/<slug:code>/nouveau/", vues_registres.registre_form, name="registre_nouveau"),
    path("registres/<slug:code>/<int:pk>/modifier/", vues_registres.registre_form, name="registre_modifier"),
    path("preparation/", vues_preparation.preparation, name="preparation"),
    path("visites/", vues_visites.visites, name="visites"),
    path("visites/nouvelle/", vues_visites.visite_form, name="visite_nouvelle"),
    path("visites/<int:pk>/", vues_visites.visite, name="visite"),
    path("visites/<int:pk>/modifier/", vues_visites.visite_form, name="visite_modifier"),
    path("visites/<int:pk>/constats/", vues_visites.visite_constat, name="visite_constat"),
    path("visites/<int:pk>/conditions/", vues_visites.visite_condition, name="visite_condition"),
]
