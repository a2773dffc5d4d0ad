"""Celery tasks for neighbourhood plans: each fetches what it needs and calls one service."""

from celery import shared_task


@shared_task
def announce_open_plans():
    from engagement.plans.services import announce_open_plans as announce

    return {"plans": announce()}


@shared_task
def send_voting_notices(plan_id):
    from engagement.plans.services import send_next_voting_notices

    return {"more": send_next_voting_notices(plan_id=plan_id)}
