"""The one PDF renderer: a Django template to PDF bytes with WeasyPrint.

Templates are autoescaped like every page; on top of that, WeasyPrint may fetch
nothing but the project's own static files: no `file:` outside them, no network,
no `data:`. A value that slipped through unescaped still cannot pull a server
file or a remote resource into a PDF."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

journal = logging.getLogger(__name__)


def racines_statiques() -> list[Path]:
    return [Path(d).resolve() for d in settings.STATICFILES_DIRS]


def fichier_statique(url: str) -> Path | None:
    """The static file an URL designates, or None when it points anywhere else."""
    parties = urlsplit(url)
    if parties.scheme != "file" or parties.netloc not in ("", "localhost"):
        return None
    chemin = Path(unquote(parties.path)).resolve()
    for racine in racines_statiques():
        if chemin.is_relative_to(racine) and chemin.is_file():
            return chemin
    return None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class FetcherStatique(URLFetcher):
        def fetch(self, url, headers=None):
            chemin = fichier_statique(url)
            if chemin is None:
                journal.warning("PDF : ressource refusée %.200s", url)
                raise ValueError("ressource refusée : seuls les fichiers statiques de l'application sont lus")
            return URLFetcherResponse(chemin.as_uri(), chemin.read_bytes())

    return FetcherStatique()


def render_pdf(template: str, contexte: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, contexte)
    # base_url lets templates reference project static files (fonts, logos) by relative path.
    base = racines_statiques()[0].as_uri() + "/"
    return HTML(string=html, base_url=base, url_fetcher=_fetcher()).write_pdf()
