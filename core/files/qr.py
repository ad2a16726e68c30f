"""QR codes with segno (a leaf module: imports no app)."""

from __future__ import annotations

import segno


def qr_png_data_uri(data: str, *, scale: int = 8, dark: str = "#1d1b20") -> str:
    """A PNG data: URI encoding `data` (error correction M, quiet zone of 4 modules), for an <img> in a PDF.

    A bitmap rather than an SVG: WeasyPrint parses and draws an SVG path of every module run, which cost ~10 ms of
    a certificate's render (measured); an image is embedded as it is. Show it with
    `image-rendering: pixelated` so the modules stay sharp at any size. At scale 8 a verification URL is ~330 px
    square: ~200 dpi at 40 mm, plenty for a phone camera and a printer.
    """
    code = segno.make(data, error="m", micro=False)
    return code.png_data_uri(scale=scale, dark=dark, border=4)
