"""Checking the pictures staff add to a newsletter (see portal.uploads).

Only JPEG and PNG pass (what every email client and browser shows), redrawn without metadata
so no camera's GPS position is published, and scaled to at most a column wide.
"""

from __future__ import annotations

from django.conf import settings
from PIL import Image

from portal import uploads
from portal.uploads import JPEG_OR_PNG, CleanImage, UploadRejected

ACCEPTED_FORMATS = JPEG_OR_PNG
ImageRejected = UploadRejected


def clean_image(upload) -> CleanImage:
    return uploads.clean_image(
        upload,
        max_bytes=settings.NEWS_IMAGE_MAX_BYTES,
        max_pixels=settings.NEWS_IMAGE_MAX_PIXELS,
        formats=ACCEPTED_FORMATS,
        kind="a JPG or PNG picture",
        too_large="Use one smaller than 8,000 by 8,000 pixels",
        # Shown at most a column wide; a smaller file is kinder to phones.
        longest_edge=1600,
        resample=Image.Resampling.BICUBIC,
        stem="picture",
    )
