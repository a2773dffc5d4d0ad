"""Checking and cleaning the photos residents add to a repair report (see portal.uploads).

Only JPEG, PNG and HEIC pass; each is redrawn without its metadata, so a phone's GPS position
(EXIF) never reaches our disk, after being turned the right way up.
"""

from __future__ import annotations

from django.conf import settings

from portal.uploads import JPEG_PNG_OR_HEIC, CleanImage, UploadRejected, clean_image

ACCEPTED_FORMATS = JPEG_PNG_OR_HEIC
PhotoRejected = UploadRejected
CleanPhoto = CleanImage


def clean_photo(upload) -> CleanPhoto:
    """Check an uploaded file is a JPEG, PNG or HEIC photo within the limits and return a copy
    without metadata. Raises PhotoRejected with a message for the resident."""
    return clean_image(
        upload,
        max_bytes=settings.REPAIR_PHOTO_MAX_BYTES,
        max_pixels=settings.REPAIR_PHOTO_MAX_PIXELS,
        formats=ACCEPTED_FORMATS,
        kind="a JPEG, PNG or HEIC photo",
        too_large="Take a smaller photo and try again",
    )
