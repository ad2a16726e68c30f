"""Photos people upload, made safe and small on the server (a leaf module: imports no app).

The file is decoded with Pillow (a file that does not decode as JPEG, PNG or WebP is refused, whatever its name),
orientation from EXIF is applied, and it is re-encoded as a JPEG without metadata (no GPS position leaks) at two
sizes: a photo for the product page and a thumbnail small enough for a catalogue page on a cheap phone.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import DomainError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_SIDE = 960
THUMBNAIL_SIDE = 320
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded


@dataclass(frozen=True)
class ResizedPhoto:
    photo: bytes
    thumbnail: bytes
    width: int
    height: int


def _jpeg(image: Image.Image, side: int, quality: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue(), copy.width, copy.height


def photo_resize(file: Any, *, field: str = "photo") -> ResizedPhoto:
    """Check and re-encode an uploaded photo, or raise DomainError (filed under `field`) with a message."""

    def _refuse(message: str) -> DomainError:
        return DomainError(message, errors={field: [message]})

    size = int(getattr(file, "size", 0) or 0)
    if size <= 0:
        raise _refuse(_("The photo is empty."))
    if size > settings.UPLOAD_MAX_BYTES:
        raise _refuse(
            _("The photo is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    file.seek(0)
    try:
        with Image.open(file) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise _refuse(_("The photo must be a JPEG, PNG or WebP image."))
            if probe.width * probe.height > MAX_PIXELS:
                raise _refuse(_("The photo has too many pixels; use a smaller picture."))
            probe.load()
            image = ImageOps.exif_transpose(probe).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("The photo must be a JPEG, PNG or WebP image.")) from None
    finally:
        file.seek(0)
    photo, width, height = _jpeg(image, PHOTO_SIDE, 80)
    thumbnail, _w, _h = _jpeg(image, THUMBNAIL_SIDE, 55)
    return ResizedPhoto(photo=photo, thumbnail=thumbnail, width=width, height=height)
