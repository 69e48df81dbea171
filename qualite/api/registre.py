"""The API's endpoints, registered by each domain in its AppConfig.ready(): the core never imports a domain.
qualite/api/urls.py builds the router from this list."""

from __future__ import annotations

from dataclasses import dataclass

ENDPOINTS: list[Endpoint] = []


@dataclass(frozen=True)
class Endpoint:
    prefixe: str  # URL segment under /api/v1/, French ("evenements", "reclamations")
    vue: type  # a viewset
    basename: str


def enregistrer(prefixe: str, vue: type, basename: str) -> None:
    endpoint = Endpoint(prefixe, vue, basename)
    if all(e.basename != basename for e in ENDPOINTS):
        ENDPOINTS.append(endpoint)
