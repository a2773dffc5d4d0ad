"""Checking, cleaning and resizing the photos applicants add to a funded project's progress.

The shared check (portal.uploads) trusts only the content: a JPEG or PNG within the limits,
redrawn without metadata (no GPS position), turned upright, and scaled down so the public page
stays light.
"""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from portal.uploads import JPEG_OR_PNG, CleanImage, UploadRejected, clean_image

ACCEPTED_FORMATS = JPEG_OR_PNG
ACCEPT = ".jpg,.jpeg,.png"
PhotoRejected = UploadRejected
CleanPhoto = CleanImage


def clean_photo(upload) -> CleanPhoto:
    return clean_image(
        upload,
        max_bytes=settings.PLANS_PHOTO_MAX_BYTES,
        max_pixels=settings.PLANS_PHOTO_MAX_PIXELS,
        formats=ACCEPTED_FORMATS,
        kind="a JPG or PNG photo",
        too_large="Use a smaller photo",
        size_words=filesizeformat,
        longest_edge=settings.PLANS_PHOTO_MAX_EDGE,
    )
