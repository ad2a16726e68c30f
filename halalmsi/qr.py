"""QR codes as inline SVG with segno (a leaf module: imports no app)."""

from __future__ import annotations

import segno


def qr_svg(data: str, *, scale: int = 4, dark: str = "#1d1b20") -> str:
    """An <svg> element (no XML declaration) encoding `data`, with error correction level M and a quiet zone."""
    code = segno.make(data, error="m", micro=False)
    return code.svg_inline(scale=scale, dark=dark, border=4)
