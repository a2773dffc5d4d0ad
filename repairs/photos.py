"""Checking and cleaning the photos residents add to a repair report.

Trust nothing about an upload but its content: the name and the content type are whatever the
sender says. Pillow decodes it; only JPEG, PNG and HEIC pass. The picture is then drawn afresh
into a new file with none of the original's metadata, so a phone's GPS position (EXIF) never
reaches our disk; its orientation is applied first so it still shows the right way up.
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
except ImportError:  # pragma: no cover - pillow-heif is a dependency; without it HEIC is refused
    pass

ACCEPTED_FORMATS = {"JPEG", "PNG", "HEIF"}


class PhotoRejected(ValueError):
    """The file is not a photo we accept. The message is written for the resident."""


@dataclass
class CleanPhoto:
    content: ContentFile
    extension: str
    content_type: str
    width: int
    height: int


def _readable_size(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}MB"


def clean_photo(upload) -> CleanPhoto:
    """Check an uploaded file is a JPEG, PNG or HEIC photo within the limits and return a copy
    without metadata. Raises PhotoRejected with a message for the resident."""
    name = getattr(upload, "name", "") or "The file"
    if upload.size > settings.REPAIR_PHOTO_MAX_BYTES:
        raise PhotoRejected(
            f"{name} must be smaller than {_readable_size(settings.REPAIR_PHOTO_MAX_BYTES)}"
        )
    if upload.size == 0:
        raise PhotoRejected(f"{name} is empty")
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ACCEPTED_FORMATS:
                raise PhotoRejected(f"{name} must be a JPEG, PNG or HEIC photo")
            if width * height > settings.REPAIR_PHOTO_MAX_PIXELS:
                raise PhotoRejected(
                    f"{name} is too large a picture. Take a smaller photo and try again"
                )
            probe.verify()  # a truncated or corrupt file fails here
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except PhotoRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRejected(f"{name} must be a JPEG, PNG or HEIC photo") from None

    keep_png = image_format == "PNG"
    mode = "RGBA" if keep_png and upright.mode in ("RGBA", "LA", "P") else "RGB"
    # A new image from the pixels alone: no EXIF, no XMP, no ICC, no text chunks, no thumbnails.
    pixels = upright.convert(mode)
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
        content=ContentFile(out.getvalue(), name=f"photo.{extension}"),
        extension=extension,
        content_type=content_type,
        width=fresh.width,
        height=fresh.height,
    )
