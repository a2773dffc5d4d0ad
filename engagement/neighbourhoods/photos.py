"""Checking the photos officers upload: their own portrait, and what they saw on an inspection.

Only the content is trusted, never the name or the content type the browser sends. Pillow
decodes it; JPEG, PNG and HEIC pass. The picture is redrawn into a new file without its
metadata, so a phone's GPS position (EXIF) is never kept, after turning it the right way up.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC, what iPhones take photos in
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - without pillow-heif, HEIC is refused
    pass

ACCEPTED_FORMATS = {"JPEG", "PNG", "HEIF"}


class PhotoRejected(ValueError):
    """Not a photo we accept. The message is written for the person who uploaded it."""


@dataclass
class CleanPhoto:
    content: ContentFile
    content_type: str


def clean_photo(upload, *, what: str = "The photo") -> CleanPhoto:
    limit = settings.NEIGHBOURHOODS_PHOTO_MAX_BYTES
    if upload.size > limit:
        raise PhotoRejected(f"{what} must be smaller than {limit / (1024 * 1024):.0f}MB")
    if upload.size == 0:
        raise PhotoRejected(f"{what} is empty")
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ACCEPTED_FORMATS:
                raise PhotoRejected(f"{what} must be a JPEG, PNG or HEIC photo")
            if width * height > settings.NEIGHBOURHOODS_PHOTO_MAX_PIXELS:
                raise PhotoRejected(
                    f"{what} is too large a picture. Take a smaller photo and try again"
                )
            probe.verify()  # a truncated or corrupt file fails here
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRejected(f"{what} must be a JPEG, PNG or HEIC photo") from None
    keep_png = image_format == "PNG"
    mode = "RGBA" if keep_png and upright.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = upright.convert(mode)
    fresh = Image.new(mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if keep_png:
        fresh.save(out, format="PNG", optimize=True)
        return CleanPhoto(ContentFile(out.getvalue(), name="photo.png"), "image/png")
    fresh.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(ContentFile(out.getvalue(), name="photo.jpg"), "image/jpeg")
