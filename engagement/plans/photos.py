"""Checking, cleaning and resizing the photos applicants add to a funded project's progress.

Only the content counts, never the name or the content type the browser sends: Pillow must decode
it as a JPEG or PNG within the size limits. The picture is redrawn into a fresh file (no EXIF, so
no GPS position), turned the right way up, and scaled down so the public page stays light.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG"}
ACCEPT = ".jpg,.jpeg,.png"


class PhotoRejected(ValueError):
    """The file is not a photo we accept. The message is written for the person who sent it."""


@dataclass
class CleanPhoto:
    content: ContentFile
    content_type: str


def clean_photo(upload) -> CleanPhoto:
    name = getattr(upload, "name", "") or "The file"
    if upload.size == 0:
        raise PhotoRejected(f"{name} is empty")
    if upload.size > settings.PLANS_PHOTO_MAX_BYTES:
        raise PhotoRejected(
            f"{name} must be smaller than {filesizeformat(settings.PLANS_PHOTO_MAX_BYTES)}"
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise PhotoRejected(f"{name} must be a JPG or PNG photo")
            if probe.width * probe.height > settings.PLANS_PHOTO_MAX_PIXELS:
                raise PhotoRejected(f"{name} is too large a picture. Use a smaller photo")
            keep_png = probe.format == "PNG"
            probe.verify()  # a truncated or corrupt file fails here
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRejected(f"{name} must be a JPG or PNG photo") from None

    mode = "RGBA" if keep_png and upright.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = upright.convert(mode)
    longest = settings.PLANS_PHOTO_MAX_EDGE
    if max(pixels.size) > longest:
        pixels.thumbnail((longest, longest), Image.Resampling.LANCZOS)
    fresh = Image.new(mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if keep_png:
        fresh.save(out, format="PNG", optimize=True)
        extension, content_type = "png", "image/png"
    else:
        fresh.save(out, format="JPEG", quality=85, optimize=True)
        extension, content_type = "jpg", "image/jpeg"
    return CleanPhoto(
        content=ContentFile(out.getvalue(), name=f"photo.{extension}"), content_type=content_type
    )
