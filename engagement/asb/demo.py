"""Anti-social behaviour for the demo landlord (after `load_demo`): a dozen cases over the current
financial year on different estates, at different stages, some of them hate incidents; a few
from the year before, so last year's NM01 shows too; and the demo tenant's own report, joined by a
neighbour's about the same people, risk-assessed, with an action plan and updates she can read.

Everything goes through the real services at the moment it happened in the story; what the
services stamp with the real time is then moved back to it. Safe to run again.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from engagement.asb import selectors, services
from engagement.asb.models import Action, AsbCase, AsbReport, Outcome, ReportUpdate, RiskAssessment
from engagement.asb.services import PersonDetails
from portal.models import (
    AuditEntry,
    Case,
    CaseChannel,
    Deadline,
    Estate,
    Event,
    Notification,
    NotificationStatus,
    Officer,
    OfficerRole,
    Resident,
)
from portal.services.enquiries import patch_officer_for
from portal.workdays import LONDON, add_working_days, local_date, subtract_working_days

TENANT_EMAIL = "tenant@example.com"
# The demo tenant's report carries this token: its presence means the demo is loaded.
MARKER = uuid.UUID("a5b00000-0000-4000-8000-000000000001")
SEED = 2026


class DemoMissing(Exception):
    """What the ASB demo needs from the portal's demo is not there."""


def already_loaded() -> bool:
    return AsbReport.objects.filter(submission_token=MARKER).exists()


@dataclass
class Story:
    """One case: who reports it on which estate, and how far it has got."""

    estate: str
    category: str
    what: str
    where: str
    people: list[PersonDetails]
    days_ago: int  # calendar days before today it was reported
    risk: dict = field(default_factory=dict)
    hate: list[str] = field(default_factory=list)
    contacted: bool = True
    actions: list[tuple[str, int, bool]] = field(default_factory=list)  # (what, due in days, done)
    update: str = ""
    outcome: str = ""
    closing_note: str = ""


def _alleged(name="", description="", address=""):
    return PersonDetails(name=name, description=description, address=address)


STORIES = [
    Story(
        "Castle Fields",
        "drugs",
        "People coming and going from a flat at all hours; I think drugs are being sold.",
        "Rampart House, ground floor",
        [_alleged(description="Several young men", address="Flat 3, Rampart House")],
        days_ago=220,
        risk={"repeated": True, "unsafe_at_home": True},
        outcome=Outcome.REFERRED,
        actions=[("Share information with the police neighbourhood team", 5, True)],
        closing_note="We have passed what you and others told us to the police, who are now dealing with it.",
    ),
    Story(
        "Wharf Side",
        "verbal_abuse",
        "A neighbour shouts racist abuse at me whenever I use the stairs.",
        "Stairwell, Barge House",
        [_alleged(name="Gary Holt", address="Flat 14, Barge House")],
        days_ago=190,
        risk={"fear_of_harm": True, "targeted": True, "repeated": True},
        hate=["race"],
        outcome=Outcome.TENANCY_ACTION,
        actions=[
            ("Interview the alleged perpetrator", 3, True),
            ("Apply for an injunction", 20, True),
        ],
        closing_note="The court granted an injunction that stops the abuse. Tell us or the police at once if it is breached.",
    ),
    Story(
        "Kingfisher",
        "noise",
        "Loud parties every weekend until 4am.",
        "Heron Way",
        [_alleged(address="11 Heron Way")],
        days_ago=160,
        outcome=Outcome.MEDIATION,
        actions=[("Refer both households to mediation", 10, True)],
        closing_note="Both households agreed ground rules at mediation and the parties have stopped.",
    ),
    Story(
        "Foundry Lane",
        "vandalism",
        "The bin store door has been kicked in three times this month.",
        "Bin store behind Anvil House",
        [_alleged(description="Teenagers on bikes")],
        days_ago=140,
        outcome=Outcome.NO_EVIDENCE,
        closing_note="We repaired the door and fitted a stronger lock. We could not identify who did it.",
    ),
    Story(
        "Mill Meadows",
        "verbal_abuse",
        "Children from a neighbouring house mock my son, who is autistic, every day.",
        "Weir Close play area",
        [_alleged(description="Two boys, about 12", address="4 Weir Close")],
        days_ago=120,
        risk={"targeted": True, "vulnerable": True, "children": True},
        hate=["disability"],
        outcome=Outcome.AGREEMENT,
        actions=[("Visit the parents of the boys", 5, True)],
        closing_note="The parents signed an acceptable behaviour agreement for both boys.",
    ),
    Story(
        "Hollybank",
        "vehicles",
        "Cars racing round Laurel Grove late at night.",
        "Laurel Grove",
        [_alleged(description="Silver hatchback, loud exhaust")],
        days_ago=95,
        outcome=Outcome.REFERRED,
        closing_note="We have given the police the registration numbers you gave us.",
    ),
    Story(
        "Castle Fields",
        "verbal_abuse",
        "Someone wrote homophobic graffiti on our door and shouts at us.",
        "Keep Road",
        [_alleged(name="Liam Doyle", address="21 Keep Road")],
        days_ago=60,
        risk={"fear_of_harm": True, "targeted": True, "unsafe_at_home": True},
        hate=["sexual_orientation"],
        actions=[
            ("Remove the graffiti within 24 hours", 1, True),
            ("Joint visit with police", 7, True),
            ("Warning letter to Liam Doyle", 10, False),
        ],
        update="We removed the graffiti and visited with the police. We are writing to the person responsible.",
    ),
    Story(
        "Wharf Side",
        "litter",
        "Rubbish thrown from a balcony onto the path below.",
        "Quay Court",
        [_alleged(address="Flat 20, Quay Court")],
        days_ago=35,
        actions=[("Write to the household about their rubbish", 5, True)],
        update="We have written to the household and will check again in two weeks.",
    ),
    Story(
        "Kingfisher",
        "pets",
        "A dog is left barking all day and has gone for my children.",
        "Kingfisher Drive",
        [_alleged(address="30 Kingfisher Drive", description="Large brown dog")],
        days_ago=20,
        risk={"violence": True, "children": True},
        actions=[("Visit with the dog warden", 2, False)],
    ),
    Story(
        "Foundry Lane",
        "verbal_abuse",
        "A man keeps calling my wife names because of her headscarf.",
        "Crucible Walk",
        [_alleged(description="Man in his 40s, grey van")],
        days_ago=9,
        risk={"targeted": True, "repeated": True},
        hate=["religion"],
        contacted=False,
    ),
    Story(
        "Mill Meadows",
        "noise",
        "Banging and drilling late into the evening.",
        "Millstone House",
        [_alleged(address="Flat 7, Millstone House")],
        days_ago=3,
        contacted=False,
    ),
]
# Last year's, so the NM01 page for 2025/26 has figures too.
LAST_YEAR = [
    Story(
        "Hollybank",
        "noise",
        "Music through the wall every night.",
        "Holly Court",
        [_alleged(address="Flat 5, Holly Court")],
        days_ago=0,
        outcome=Outcome.RESOLVED,
        closing_note="After our warning letter the noise stopped.",
    ),
    Story(
        "Wharf Side",
        "verbal_abuse",
        "Abuse shouted at me about my wheelchair.",
        "Towpath Row",
        [_alleged(name="Craig Mills")],
        days_ago=0,
        hate=["disability"],
        outcome=Outcome.TENANCY_ACTION,
        closing_note="We have served a notice on the tenancy of the person responsible.",
    ),
]


class Loader:
    def __init__(self, *, now: datetime | None = None):
        self.now = now or timezone.now()
        self.today = local_date(self.now)
        self.rng = random.Random(SEED)
        self.used: set[int] = set()

    # -- the story, moved back in time ------------------------------------------------------------------

    def _backdate(self, case: Case, at: datetime) -> None:
        Event.objects.filter(case=case, created_at__gte=self.now).update(created_at=at)
        Deadline.objects.filter(case=case, created_at__gte=self.now).update(created_at=at)
        Deadline.objects.filter(case=case, stopped_at__gte=self.now).update(stopped_at=at)
        Case.objects.filter(pk=case.pk, closed_at__gte=self.now).update(closed_at=at)
        ReportUpdate.objects.filter(report__asb_case__case=case, created_at__gte=self.now).update(
            created_at=at
        )
        RiskAssessment.objects.filter(asb_case__case=case, assessed_at__gte=self.now).update(
            assessed_at=at
        )
        Action.objects.filter(asb_case__case=case, created_at__gte=self.now).update(created_at=at)
        AuditEntry.objects.filter(at__gte=self.now).update(at=at)
        Notification.objects.filter(case=case, created_at__gte=self.now).update(
            status=NotificationStatus.SENT, created_at=at, sent_at=at, next_attempt_at=at
        )

    def _at(self, moment_day: date, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(moment_day, time(hour, minute), tzinfo=LONDON)

    def _reporter(self, estate: Estate) -> Resident:
        resident = (
            Resident.objects.filter(
                tenancies__home__estate=estate, tenancies__end_date__isnull=True, user__isnull=True
            )
            .exclude(pk__in=self.used)
            .exclude(
                tenancies__home__address_line_1="22 Hollybank Road"
            )  # the tenant's story is about them
            .order_by("pk")
            .first()
        )
        if resident is None:
            raise DemoMissing(
                f"No residents on {estate.name}: run `python manage.py load_demo` first."
            )
        self.used.add(resident.pk)
        return resident

    @transaction.atomic
    def load(self) -> dict:
        tenant = Resident.objects.filter(user__email=TENANT_EMAIL).first()
        if tenant is None:
            raise DemoMissing(
                f"The demo tenant ({TENANT_EMAIL}) is missing: run `python manage.py load_demo` first."
            )
        estates = {estate.name: estate for estate in Estate.objects.all()}
        missing = {story.estate for story in STORIES + LAST_YEAR} - set(estates)
        if missing:
            raise DemoMissing(
                f"The demo estates ({', '.join(sorted(missing))}) are missing: run `load_demo` first."
            )
        fy_start = selectors.financial_year_bounds(selectors.financial_year_of(self.today))[0]
        cases = 0
        for story in STORIES:
            reported = self.today - timedelta(days=story.days_ago)
            if reported < fy_start:  # early in the year, the older stories fall in the weeks so far
                reported = fy_start + timedelta(
                    days=story.days_ago % max((self.today - fy_start).days, 1)
                )
            self._play(story, self._reporter(estates[story.estate]), reported)
            cases += 1
        for n, story in enumerate(LAST_YEAR):
            self._play(
                story, self._reporter(estates[story.estate]), fy_start - timedelta(days=40 + 30 * n)
            )
            cases += 1
        self._tenant_story(tenant, estates)
        return {"cases": cases + 1}

    def _officer_for(self, asb_case: AsbCase) -> Officer:
        return (
            asb_case.case.owner
            or Officer.objects.filter(role=OfficerRole.OFFICER, is_active=True)
            .order_by("pk")
            .first()
        )

    def _play(self, story: Story, reporter: Resident, reported_on: date) -> AsbCase:
        reported_at = self._at(
            reported_on, self.rng.choice((9, 11, 14, 19)), self.rng.choice((5, 20, 40))
        )
        reported_at = min(
            reported_at, self.now - timedelta(hours=1)
        )  # never in the future, even today
        report = services.make_report(
            reporter=reporter,
            category=story.category,
            what_happened=story.what,
            where=story.where,
            happened_on=reported_on - timedelta(days=1),
            people=story.people,
            risk_answers=story.risk,
            hate_motivations=story.hate,
            channel=self.rng.choice((CaseChannel.WEB, CaseChannel.PHONE)),
            reported_at=reported_at,
        )
        asb_case = report.asb_case
        case = asb_case.case
        self._backdate(case, reported_at)
        officer = self._officer_for(asb_case)
        if not story.contacted:
            return asb_case
        contact_day = add_working_days(reported_on, 1)
        contact_at = self._at(min(contact_day, self.today), 10, 30)
        if contact_at > self.now or contact_at <= reported_at:
            return asb_case
        services.record_contact(
            asb_case=asb_case,
            officer=officer,
            with_whom="reporter",
            method="phone",
            report=report,
            note="Talked through what has been happening and agreed next steps.",
            made_at=contact_at,
        )
        self._backdate(case, contact_at)
        for what, due_in, done in story.actions:
            due_on = add_working_days(contact_day, due_in)
            action = services.add_action(
                asb_case=asb_case, officer=officer, description=what, owner=officer, due_on=due_on
            )
            if done and due_on <= self.today:
                services.complete_action(action=action, officer=officer, completed_on=due_on)
            self._backdate(case, contact_at)
        if story.update:
            update_at = self._at(min(add_working_days(contact_day, 5), self.today), 15)
            services.send_update(asb_case=asb_case, officer=officer, message=story.update)
            self._backdate(case, min(update_at, self.now))
        if not story.outcome and story.days_ago > 10:
            self._review(asb_case, officer, "Checked in with the reporter; the plan is on track.")
        if story.outcome:
            close_on = min(add_working_days(contact_day, 25), subtract_working_days(self.today, 1))
            services.close_case(
                asb_case=asb_case,
                officer=officer,
                outcome=story.outcome,
                note_to_reporters=story.closing_note,
            )
            self._backdate(
                case, min(max(self._at(close_on, 16), contact_at + timedelta(hours=1)), self.now)
            )
        return asb_case

    def _tenant_story(self, tenant: Resident, estates) -> None:
        """The demo tenant reports intimidation by a neighbour; a neighbour's report about the same
        man joins it; Priya assesses the risk, makes a plan and keeps the tenant informed."""
        reported_on = subtract_working_days(self.today, 12)
        reported_at = self._at(reported_on, 20, 15)
        tenancy = tenant.tenancies.filter(end_date__isnull=True).select_related("home").first()
        officer = patch_officer_for(tenancy.home if tenancy else None) or self._officer_for_any()
        report = services.make_report(
            reporter=tenant,
            category="verbal_abuse",
            what_happened=(
                "The man from number 22 stands outside my gate and swears at me and my children when we come "
                "home. Last night he kicked our bin over and said we would regret complaining about his dog."
            ),
            where="Outside my home, Hollybank Road",
            happened_on=reported_on,
            happened_at_time="about 7pm",
            is_ongoing=True,
            people=[
                _alleged(
                    name="Wayne Carter",
                    description="White man, 50s, shaved head",
                    address="22 Hollybank Road",
                )
            ],
            risk_answers={
                "fear_of_harm": False,
                "repeated": True,
                "children": True,
                "health": True,
            },
            reported_at=reported_at,
            submission_token=MARKER,
        )
        asb_case = report.asb_case
        case = asb_case.case
        self._backdate(case, reported_at)

        neighbour_at = self._at(add_working_days(reported_on, 1), 9, 40)
        neighbour = self._reporter(estates["Hollybank"])
        joined = services.make_report(
            reporter=neighbour,
            category="verbal_abuse",
            what_happened="The man at 22 Hollybank Road shouted at my elderly mother and frightened her.",
            where="Hollybank Road",
            happened_on=reported_on,
            people=[_alleged(address="22 hollybank road")],
            risk_answers={"vulnerable": True, "fear_of_harm": True},
            channel=CaseChannel.PHONE,
            reported_at=neighbour_at,
        )
        self._backdate(case, neighbour_at)

        first_contact = self._at(add_working_days(reported_on, 1), 11, 0)
        services.record_contact(
            asb_case=asb_case,
            officer=officer,
            with_whom="reporter",
            method="phone",
            report=report,
            note="Spoke with Ms Hussain; she keeps a diary of incidents.",
            made_at=first_contact,
        )
        self._backdate(case, first_contact)
        services.record_contact(
            asb_case=asb_case,
            officer=officer,
            with_whom="reporter",
            method="visit",
            report=joined,
            made_at=self._at(add_working_days(reported_on, 1), 14, 0),
        )
        self._backdate(case, self._at(add_working_days(reported_on, 1), 14, 0))
        services.record_risk_assessment(
            asb_case=asb_case,
            officer=officer,
            answers={"fear_of_harm": True, "repeated": True, "children": True, "vulnerable": True},
            notes="Two households affected, one with an elderly resident. Threat of retaliation made.",
        )
        services.add_incident(
            asb_case=asb_case,
            officer=officer,
            happened_on=add_working_days(reported_on, 3),
            what_happened="Neighbour reported shouting in the street at 11pm; caught on the doorbell camera.",
            where="Hollybank Road",
        )
        plan_day = add_working_days(reported_on, 2)
        done = services.add_action(
            asb_case=asb_case,
            officer=officer,
            description="Visit Wayne Carter and give a verbal warning",
            owner=officer,
            due_on=add_working_days(plan_day, 3),
        )
        services.complete_action(
            action=done, officer=officer, completed_on=add_working_days(plan_day, 2)
        )
        services.add_action(
            asb_case=asb_case,
            officer=officer,
            description="Offer both households mediation",
            owner=officer,
            due_on=add_working_days(self.today, 4),
        )
        services.add_action(
            asb_case=asb_case,
            officer=officer,
            description="Review the doorbell camera footage with the police",
            owner=officer,
            due_on=add_working_days(self.today, 8),
        )
        self._backdate(case, self._at(plan_day, 12))
        services.send_update(
            asb_case=asb_case,
            officer=officer,
            report=report,
            message=(
                "I visited your neighbour and gave him a verbal warning about his behaviour. Please keep "
                "noting down anything that happens, with dates and times, and call 999 if you feel in danger."
            ),
        )
        self._backdate(case, self._at(add_working_days(plan_day, 2), 16, 30))
        self._review(
            asb_case,
            officer,
            "Warning given; no new incidents reported since. Mediation offered next.",
        )

    def _review(self, asb_case: AsbCase, officer: Officer, note: str) -> None:
        """A review yesterday, so the next one falls due as the risk level says from now."""
        services.record_review(asb_case=asb_case, officer=officer, note=note)
        self._backdate(asb_case.case, self._at(subtract_working_days(self.today, 1), 15))

    def _officer_for_any(self) -> Officer:
        officer = (
            Officer.objects.filter(role=OfficerRole.OFFICER, is_active=True).order_by("pk").first()
        )
        if officer is None:
            raise DemoMissing(
                "There is no housing officer: run `python manage.py load_demo` first."
            )
        return officer


def load(*, now: datetime | None = None) -> dict:
    return Loader(now=now).load()
