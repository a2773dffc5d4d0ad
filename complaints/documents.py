"""Checking documents sent with a complaint by what is in them, not what they are called
(the check is portal.uploads'; these are the kinds and limit a complaint takes)."""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from portal import uploads
from portal.uploads import DOC, DOCX, JPEG, PDF, PNG, DocumentKind

KINDS = (PDF, JPEG, PNG, DOC, DOCX)
ACCEPT = ".pdf,.jpg,.jpeg,.png,.doc,.docx"


def check_document(uploaded) -> DocumentKind:
    """The document's kind, or a ValidationError in words a resident can act on."""
    return uploads.check_document(
        uploaded,
        kinds=KINDS,
        max_bytes=settings.COMPLAINT_DOCUMENT_MAX_BYTES,
        kinds_in_words="a PDF, JPG, PNG or Word document",
        size_words=filesizeformat,
    )
