from django.urls import path

from qualite.documents import views

app_name = "documents"

urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouveau/", views.nouveau, name="nouveau"),
    path("a-lire/", views.a_lire, name="a_lire"),
    path("recherche/", views.recherche, name="recherche"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/versions/nouvelle/", views.version_ajouter, name="version_ajouter"),
    path("<int:pk>/liens/critere/", views.lien_critere, name="lien_critere"),
    path("<int:pk>/liens/action/", views.lien_action, name="lien_action"),
    path("versions/<int:pk>/etape/", views.mouvement, name="mouvement"),
    path("versions/<int:pk>/diffuser/", views.diffuser, name="diffuser"),
    path("versions/<int:pk>/diffusion/", views.diffusion, name="diffusion"),
    path("versions/<int:pk>/telecharger/", views.telecharger, name="telecharger"),
    path("versions/<int:pk>/lu/", views.accuser_lecture, name="accuser_lecture"),
]
