from django.urls import path

from . import views

app_name = "usagers"

urlpatterns = [
    path("soins-sans-consentement/", views.journal, name="ssc_journal"),
    path("soins-sans-consentement/mesures/", views.mesures, name="ssc_mesures"),
    path("soins-sans-consentement/mesures/nouvelle/", views.mesure_nouvelle, name="ssc_nouvelle"),
    path("soins-sans-consentement/mesures/<int:pk>/", views.mesure, name="ssc_mesure"),
    path("soins-sans-consentement/mesures/<int:pk>/actes/", views.acte_ajouter, name="ssc_acte"),
    path("soins-sans-consentement/mesures/<int:pk>/actes/<int:acte_pk>/annuler/", views.acte_annuler, name="ssc_acte_annuler"),
    path("soins-sans-consentement/mesures/<int:pk>/pieces/", views.document_ajouter, name="ssc_document"),
    path("soins-sans-consentement/mesures/<int:pk>/isolement/", views.isolement, name="ssc_isolement"),
    path("soins-sans-consentement/mesures/<int:pk>/isolement/<int:decision_pk>/", views.isolement, name="ssc_isolement_modifier"),
    path("soins-sans-consentement/isolement/registre/", views.registre_isolement, name="ssc_registre"),
    path("soins-sans-consentement/statistiques/", views.statistiques, name="ssc_statistiques"),
]
