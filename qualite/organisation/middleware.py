"""Responses the browser must not keep."""

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
