"""Celery tasks for the survey: each fetches what it needs and calls one service."""

from datetime import datetime

from celery import shared_task


@shared_task
def send_invitations(survey_id: int, invited_at: str):
    from charter.satisfaction.services import send_invitations as send

    return {"invitations": send(survey_id=survey_id, invited_at=datetime.fromisoformat(invited_at))}


@shared_task
def remind_non_respondents():
    from charter.satisfaction.services import remind_non_respondents as remind

    return {"reminders": remind()}
