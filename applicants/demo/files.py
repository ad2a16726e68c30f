"""Real-looking demo files: a product photo drawn with Pillow, the NIB as a SPESIMEN PDF, stored as an upload."""

from __future__ import annotations

import colorsys
import io
import random
import textwrap
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from applicants.models import Business
from core.files.pdf import render_pdf

# --- Real-looking documents: small but real files, made once per content and kept in a per-process cache -----------
FONT = Path(settings.BASE_DIR) / "static" / "fonts" / "NotoSans-Bold.ttf"


@cache
def product_photo_png(name: str) -> bytes:
    """A product photo drawn with Pillow: a stand-up pouch with its label on a table, crumbs around it, colours from
    the product's name. About 20 to 40 KB, like a phone photo an owner resized before uploading."""
    seed = zlib.crc32(name.encode())
    rng = random.Random(seed)  # noqa: S311 - a drawing, not a secret
    hue = seed % 360
    width, height = 640, 480
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):  # a warm wall fading into the table
        shade = 235 - y * 60 // height
        draw.line([(0, y), (width, y)], fill=(shade, shade - 12 - hue % 20, shade - 40))
    draw.rectangle([0, 330, width, height], fill=(150, 104, 62))
    for _ in range(900):  # wood grain and crumbs: a photo is never flat
        x, y = rng.randrange(width), rng.randrange(330, height)
        tone = rng.randrange(-25, 25)
        draw.point((x, y), fill=(150 + tone, 104 + tone, 62 + tone))
    colour = tuple(int(c * 255) for c in colorsys.hsv_to_rgb(hue / 360, 0.65, 0.8))
    draw.rounded_rectangle([200, 70, 440, 400], radius=28, fill=colour, outline=(40, 40, 40), width=3)
    draw.rectangle([200, 70, 440, 100], fill=tuple(max(c - 50, 0) for c in colour))  # the seal
    draw.rounded_rectangle([222, 170, 418, 330], radius=12, fill=(250, 246, 236))
    font_big = ImageFont.truetype(str(FONT), 22)
    font_small = ImageFont.truetype(str(FONT), 14)
    lines = textwrap.wrap(name, 14)[:3]
    for number, line in enumerate(lines):
        box = draw.textbbox((0, 0), line, font=font_big)
        draw.text((320 - (box[2] - box[0]) // 2, 185 + number * 30), line, font=font_big, fill=(60, 30, 20))
    draw.text((240, 300), "Netto 100 g  •  P-IRT", font=font_small, fill=(90, 90, 90))
    draw.ellipse([370, 110, 420, 160], fill=(255, 255, 255), outline=(0, 120, 60), width=4)  # the halal label's place
    for _ in range(40):
        x, y, r = rng.randrange(40, 600), rng.randrange(410, 470), rng.randrange(6, 16)
        draw.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=tuple(min(c + 30, 255) for c in colour))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def nib_pdf(business: Business) -> bytes:
    """The business's NIB as OSS prints it, marked SPESIMEN (a real owner uploads the PDF downloaded from OSS)."""
    from applicants.models import Kbli

    context = {
        "business": business,
        "kbli_title": Kbli.objects.filter(code=business.kbli).values_list("title", flat=True).first() or "",
        "products": list(business.products.order_by("name").values_list("name", flat=True)),
        "issued_on": timezone.localdate(business.created_at) if business.created_at else timezone.localdate(),
    }
    return render_pdf("applicants/demo/nib_pdf.html", context, language="id")


def upload(*, actor: Any, business: Business, kind: str, name: str, content: bytes, product: Any = None) -> Any:
    """Store a demo file the way an owner's upload is stored (checked, hashed, under a random name)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applicants.services import document_upload

    content_type = "image/png" if name.endswith(".png") else "application/pdf"
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return document_upload(actor=actor, business=business, kind=kind, file=file, product=product)
