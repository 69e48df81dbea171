from rest_framework.permissions import BasePermission

from qualite.organisation import access


class PermissionDeLaPage(BasePermission):
    """The API asks what the page asks: `api.utiliser`, then the view's `permission_requise(user, action)`
    (the page's own permission from access.PERMISSIONS). Which records: the view's scope, one rule."""

    message = "Vous n'avez pas la permission d'utiliser cette ressource."

    def has_permission(self, request, view):
        user = request.user
        if not access.has_perm(user, "api.utiliser"):
            return False
        verifier = getattr(view, "permission_requise", None)
        return verifier is None or verifier(user, getattr(view, "action", None))
