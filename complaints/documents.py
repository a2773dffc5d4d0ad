"""Checking documents sent with a complaint by what is in them, not what they are called."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

PDF = b"%PDF-"
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc)
ZIP = b"PK\x03\x04"  # Word 2007 onwards (.docx) is a zip with word/document.xml inside


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


KINDS = {
    "pdf": Kind("application/pdf", ".pdf"),
    "jpeg": Kind("image/jpeg", ".jpg"),
    "png": Kind("image/png", ".png"),
    "doc": Kind("application/msword", ".doc"),
    "docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
}
ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx"


def sniff(uploaded) -> Kind | None:
    """What an uploaded file really is, from its first bytes; None if it is none of ours."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(PDF):
        return KINDS["pdf"]
    if head.startswith(JPEG):
        return KINDS["jpeg"]
    if head.startswith(PNG):
        return KINDS["png"]
    if head.startswith(OLE):
        return KINDS["doc"]
    if head.startswith(ZIP):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                is_word = "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            is_word = False
        finally:
            uploaded.seek(0)
        return KINDS["docx"] if is_word else None
    return None


def check_document(uploaded) -> Kind:
    """The document's kind, or a ValidationError in words a resident can act on."""
    name = uploaded.name
    if uploaded.size == 0:
        raise ValidationError(f"{name} is empty")
    if uploaded.size > settings.COMPLAINT_DOCUMENT_MAX_BYTES:
        raise ValidationError(f"{name} must be smaller than {filesizeformat(settings.COMPLAINT_DOCUMENT_MAX_BYTES)}")
    kind = sniff(uploaded)
    if kind is None:
        raise ValidationError(f"{name} must be a PDF, JPG, PNG or Word document")
    return kind
