"""HTML to PDF with WeasyPrint (a leaf module: imports no app).

Fonts come from static/fonts (shipped in the repository) through @font-face in templates/pdf/base.html, so a PDF
looks the same on every machine. Rendering is CPU work: call it from Celery tasks, not from request handlers.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration

# WeasyPrint is imported on the first render, not with this module: importing it (cffi bindings to Pango, its CSS
# and HTML parsers) took 1.4 s of the 2.7 s the URLconf took to import (`python -X importtime`), and every web
# process imports the URLconf before it answers its first page, though pages never render a PDF (issue 32, item 17:
# `make run`'s first page on a fresh clone). Workers pay it once, on their first PDF.


def static_base_url() -> str:
    return (settings.BASE_DIR / "static").as_uri() + "/"


_local = threading.local()


def font_configuration() -> FontConfiguration:
    """One WeasyPrint font configuration per thread, kept across renders.

    A new one per render loads the system's fontconfig set and copies each @font-face file again: ~25 ms of a
    certificate's ~100 ms (measured). A kept one adds a face once (WeasyPrint skips a face it already
    holds) and keeps Pango's font caches warm. Per thread, because Pango's font map is not thread-safe.
    """
    fonts = getattr(_local, "fonts", None)
    if fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        fonts = _local.fonts = FontConfiguration()
    return fonts


def html_to_pdf(html: str) -> bytes:
    """Render an HTML string; relative URLs (fonts, images) resolve against static/."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=static_base_url()).write_pdf(font_config=font_configuration())
    return pdf


def render_pdf(template_name: str, context: dict[str, Any], *, language: str | None = None) -> bytes:
    """Render a Django template to PDF bytes, in `language` (default: the active one)."""
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return html_to_pdf(html)
