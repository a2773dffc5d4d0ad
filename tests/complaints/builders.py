"""Builders for the complaints tests: complaints made and worked at given moments (time moved
with time_machine, never slept)."""

from datetime import datetime, timedelta

import time_machine

from complaints import services
from complaints.models import Outcome
from portal.workdays import LONDON
from tests import factories


def at(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def tenant_in(patch, **fields):
    resident = factories.ResidentFactory(**fields)
    home = factories.HomeFactory(estate=factories.EstateFactory(neighbourhood=patch))
    factories.TenancyFactory(home=home, residents=[resident])
    resident.user = factories.UserFactory(email=resident.email)
    resident.save()
    return resident


def make_complaint_at(moment, resident, **fields):
    fields.setdefault("what_happened", "The boiler repair was missed twice and nobody called me.")
    fields.setdefault("outcome_wanted", "Fix the boiler and tell me why it happened.")
    with time_machine.travel(moment, tick=False):
        return services.make_complaint(resident=resident, **fields)


def acknowledge_at(moment, complaint, officer):
    with time_machine.travel(moment, tick=False):
        return services.acknowledge_complaint(
            complaint=complaint,
            officer=officer,
            understanding="Two missed boiler repair appointments and no call back.",
            outcome_sought="A working boiler and an explanation.",
        )


def respond_at(moment, complaint, officer, decisions=(Outcome.UPHELD,), compensation_pence=0, actions=()):
    with time_machine.travel(moment, tick=False):
        return services.respond_to_complaint(
            complaint=complaint,
            officer=officer,
            definition="Two missed appointments for the boiler repair.",
            points=[
                services.PointDecision(point=f"Point {n}", decision=decision, reasons=f"Reasons {n}")
                for n, decision in enumerate(decisions, start=1)
            ],
            reasons="We looked at the appointment records.",
            apology="We are sorry." if Outcome.UPHELD in decisions else "",
            actions=[services.PromisedAction(description=d, due_on=due) for d, due in actions],
            compensation_pence=compensation_pence,
        )


def escalate_at(moment, complaint, **fields):
    with time_machine.travel(moment, tick=False):
        return services.escalate_complaint(complaint=complaint, **fields)


def answered_complaint(resident, officer, *, received=None):
    """A stage 1 complaint made, acknowledged and answered, ready to escalate."""
    received = received or at(2026, 11, 2)
    complaint = make_complaint_at(received, resident)
    acknowledge_at(received + timedelta(days=1), complaint, officer)
    respond_at(received + timedelta(days=3), complaint, officer, decisions=(Outcome.NOT_UPHELD,))
    complaint.refresh_from_db()
    return complaint
