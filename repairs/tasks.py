"""Celery tasks for repairs: each fetches what it needs and calls one service."""

from celery import shared_task


@shared_task
def send_appointment_reminders():
    from repairs.services import send_appointment_reminders as send

    return {"reminders": send()}


@shared_task
def delete_abandoned_photos():
    from repairs.services import delete_abandoned_photos as forget

    return {"deleted": forget()}
