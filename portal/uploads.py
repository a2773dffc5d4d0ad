"""Checking what people upload: pictures and documents, judged by their content alone.

The name and the content type of an upload are whatever the sender says, so neither is trusted.
A picture must decode with Pillow as one of the formats the caller accepts, within its size and
pixel limits; it is then turned the right way up (EXIF orientation) and drawn afresh into a new
file from its pixels alone, so no metadata (a phone's GPS position) is ever kept. A document is
recognised from its first bytes (and, for Word and Excel files, the parts inside the zip).

Each app passes its own limits and wording in; the messages are written for the person who
uploaded the file. Pictures raise UploadRejected (services turn it into their own errors);
documents raise ValidationError, which forms show beside the field.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC, what iPhones take photos in; only callers that accept "HEIF" let it through
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover - pillow-heif is a dependency; without it HEIC is refused
    pass

JPEG_OR_PNG = frozenset({"JPEG", "PNG"})
JPEG_PNG_OR_HEIC = frozenset({"JPEG", "PNG", "HEIF"})

# What Pillow raises for a file that is not a picture, is cut short, or is absurdly large.
_UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


class UploadRejected(ValueError):
    """The file is not one we accept. The message is written for the person who uploaded it."""


def megabytes(size: int) -> str:
    """A limit as GOV.UK writes it: '10MB'."""
    return f"{size / (1024 * 1024):.0f}MB"


def _check_size(upload, *, what: str, max_bytes: int, size_words: Callable[[int], str], error):
    if upload.size == 0:
        raise error(f"{what} is empty")
    if upload.size > max_bytes:
        raise error(f"{what} must be smaller than {size_words(max_bytes)}")


# -- pictures --------------------------------------------------------------------------------------------------


@dataclass
class CleanImage:
    content: ContentFile
    content_type: str
    extension: str
    width: int
    height: int


def clean_image(
    upload,
    *,
    max_bytes: int,
    max_pixels: int,
    formats: Collection[str] = JPEG_OR_PNG,
    what: str | None = None,
    kind: str = "a JPG or PNG picture",
    too_large: str = "Use a smaller picture",
    size_words: Callable[[int], str] = megabytes,
    longest_edge: int | None = None,
    resample: Image.Resampling = Image.Resampling.LANCZOS,
    stem: str = "photo",
) -> CleanImage:
    """Check an upload is a picture in one of `formats` (Pillow's names) within the limits, and
    return a fresh copy without metadata: a PNG stays a PNG, anything else becomes a JPEG,
    scaled down to `longest_edge` if given. Raises UploadRejected saying '<what> must be <kind>'
    or '<what> is too large a picture. <too_large>'; `what` defaults to the file's name."""
    what = what or getattr(upload, "name", "") or "The file"
    _check_size(upload, what=what, max_bytes=max_bytes, size_words=size_words, error=UploadRejected)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in formats:
                raise UploadRejected(f"{what} must be {kind}")
            if width * height > max_pixels:
                raise UploadRejected(f"{what} is too large a picture. {too_large}")
            probe.verify()  # a truncated or corrupt file fails here
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except _UNREADABLE:
        raise UploadRejected(f"{what} must be {kind}") from None

    keep_png = image_format == "PNG"
    mode = "RGBA" if keep_png and upright.mode in ("RGBA", "LA", "P") else "RGB"
    # A new image from the pixels alone: no EXIF, no XMP, no ICC, no text chunks, no thumbnails.
    pixels = upright.convert(mode)
    if longest_edge is not None:
        pixels.thumbnail((longest_edge, longest_edge), resample)  # only ever shrinks
    fresh = Image.new(mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if keep_png:
        fresh.save(out, format="PNG", optimize=True)
        extension, content_type = "png", "image/png"
    else:
        fresh.save(out, format="JPEG", quality=85, optimize=True)
        extension, content_type = "jpg", "image/jpeg"
    return CleanImage(
        content=ContentFile(out.getvalue(), name=f"{stem}.{extension}"),
        content_type=content_type,
        extension=extension,
        width=fresh.width,
        height=fresh.height,
    )


# -- documents -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKind:
    content_type: str
    extension: str
    label: str


PDF = DocumentKind("application/pdf", ".pdf", "PDF")
JPEG = DocumentKind("image/jpeg", ".jpg", "JPG")
PNG = DocumentKind("image/png", ".png", "PNG")
DOC = DocumentKind("application/msword", ".doc", "Word")  # Word 97-2003
DOCX = DocumentKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"
)
XLSX = DocumentKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel"
)
CSV = DocumentKind("text/csv", ".csv", "CSV")

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", DOC),
)
# Word and Excel files since 2007 are zips; what is inside says which.
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


def sniff_document(uploaded) -> DocumentKind | None:
    """What an uploaded file really is, from its bytes; None if it is none of these kinds. A CSV
    has no signature: one named .csv whose start is UTF-8 text without NUL bytes counts."""
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            uploaded.seek(0)
        return next((kind for part, kind in _OOXML_PARTS if part in names), None)
    if uploaded.name.lower().endswith(".csv") and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return CSV
    return None


def check_document(
    uploaded,
    *,
    kinds: Collection[DocumentKind],
    max_bytes: int,
    kinds_in_words: str,
    size_words: Callable[[int], str] = megabytes,
) -> DocumentKind:
    """The document's kind if it is one of `kinds` within the size limit; otherwise a
    ValidationError such as 'notes.txt must be <kinds_in_words>'."""
    name = uploaded.name
    _check_size(
        uploaded, what=name, max_bytes=max_bytes, size_words=size_words, error=ValidationError
    )
    kind = sniff_document(uploaded)
    if kind not in kinds:
        raise ValidationError(f"{name} must be {kinds_in_words}")
    return kind


def download_name(uploaded, *, max_length: int = 200) -> str:
    """The name a document is offered under when downloaded: the sender's own, cut to fit. Django
    has already dropped any folder from it and FileResponse quotes it in the header; the file
    itself is stored under stored_name, so nothing typed reaches the file system."""
    return uploaded.name[:max_length]


def stored_name(kind: DocumentKind) -> str:
    """A random file name for storage, with the extension of what the file really is."""
    return f"{uuid.uuid4().hex}{kind.extension}"


# -- forms -----------------------------------------------------------------------------------------------------


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one file input, as a list; each is checked as a single file would be.
    Subclasses check the content of each."""

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [single(item, initial) for item in items if item]


def stored_file_response(field, *, content_type: str, cache_control: str, download_name: str = "") -> FileResponse:
    """A stored upload sent back: as a download under download_name if given, else shown inline
    (pictures); never sniffed into something else by the browser; a missing file is a 404."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The file is missing") from None
    if download_name:
        response = FileResponse(handle, as_attachment=True, filename=download_name, content_type=content_type)
    else:
        response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response
