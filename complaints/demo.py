"""Complaints for the demo landlord: the demo tenant's complaints at different stages (one overdue,
so reminders fire; one answered, ready to escalate; one raised from an enquiry), a stage 2
complaint, and a year of history (2025/26) for the annual report, published.

The tenant's complaints go through the real services, then what the services stamped with the
real time is moved back to when it happened in the story, as the portal's demo does. The history
goes through the CSV import, exactly as a landlord's would. Safe to run again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from complaints import importing, services
from complaints.models import AnnualReport, Complaint, LearningEntry, Outcome
from complaints.self_assessment import ITEMS, Compliance
from portal.models import (
    AuditEntry,
    Case,
    CaseChannel,
    CaseKind,
    CaseStatus,
    Deadline,
    Event,
    Home,
    Landlord,
    Notification,
    NotificationStatus,
    Officer,
    OfficerRole,
    Resident,
)
from portal.services.enquiries import patch_officer_for
from portal.workdays import LONDON, add_working_days, local_date, subtract_working_days

TENANT_EMAIL = "tenant@example.com"
SEED = 2025
MARKER = "DEMO-TENANT-1"
HISTORY_YEAR = 2025


class DemoMissing(Exception):
    """What the complaints demo needs from the portal's demo is not there."""


@dataclass
class People:
    tenant: Resident
    officer: Officer  # the tenant's patch officer: stage 1
    reviewer: Officer  # someone else: stage 2
    manager: Officer | None


def already_loaded() -> bool:
    return Complaint.objects.filter(external_reference=MARKER).exists()


def _people() -> People:
    tenant = Resident.objects.filter(user__email=TENANT_EMAIL).first()
    if tenant is None:
        raise DemoMissing(f"The demo tenant ({TENANT_EMAIL}) is missing: run `python manage.py load_demo` first.")
    tenancy = tenant.tenancies.filter(end_date__isnull=True).select_related("home").first()
    officers = Officer.objects.filter(is_active=True)
    officer = patch_officer_for(tenancy.home if tenancy else None) or officers.filter(role=OfficerRole.OFFICER).first()
    if officer is None:
        raise DemoMissing("There is no housing officer to handle complaints: run `python manage.py load_demo` first.")
    manager = officers.filter(role=OfficerRole.MANAGER).order_by("pk").first()
    reviewer = (
        Landlord.current().complaints_manager
        or manager
        or officers.filter(role=OfficerRole.TEAM_LEADER).exclude(pk=officer.pk).first()
    )
    if reviewer is None or reviewer.pk == officer.pk:
        raise DemoMissing(
            "There is no manager or team leader to handle stage 2: run `python manage.py load_demo` first."
        )
    return People(tenant=tenant, officer=officer, reviewer=reviewer, manager=manager)


class Loader:
    def __init__(self, *, now: datetime | None = None):
        self.now = now or timezone.now()
        self.today = local_date(self.now)
        self.rng = random.Random(SEED)

    def at(self, working_days_ago: int, hour: int = 10, minute: int = 0) -> datetime:
        day = subtract_working_days(self.today, working_days_ago)
        return datetime.combine(day, time(hour, minute), tzinfo=LONDON)

    @transaction.atomic
    def load(self) -> dict:
        people = _people()
        landlord = Landlord.current()
        if landlord.complaints_manager_id is None:
            landlord.complaints_manager = people.reviewer
            landlord.save()
        history = self._history(people)
        self._tenant_complaints(people)
        self._stage2_elsewhere(people)
        self._learning(people)
        self._annual_report(people)
        return {"tenant_complaints": 3, "history": history}

    # -- the story, moved back in time ----------------------------------------------------------------

    def _backdate(self, case: Case, at: datetime) -> None:
        """The services stamp what they write with the real time; move it back into the story."""
        now = self.now
        Event.objects.filter(case=case, created_at__gte=now).update(created_at=at)
        Deadline.objects.filter(case=case, created_at__gte=now).update(created_at=at)
        Case.objects.filter(pk=case.pk, closed_at__gte=now).update(closed_at=at)
        AuditEntry.objects.filter(at__gte=now).update(at=at)
        # Messages the story sent long ago were delivered then, not now.
        Notification.objects.filter(case=case, created_at__gte=now, resident__isnull=False).update(
            status=NotificationStatus.SENT, created_at=at, sent_at=at, next_attempt_at=at
        )

    def _tenant_complaints(self, people: People) -> None:
        tenant, officer = people.tenant, people.officer

        # Overdue: received eight working days ago and not yet acknowledged, so reminders fire.
        received = self.at(8, 19, 40)
        overdue = services.make_complaint(
            resident=tenant,
            what_happened=(
                "Rubbish has been left by the bins behind my house for three weeks. I reported it twice "
                "and nobody has come to clear it. There are rats now."
            ),
            outcome_wanted="Clear the rubbish and tell me how you will stop it happening again.",
            channel=CaseChannel.WEB,
            received_at=received,
        )
        self._backdate(overdue.case, received)
        Complaint.objects.filter(pk=overdue.pk).update(external_reference=MARKER)

        # Answered at stage 1, partly upheld, with an action and compensation: ready to escalate.
        received = self.at(26, 9, 15)
        answered = services.make_complaint(
            resident=tenant,
            what_happened=(
                "The gas engineer missed two appointments for my boiler service. I took two days off "
                "work and nobody told me they were not coming."
            ),
            outcome_wanted="An apology and payment for my lost wages.",
            channel=CaseChannel.PHONE,
            logged_by=officer,
            received_at=received,
        )
        self._backdate(answered.case, received)
        step = self.at(24, 11)
        services.acknowledge_complaint(
            complaint=answered,
            officer=officer,
            at=step,
            understanding=(
                "1. The engineer missed appointments on two days without telling you.\n"
                "2. You lost two days' wages waiting in."
            ),
            outcome_sought="An apology, and payment for the wages you lost.",
        )
        self._backdate(answered.case, step)
        step = self.at(14, 15, 30)
        services.respond_to_complaint(
            complaint=answered,
            officer=officer,
            at=step,
            definition="The engineer missed two boiler service appointments, and you lost two days' wages waiting in.",
            points=[
                services.PointDecision(
                    point="The engineer missed two appointments without telling you.",
                    decision=Outcome.UPHELD,
                    reasons=(
                        "Our contractor's records show the engineer was sent elsewhere both days and nobody called you."
                    ),
                ),
                services.PointDecision(
                    point="Payment for two days' lost wages.",
                    decision=Outcome.NOT_UPHELD,
                    reasons=(
                        "Our compensation policy does not repay lost earnings, but we have made a payment for "
                        "your time and trouble."
                    ),
                ),
            ],
            reasons="We checked the contractor's job records and our call log for both days.",
            apology="We are sorry. You should have been told, and the appointments should have been kept.",
            actions=[
                services.PromisedAction(
                    description="Service your boiler at a time you choose",
                    due_on=add_working_days(self.today, 8),
                ),
            ],
            compensation_pence=5000,
        )
        self._backdate(answered.case, step)
        Complaint.objects.filter(pk=answered.pk).update(external_reference="DEMO-TENANT-2")

        # Raised by the officer from the tenant's open enquiry; acknowledged; the reply is not yet due.
        enquiry = (
            Case.objects.filter(resident=tenant, kind=CaseKind.ENQUIRY, status__in=CaseStatus.open_values())
            .order_by("opened_at")
            .first()
        )
        received = self.at(3, 14, 5)
        what = "Still no decision on my request to replace my kitchen after three weeks, and nobody returns my calls."
        if enquiry is not None:
            linked = services.raise_complaint_from_case(
                case=enquiry,
                officer=officer,
                what_happened=what,
                outcome_wanted="A decision this week.",
                channel=CaseChannel.PHONE,
                received_at=received,
            )
            Event.objects.filter(case=enquiry, created_at__gte=self.now).update(created_at=received)
        else:
            linked = services.make_complaint(
                resident=tenant, what_happened=what, channel=CaseChannel.PHONE, logged_by=officer, received_at=received
            )
        self._backdate(linked.case, received)
        step = self.at(1, 10, 20)
        services.acknowledge_complaint(
            complaint=linked,
            officer=officer,
            at=step,
            understanding=(
                "You asked for permission to replace your kitchen three weeks ago and have had no decision "
                "or call back."
            ),
            outcome_sought="A decision this week.",
        )
        self._backdate(linked.case, step)
        Complaint.objects.filter(pk=linked.pk).update(external_reference="DEMO-TENANT-3")

    def _stage2_elsewhere(self, people: People) -> None:
        """A neighbour's complaint at stage 2, with the reviewer, so stage 2 shows in the queue."""
        home_ids = Home.objects.filter(neighbourhood__officers=people.officer).values("pk")
        neighbour = (
            Resident.objects.filter(tenancies__home__in=home_ids, tenancies__end_date__isnull=True)
            .exclude(pk=people.tenant.pk)
            .order_by("pk")
            .first()
        )
        if neighbour is None:
            return
        received = self.at(40, 12)
        complaint = services.make_complaint(
            resident=neighbour,
            what_happened="Damp and black mould in the back bedroom came back a month after it was treated.",
            outcome_wanted="A proper fix for the cause of the damp.",
            channel=CaseChannel.EMAIL,
            logged_by=people.officer,
            received_at=received,
        )
        self._backdate(complaint.case, received)
        for working_days_ago, step in ((38, "ack"), (29, "respond"), (6, "escalate"), (4, "review")):
            moment = self.at(working_days_ago, 11)
            if step == "ack":
                services.acknowledge_complaint(
                    complaint=complaint,
                    officer=people.officer,
                    at=moment,
                    understanding="Mould returned in the back bedroom after treatment.",
                    outcome_sought="Find and fix the cause.",
                )
            elif step == "respond":
                services.respond_to_complaint(
                    complaint=complaint,
                    officer=people.officer,
                    at=moment,
                    definition="Mould returned in the back bedroom after treatment.",
                    points=[
                        services.PointDecision(
                            point="The mould came back.",
                            decision=Outcome.PARTLY_UPHELD,
                            reasons="The treatment was done, but the cause (a blocked air brick) was not found.",
                        )
                    ],
                    reasons="Our surveyor's report and the contractor's job sheet.",
                    actions=[
                        services.PromisedAction(
                            description="Clear the air brick and retreat the wall",
                            due_on=local_date(moment) + timedelta(days=14),
                        )
                    ],
                )
            elif step == "escalate":
                services.escalate_complaint(complaint=complaint, at=moment)
            else:
                services.acknowledge_complaint(
                    complaint=complaint,
                    officer=people.reviewer,
                    at=moment,
                    understanding="You are not happy that the cause of the damp is still not fixed.",
                    outcome_sought="A survey of the whole house.",
                )
            self._backdate(complaint.case, moment)
        Complaint.objects.filter(pk=complaint.pk).update(external_reference="DEMO-STAGE2-1")

    # -- a year of history, imported ---------------------------------------------------------------------

    def _history(self, people: People) -> int:
        rng = self.rng
        tenant_homes = people.tenant.tenancies.values("home")
        uprns = list(Home.objects.exclude(pk__in=tenant_homes).order_by("pk").values_list("uprn", flat=True))
        if not uprns:
            return 0
        categories = (
            ["repairs"] * 9
            + ["damp_mould"] * 4
            + ["communication"] * 4
            + ["asb"] * 3
            + [
                "estate_services",
                "estate_services",
                "rent_charges",
                "staff_conduct",
                "safety",
                "lettings",
            ]
        )
        rows = []
        start = date(HISTORY_YEAR, 4, 1)
        last = min(self.today - timedelta(days=45), date(HISTORY_YEAR + 1, 9, 30))
        number = 0
        day = start
        while day <= last:
            day += timedelta(days=rng.randint(4, 10))
            if day > last:
                break
            number += 1
            rows.append(self._history_row(f"DEMO-H-{number:03d}", rng.choice(uprns), day, rng.choice(categories)))
        text = "\n".join([",".join(importing.COLUMNS), *rows]) + "\n"
        return importing.import_complaints(text).total

    def _history_row(self, reference: str, uprn: str, received: date, category: str) -> str:
        rng = self.rng
        refused = rng.random() < 0.04
        acknowledged = add_working_days(received, rng.choice([1, 1, 2, 2, 3, 4, 5, 5, 6]))
        extension = rng.choice([5, 10]) if rng.random() < 0.1 else 0
        late = rng.random() < 0.13
        took = rng.randint(11, 16) + extension if late else rng.randint(3, 10 + extension)
        responded = add_working_days(acknowledged, took)
        outcome = rng.choices(["upheld", "partly_upheld", "not_upheld"], weights=[35, 30, 35])[0]
        escalated = s2_ack = s2_responded = None
        if not refused and rng.random() < 0.15:
            escalated = add_working_days(responded, rng.randint(2, 15))
            s2_ack = add_working_days(escalated, rng.randint(1, 5))
            s2_responded = add_working_days(s2_ack, rng.randint(8, 24))
            if s2_responded >= self.today:  # history is finished: no escalation still running
                escalated = s2_ack = s2_responded = None
            else:
                outcome = rng.choices(["upheld", "partly_upheld", "not_upheld"], weights=[20, 30, 50])[0]
        compensation = (
            rng.choice([2500, 5000, 7500, 10000, 15000, 25000]) if outcome != "not_upheld" and rng.random() < 0.6 else 0
        )
        if refused:
            return f"{reference},{uprn},{received},,,{add_working_days(received, 3)},,,,,refused,{category},"
        values = [
            reference,
            uprn,
            received,
            acknowledged,
            extension or "",
            responded,
            escalated or "",
            s2_ack or "",
            "",
            s2_responded or "",
            outcome,
            category,
            compensation or "",
        ]
        return ",".join("" if value is None else str(value) for value in values)

    # -- learning and the published report -----------------------------------------------------------------

    def _learning(self, people: People) -> None:
        if LearningEntry.objects.filter(complaint__external_reference__startswith="DEMO-H-").exists():
            return
        stories = [
            (
                "repairs",
                "contractor",
                "Engineers did not turn up for appointments, and nobody told you.",
                "Our repairs contractor now texts you the morning of your appointment, and again if they are "
                "running late.",
            ),
            (
                "damp_mould",
                "process",
                "Damp and mould came back after we treated it.",
                "Every damp and mould report now gets a survey to find the cause before any treatment.",
            ),
            (
                "communication",
                "communication",
                "You had to chase us for updates on your requests.",
                "Your housing officer now updates you at least every ten working days until your request is done.",
            ),
        ]
        publisher = people.manager or people.reviewer
        answered = Complaint.objects.filter(external_reference__startswith="DEMO-H-", status="responded")
        for category, cause, you_said, we_did in stories:
            complaint = answered.filter(category=category).order_by("external_reference").first()
            if complaint is None:
                continue
            services.record_learning(
                complaint=complaint, officer=people.officer, category=category, root_cause=cause, learning=we_did
            )
            entry = services.create_learning_entry(
                complaint=complaint,
                officer=publisher,
                you_said=you_said,
                we_did=we_did,
                publish=services.can_publish(publisher),
            )
            if entry.published:
                responded = complaint.stages.order_by("-stage").first().responded_on
                LearningEntry.objects.filter(pk=entry.pk).update(
                    published_at=datetime.combine(responded + timedelta(days=30), time(10), tzinfo=LONDON)
                )

    def _annual_report(self, people: People) -> None:
        manager = people.manager
        if manager is None or AnnualReport.objects.filter(year=HISTORY_YEAR, assessed_at__isnull=False).exists():
            return
        partly = {"stage1_times", "extensions"}
        answers = {
            item.key: {
                "status": Compliance.PARTLY if item.key in partly else Compliance.MEETS,
                "evidence": (
                    "Most stage 1 complaints were answered in time; the late ones were repairs complaints "
                    "waiting on contractors' reports. Weekly checks of the complaint clocks started in January."
                    if item.key in partly
                    else "Our complaints policy, reviewed by the Customer Committee."
                ),
            }
            for item in ITEMS
        }
        services.save_self_assessment(
            year=HISTORY_YEAR,
            officer=manager,
            answers=answers,
            improvements=(
                "Our repairs contractor now texts residents on the morning of an appointment. Damp and mould "
                "reports get a survey of the cause before treatment. Housing officers update residents at "
                "least every ten working days."
            ),
        )
        services.publish_annual_report(year=HISTORY_YEAR, officer=manager)


def load() -> dict:
    return Loader().load()
