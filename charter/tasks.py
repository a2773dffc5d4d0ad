"""Celery tasks for the charter: each fetches what it needs and calls one service."""

from celery import shared_task


@shared_task
def tell_residents_of_consultation(version_id: int):
    """Tell one chunk of residents, then queue the next: a worker holds one chunk at a time, and a
    restart carries on from the version's cursor."""
    from charter.models import CharterVersion
    from charter.services import tell_residents_chunk

    version = CharterVersion.objects.filter(pk=version_id).first()
    if version is not None and tell_residents_chunk(version=version):
        tell_residents_of_consultation.delay(version_id)


@shared_task
def resume_consultation_announcements():
    from charter.services import unfinished_announcement_ids

    ids = unfinished_announcement_ids()
    for version_id in ids:
        tell_residents_of_consultation.delay(version_id)
    return {"resumed": len(ids)}
