"""Responses the browser must not keep."""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.cache import patch_cache_control


class PasDeCacheMiddleware:
    """Every page, export and PDF the application builds may carry nominative data: none is kept
    in the browser cache of a shared ward computer, nor by a proxy. Static files (WhiteNoise,
    earlier in the chain) keep their long cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True, no_cache=True, max_age=0)
        return response


class RefusNulMiddleware:
    """No address or query string of the application holds a NUL byte, and PostgreSQL text refuses
    it: a path with one is not found (404), a query string with one is a bad request (400), before
    any view, admin page or filter hands it to the database. Form fields refuse it themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if any("\x00" in cle or any("\x00" in v for v in valeurs) for cle, valeurs in request.GET.lists()):
            raise BadRequest("Octet nul dans les paramètres.")
        return self.get_response(request)
