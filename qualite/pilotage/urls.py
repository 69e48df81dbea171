from django.urls import path

from qualite.pilotage import views as v

app_name = "pilotage"

urlpatterns = [
    path("rapports/", v.rapports, name="rapports"),
    path("rapports/<int:pk>/telecharger/", v.rapport_telecharger, name="rapport_telecharger"),
    path("tableaux/direction/", v.tableau_direction, name="tableau_direction"),
    path("tableaux/cdu/", v.tableau_cdu, name="tableau_cdu"),
    path("tableaux/pole/", v.tableau_pole, name="tableau_pole"),
]
