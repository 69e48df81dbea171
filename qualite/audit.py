"""The audit trail: one helper, called explicitly by the views that read or
write nominative data, export, or authenticate."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from .models import AuditEntry

Action = AuditEntry.Action


def adresse_ip(request) -> str | None:
    """Client address; behind PROXY_COUNT reverse proxies, from X-Forwarded-For."""
    if request is None:
        return None
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= proxies:
            return parts[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def tracer(
    request,
    action: str,
    objet=None,
    *,
    utilisateur=None,
    etablissement_id: int | None = None,
    details: dict | None = None,
    identifiant: str = "",
) -> AuditEntry:
    if utilisateur is None and request is not None and request.user.is_authenticated:
        utilisateur = request.user
    entree = AuditEntry(
        utilisateur=utilisateur,
        identifiant=identifiant or (utilisateur.get_username() if utilisateur else ""),
        action=action,
        ip=adresse_ip(request),
        details=details or {},
    )
    if objet is not None:
        entree.content_type = ContentType.objects.get_for_model(objet)
        entree.object_id = str(objet.pk)
        entree.objet = getattr(objet, "reference_audit", None) or f"{entree.content_type.name} n° {objet.pk}"
        if etablissement_id is None:
            etablissement_id = getattr(objet, "etablissement_id", None)
    entree.etablissement_id = etablissement_id
    entree.save()
    return entree
