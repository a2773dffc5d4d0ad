"""Celery tasks for neighbourhood working: each calls one service."""

from celery import shared_task


@shared_task
def send_reminders():
    from engagement.neighbourhoods.services import send_reminders as send

    return {"reminders": send()}
