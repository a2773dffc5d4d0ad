"""Checking papers and evidence uploaded by staff by what is in them, not what they are called
(the check is portal.uploads'), limited to what meeting papers and evidence are: PDF, Word,
Excel (xlsx), CSV, JPEG and PNG."""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from portal import uploads
from portal.uploads import CSV, DOC, DOCX, JPEG, PDF, PNG, XLSX, DocumentKind

KINDS = (PDF, DOC, DOCX, XLSX, CSV, JPEG, PNG)
ACCEPT = ".pdf,.doc,.docx,.xlsx,.csv,.jpg,.jpeg,.png"


def check_document(uploaded) -> DocumentKind:
    """The document's kind, or a ValidationError in plain words."""
    return uploads.check_document(
        uploaded,
        kinds=KINDS,
        max_bytes=settings.ENGAGEMENT_DOCUMENT_MAX_BYTES,
        kinds_in_words="a PDF, Word, Excel, CSV, JPG or PNG file",
        size_words=filesizeformat,
    )
