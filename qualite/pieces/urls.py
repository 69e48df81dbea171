from django.urls import path

from qualite.pieces import views

app_name = "pieces"

urlpatterns = [
    path("<slug:cle>/<int:pk>/", views.liste, name="liste"),
    path("<slug:cle>/<int:pk>/ajouter/", views.ajouter, name="ajouter"),
    path("<int:pk>/telecharger/", views.telecharger, name="telecharger"),
    path("<int:pk>/archiver/", views.archiver, name="archiver"),
]
