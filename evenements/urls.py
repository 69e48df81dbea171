from django.urls import path

from evenements import views

app_name = "evenements"

urlpatterns = [
    path("declarer/", views.declarer, name="declarer"),
    path("mes-declarations/", views.mes_declarations, name="mes_declarations"),
    path("", views.liste, name="liste"),
    path("statistiques/", views.statistiques, name="statistiques"),
    path("revues/", views.revues, name="revues"),
    path("fhir/", views.fhir_lot, name="fhir_lot"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/qualification/", views.qualifier, name="qualifier"),
    path("<int:pk>/etat/", views.changer_statut, name="changer_statut"),
    path("<int:pk>/retour/", views.retour, name="retour"),
    path("<int:pk>/actions/", views.action_ajouter, name="action_ajouter"),
    path("<int:pk>/ars/", views.ars, name="ars"),
    path("<int:pk>/ars/partie-<int:partie>.pdf", views.ars_pdf, name="ars_pdf"),
    path("<int:pk>/analyse/", views.analyse, name="analyse"),
    path("<int:pk>/analyse/<int:analyse_pk>/", views.analyse, name="analyse_modifier"),
    path("<int:pk>/fhir.json", views.fhir_evenement, name="fhir"),
]
