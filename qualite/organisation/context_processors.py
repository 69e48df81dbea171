from django.utils.functional import SimpleLazyObject

from qualite.organisation import a_traiter
from qualite.organisation.navigation import entrees_pour, menu_pour


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "menu": []}

    def total():
        # Computed only when a page shows the menu: one SQL statement for every source (or none on the inbox,
        # which has just counted).
        deja = getattr(request, "a_traiter_total", None)
        return deja if deja is not None else a_traiter.total(user)

    entrees = entrees_pour(user)
    return {"navigation": entrees, "menu": menu_pour(entrees), "a_traiter_total": SimpleLazyObject(total)}
