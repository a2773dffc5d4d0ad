"""Pictures as phones send them, for tests of the upload checks."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

GPS = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}


def picture(
    fmt="JPEG", size=(64, 48), *, gps=False, orientation=None, name=None, content_type="image/jpeg"
):
    """An uploaded picture as a phone would send it, with its GPS position or orientation."""
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    if gps:
        exif[ExifTags.Base.Make] = "PhoneMaker"
        exif[ExifTags.IFD.GPSInfo] = GPS
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"exif": exif} if (gps or orientation) else {}))
    return SimpleUploadedFile(
        name or f"photo.{fmt.lower()}", buffer.getvalue(), content_type=content_type
    )
