"""Celery tasks for resident voice: each fetches what it needs and calls one service."""

from celery import shared_task


@shared_task
def send_meeting_reminders():
    from engagement.services import send_meeting_reminders as send

    return {"reminders": send()}


@shared_task
def announce_open_consultations():
    from engagement.services import announce_open_consultations as announce

    return {"told": announce()}
