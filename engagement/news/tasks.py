"""Celery tasks for news: each fetches what it needs and calls one service."""

from celery import shared_task


@shared_task
def send_mailing(mailing_id: int):
    """Send one chunk, then queue the next: a worker holds one chunk at a time, and a restart
    carries on from the mailing's cursor."""
    from engagement.news.models import Mailing
    from engagement.news.services import send_mailing_chunk

    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is not None and send_mailing_chunk(mailing=mailing):
        send_mailing.delay(mailing_id)


@shared_task
def resume_unfinished_mailings():
    from engagement.news.services import unfinished_mailing_ids

    ids = unfinished_mailing_ids()
    for mailing_id in ids:
        send_mailing.delay(mailing_id)
    return {"resumed": len(ids)}
