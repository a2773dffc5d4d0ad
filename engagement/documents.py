"""Checking papers and evidence uploaded by staff by what is in them, not what they are called.

The complaints app has the same check; apps do not import each other, so this is its own copy,
limited to what meeting papers and evidence are: PDF, Word, Excel (xlsx), CSV, JPEG and PNG."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    label: str


PDF = Kind("application/pdf", ".pdf", "PDF")
JPEG = Kind("image/jpeg", ".jpg", "JPG")
PNG = Kind("image/png", ".png", "PNG")
DOC = Kind("application/msword", ".doc", "Word")
DOCX = Kind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", "Word"
)
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", "Excel")
CSV = Kind("text/csv", ".csv", "CSV")
ACCEPT = ".pdf,.doc,.docx,.xlsx,.csv,.jpg,.jpeg,.png"


def sniff(uploaded) -> Kind | None:
    """What an uploaded file really is, from its bytes; None if it is none of ours."""
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return DOC
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            uploaded.seek(0)
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
        return None
    if uploaded.name.lower().endswith(".csv") and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return CSV
    return None


def check_document(uploaded) -> Kind:
    """The document's kind, or a ValidationError in plain words."""
    name = uploaded.name
    if uploaded.size == 0:
        raise ValidationError(f"{name} is empty")
    if uploaded.size > settings.ENGAGEMENT_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            f"{name} must be smaller than {filesizeformat(settings.ENGAGEMENT_DOCUMENT_MAX_BYTES)}"
        )
    kind = sniff(uploaded)
    if kind is None:
        raise ValidationError(f"{name} must be a PDF, Word, Excel, CSV, JPG or PNG file")
    return kind
