from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from qualite.identite.views import oidc_connexion, oidc_retour
from qualite.organisation.admin import raccourci
from qualite.organisation.views import ConnexionView, DeconnexionView, MotDePasseView

admin.site.site_header = "Qualité, risques et usagers — administration"
admin.site.site_title = "Administration"
admin.site.index_title = "Organisation, comptes et référentiels"

urlpatterns = [
    path("connexion/", ConnexionView.as_view(), name="login"),
    path("connexion/oidc/", oidc_connexion, name="oidc_connexion"),
    path("connexion/oidc/retour/", oidc_retour, name="oidc_retour"),
    path("deconnexion/", DeconnexionView.as_view(), name="logout"),
    path("mot-de-passe/", MotDePasseView.as_view(), name="password_change"),
    path("mot-de-passe/modifie/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/r/<int:content_type_id>/<path:object_id>/", raccourci),
    path("admin/", admin.site.urls),
    path("evenements/", include("evenements.urls")),
    path("usagers/impact/", include("usagers.impact.urls")),
    path("usagers/", include("usagers.urls")),
    path("certification/", include("certification.urls")),
    path("pilotage/", include("qualite.pilotage.urls")),
    path("pieces-jointes/", include("qualite.pieces.urls")),
    path("risques/", include("qualite.risques.urls")),
    path("api/v1/", include("qualite.api.urls")),
    path("documents/", include("qualite.documents.urls")),
    path("espaces/", include("qualite.espaces.urls")),
    path("", include("qualite.urls")),
]
