from django.urls import path

from qualite.espaces import views

app_name = "espaces"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouveau/", views.nouveau, name="nouveau"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/calendrier/", views.planifier, name="planifier"),
    path("<int:pk>/succes/", views.succes_ajouter, name="succes_ajouter"),
    path("<int:pk>/bilan/", views.bilan, name="bilan"),
    path("reunions/<int:pk>/", views.reunion, name="reunion"),
    path("reunions/<int:pk>/ordre-du-jour/", views.ordre_du_jour, name="ordre_du_jour"),
    path("reunions/<int:pk>/points/", views.element_ajouter, name="element_ajouter"),
    path("reunions/<int:pk>/compte-rendu/", views.compte_rendu, name="compte_rendu"),
    path("reunions/<int:pk>/annuler/", views.reunion_annuler, name="annuler"),
    path("reunions/<int:pk>/decisions/", views.decision_ajouter, name="decision_ajouter"),
    path("reunions/<int:pk>/pdf/", views.reunion_pdf, name="reunion_pdf"),
    path("points/<int:pk>/retirer/", views.element_retirer, name="element_retirer"),
    path("decisions/<int:pk>/action/", views.decision_action, name="decision_action"),
]
