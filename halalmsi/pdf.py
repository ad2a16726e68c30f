"""HTML to PDF with WeasyPrint (a leaf module: imports no app).

Fonts come from static/fonts (shipped in the repository) through @font-face in templates/pdf/base.html, so a PDF
looks the same on every machine. Rendering is CPU work: call it from Celery tasks, not from request handlers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration


def static_base_url() -> str:
    return (settings.BASE_DIR / "static").as_uri() + "/"


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string; relative URLs (fonts, images) resolve against static/."""
    fonts = FontConfiguration()
    return HTML(string=html, base_url=static_base_url()).write_pdf(font_config=fonts)


def render_pdf(template_name: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    """Render a Django template to PDF bytes, in `language` (default: the active one)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return html_to_pdf(html)
