"""The shared PDF and QR helpers: real WeasyPrint output with the fonts shipped in the repository."""

from __future__ import annotations

from pathlib import Path

from core.files.pdf import html_to_pdf
from core.files.qr import qr_png_data_uri
from tests.pdftools import pdf_fonts, pdf_page_image, pdf_text, qr_codes


def test_a_pdf_embeds_the_shipped_noto_font_and_carries_the_text(tmp_path: Path) -> None:
    html = (
        '<html><head><style>@font-face{font-family:"Noto Sans";src:url("fonts/NotoSans-Regular.ttf")}'
        'body{font-family:"Noto Sans"}</style></head><body><p>Sertifikat Halal — Keripik Pisang</p></body></html>'
    )
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(html_to_pdf(html))
    assert "Sertifikat Halal — Keripik Pisang" in pdf_text(pdf)
    assert "Noto-Sans" in pdf_fonts(pdf)


def test_the_qr_code_in_a_rendered_pdf_decodes_to_its_url(tmp_path: Path) -> None:
    url = "https://halal.example.go.id/verify/Zx9-token/"
    image = f'<img src="{qr_png_data_uri(url)}" style="width: 40mm; image-rendering: pixelated" alt="">'
    (tmp_path / "qr.pdf").write_bytes(html_to_pdf(f"<html><body>{image}</body></html>"))
    assert qr_codes(pdf_page_image(tmp_path / "qr.pdf", dpi=150)) == [url]


def test_the_qr_image_is_a_png_data_uri() -> None:
    import base64

    uri = qr_png_data_uri("https://example.test/verify/x/")
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG\r\n\x1a\n")
