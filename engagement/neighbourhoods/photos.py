"""Checking the photos officers upload: their own portrait, and what they saw on an inspection.

The shared check (portal.uploads) trusts only the content: JPEG, PNG and HEIC pass, redrawn
without metadata so a phone's GPS position (EXIF) is never kept, after turning it upright.
"""

from __future__ import annotations

from django.conf import settings

from portal.uploads import JPEG_PNG_OR_HEIC, CleanImage, UploadRejected, clean_image

ACCEPTED_FORMATS = JPEG_PNG_OR_HEIC
PhotoRejected = UploadRejected
CleanPhoto = CleanImage


def clean_photo(upload, *, what: str = "The photo") -> CleanPhoto:
    return clean_image(
        upload,
        max_bytes=settings.NEIGHBOURHOODS_PHOTO_MAX_BYTES,
        max_pixels=settings.NEIGHBOURHOODS_PHOTO_MAX_PIXELS,
        formats=ACCEPTED_FORMATS,
        what=what,
        kind="a JPEG, PNG or HEIC photo",
        too_large="Take a smaller photo and try again",
    )
