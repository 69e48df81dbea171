from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from qualite.api.registre import ENDPOINTS

app_name = "api"

routeur = SimpleRouter()
for endpoint in ENDPOINTS:
    routeur.register(endpoint.prefixe, endpoint.vue, basename=endpoint.basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar's static files (no CDN), its script apart (CSP: no inline script).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *routeur.urls,
]
