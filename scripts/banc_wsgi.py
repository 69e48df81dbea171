"""The application as `scripts/benchmark.py` serves it under gunicorn: the real URLs plus one bare
authenticated page, the reference every page is measured against (never deployed)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "banc_wsgi"  # this module: gunicorn runs with --pythonpath scripts

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import include, path  # noqa: E402

CHEMIN_PAGE_NUE = "/banc/page-nue/"


@login_required
def page_nue(request):
    """Session, user and middleware like any page; no query of its own, no template."""
    return HttpResponse(f"<!doctype html><title>banc</title><p>{request.user.username}</p>")


urlpatterns = [path(CHEMIN_PAGE_NUE.strip("/") + "/", page_nue), path("", include("config.urls"))]
