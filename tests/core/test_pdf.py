"""The shared PDF and QR helpers: real WeasyPrint output with the fonts shipped in the repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from core.files.pdf import html_to_pdf
from core.files.qr import qr_png_data_uri

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
needs_zbar = pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbar-tools not installed")


@needs_poppler
def test_a_pdf_embeds_the_shipped_noto_font_and_carries_the_text(tmp_path: Path) -> None:
    html = (
        '<html><head><style>@font-face{font-family:"Noto Sans";src:url("fonts/NotoSans-Regular.ttf")}'
        'body{font-family:"Noto Sans"}</style></head><body><p>Sertifikat Halal — Keripik Pisang</p></body></html>'
    )
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(html_to_pdf(html))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Sertifikat Halal — Keripik Pisang" in text
    assert "Noto-Sans" in fonts


@needs_poppler
@needs_zbar
def test_the_qr_code_in_a_rendered_pdf_decodes_to_its_url(tmp_path: Path) -> None:
    url = "https://halal.example.go.id/verify/Zx9-token/"
    image = f'<img src="{qr_png_data_uri(url)}" style="width: 40mm; image-rendering: pixelated" alt="">'
    (tmp_path / "qr.pdf").write_bytes(html_to_pdf(f"<html><body>{image}</body></html>"))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "qr.pdf"), str(tmp_path / "qr")], check=True
    )
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True)
    assert decoded.stdout.strip() == url


def test_the_qr_image_is_a_png_data_uri() -> None:
    import base64

    uri = qr_png_data_uri("https://example.test/verify/x/")
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
