"""The one PDF renderer: a Django template to PDF bytes with WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template: str, contexte: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, contexte)
    # base_url lets templates reference project static files (fonts, logos) by path.
    return HTML(string=html, base_url=str(settings.BASE_DIR / "static")).write_pdf()
