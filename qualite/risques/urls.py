from django.urls import path

from qualite.risques import views

app_name = "risques"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouveau/", views.risque_form, name="nouveau"),
    path("carte/", views.carte, name="carte"),
    path("carte/pdf/", views.carte_pdf, name="carte_pdf"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("evenement/<int:ev_pk>/suggerer/", views.evenement_suggerer, name="evenement_suggerer"),
    path("familles/", views.familles, name="familles"),
    path("familles/<int:pk>/", views.familles, name="famille"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.risque_form, name="modifier"),
    path("<int:pk>/cotation/", views.coter, name="coter"),
    path("<int:pk>/actions/", views.action_ajouter, name="action_ajouter"),
    path("<int:pk>/actions/lier/", views.action_lier, name="action_lier"),
    path("<int:pk>/evenements/lier/", views.evenement_lier, name="evenement_lier"),
    path("<int:pk>/evenements/<int:lien_pk>/", views.evenement_decider, name="evenement_decider"),
]
