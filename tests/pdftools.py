"""Reading the PDFs we render, with wheels from PyPI only (pypdfium2, zxing-cpp): `make test` needs no poppler
or zbar on the machine (README, "Two commands")."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import zxingcpp
from PIL import Image


def _document(source: str | Path | bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))


def pdf_text(source: str | Path | bytes) -> str:
    """The text of every page, in reading order, pages separated by a form feed (as pdftotext does)."""
    document = _document(source)
    try:
        pages = []
        for page in document:
            text_page = page.get_textpage()
            pages.append(text_page.get_text_range().replace("\r\n", "\n"))
            text_page.close()
            page.close()
        return "\f".join(pages)
    finally:
        document.close()


def pdf_fonts(source: str | Path | bytes) -> set[str]:
    """The base names of the fonts the text uses, without their subset prefix (pdffonts' first column)."""
    document = _document(source)
    names = set()
    try:
        for page in document:
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
                size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
                buffer = ctypes.create_string_buffer(size)
                pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
                names.add(buffer.value.decode("utf-8", "replace").split("+", 1)[-1])
        return names
    finally:
        document.close()


def pdf_page_image(source: str | Path | bytes, *, page: int = 0, dpi: int = 150) -> Image.Image:
    """One page rasterised (pdftoppm's job), white background."""
    document = _document(source)
    try:
        bitmap = document[page].render(scale=dpi / 72)
        return bitmap.to_pil().convert("RGB")
    finally:
        document.close()


def pdf_page_count(source: str | Path | bytes) -> int:
    document = _document(source)
    try:
        return len(document)
    finally:
        document.close()


def qr_codes(image: Image.Image) -> list[str]:
    """The text of every QR code found in the image (zbarimg's job)."""
    return [result.text for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def pdf_image_count(source: str | Path | bytes) -> int:
    """How many images the pages draw (pdfimages -list's rows)."""
    document = _document(source)
    try:
        return sum(len(list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))) for page in document)
    finally:
        document.close()
