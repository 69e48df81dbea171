from django.urls import path

from usagers.impact import views

app_name = "impact"

urlpatterns = [
    path("", views.indicateurs, name="indicateurs"),
    path("campagnes/", views.campagnes, name="campagnes"),
    path("campagnes/<int:pk>/", views.campagne, name="campagne"),
    path("campagnes/<int:pk>/<str:temps>/", views.repondre, name="repondre"),
    path("bientraitance/", views.bientraitance, name="bientraitance"),
    path("bientraitance/<int:pk>/", views.bientraitance_campagne, name="bientraitance_campagne"),
    path("bientraitance/<int:pk>/themes/<int:theme_pk>/action/", views.bientraitance_action, name="bientraitance_action"),
]
