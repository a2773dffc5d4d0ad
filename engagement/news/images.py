"""Checking the pictures staff add to a newsletter.

Trust nothing about an upload but its content: Pillow decodes it, only JPEG and PNG pass (what
every email client and browser shows), and the picture is drawn afresh into a new file, so no
metadata (a camera's GPS position) is published with it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG"}


class ImageRejected(ValueError):
    """The file is not a picture we accept. The message is written for the member of staff."""


@dataclass
class CleanImage:
    content: ContentFile
    content_type: str


def clean_image(upload) -> CleanImage:
    limit = settings.NEWS_IMAGE_MAX_BYTES
    name = getattr(upload, "name", "") or "The file"
    if upload.size == 0:
        raise ImageRejected(f"{name} is empty")
    if upload.size > limit:
        raise ImageRejected(f"{name} must be smaller than {limit / (1024 * 1024):.0f}MB")
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in ACCEPTED_FORMATS:
                raise ImageRejected(f"{name} must be a JPG or PNG picture")
            if width * height > settings.NEWS_IMAGE_MAX_PIXELS:
                raise ImageRejected(
                    f"{name} is too large a picture. Use one smaller than 8,000 by 8,000 pixels"
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRejected(f"{name} must be a JPG or PNG picture") from None

    keep_png = image_format == "PNG"
    mode = "RGBA" if keep_png and upright.mode in ("RGBA", "LA", "P") else "RGB"
    pixels = upright.convert(mode)
    # Newsletter pictures are shown at most a column wide; a smaller file is kinder to phones.
    pixels.thumbnail((1600, 1600))
    fresh = Image.new(mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if keep_png:
        fresh.save(out, format="PNG", optimize=True)
        return CleanImage(ContentFile(out.getvalue(), name="picture.png"), "image/png")
    fresh.save(out, format="JPEG", quality=85, optimize=True)
    return CleanImage(ContentFile(out.getvalue(), name="picture.jpg"), "image/jpeg")
