"""Resident voice for the demo landlord (after `load_demo`): panels of every kind with members, past
and upcoming meetings with papers and minutes, a published scrutiny review with the landlord's
responses, a review in progress, an open consultation the demo tenant can answer, a closed one with
its results and what changed, and "you said, we did" entries.

The demo tenant (tenant@example.com) sits on the tenant and leaseholder forum but is NOT on the
scrutiny panel, so they can apply to it. Everything goes through the services, then the times the
services stamped are moved back to when they happened in the story. Safe to run again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from engagement import selectors, services
from engagement.models import (
    SCALE_ANSWERS,
    ChangeSource,
    Consultation,
    ConsultationAudience,
    Meeting,
    MembershipEndReason,
    MembershipStatus,
    Panel,
    PanelKind,
    PanelMembership,
    QuestionKind,
    ResponseChannel,
    ResponseDecision,
    Rsvp,
    SupportNeed,
)
from portal.extensions import live_measures
from portal.models import Officer, OfficerRole, Resident, Tenure
from portal.workdays import LONDON

TENANT_EMAIL = "tenant@example.com"
LEASEHOLDER_EMAIL = "leaseholder@example.com"
MARKER_SLUG = "resident-scrutiny-panel"
SEED = 2026


class DemoMissing(Exception):
    """What this demo needs from the portal's demo is not there."""


def already_loaded() -> bool:
    return Panel.objects.filter(slug=MARKER_SLUG).exists()


def _pdf(title: str) -> SimpleUploadedFile:
    """A small, valid one-page PDF with the title on it."""
    text = title.replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return SimpleUploadedFile(f"{slug}.pdf", bytes(out), content_type="application/pdf")


@dataclass(frozen=True)
class PanelPlan:
    slug: str
    name: str
    kind: str
    theme: str
    purpose: str
    what_members_do: str
    time_commitment: str
    tenures: tuple = ()
    roles: tuple = ()
    members: int = 5
    recruiting: bool = True
    term_months: int = 24


CLOSED_PANEL = PanelPlan(
    slug="green-spaces-panel",
    name="Green spaces panel",
    kind=PanelKind.ENGAGEMENT,
    theme="Gardens and green spaces",
    purpose="Residents check the grounds maintenance contract and plan estate planting.",
    what_members_do="Walk the estates with the contractor and score the work each quarter.",
    time_commitment="A walkabout every 3 months",
    members=3,
)

PANELS = (
    PanelPlan(
        MARKER_SLUG,
        "Resident Scrutiny Panel",
        PanelKind.SCRUTINY,
        "",
        "Residents who look closely at one of our services at a time, using our own figures, and tell the board what to change.",
        "Choose a service to review, ask us for evidence, read it, talk to staff and other residents, then write findings "
        "and recommendations. We must answer every recommendation and say what we will do and by when.",
        "About 4 hours a month: a 2-hour meeting and some reading",
        members=6,
    ),
    PanelPlan(
        "repairs-engagement-panel",
        "Repairs Engagement Panel",
        PanelKind.ENGAGEMENT,
        "Repairs",
        "Residents who help shape the repairs service and check our contractors keep their promises.",
        "Look at repairs figures every quarter, follow a contract, mystery-shop the repairs line, and test new letters "
        "and texts before they go out.",
        "A 90-minute meeting every 2 months",
        tenures=(Tenure.SOCIAL_RENT, Tenure.SHARED_OWNERSHIP),
        roles=("Repairs contract", "Heating contract"),
    ),
    PanelPlan(
        "safer-neighbourhoods-panel",
        "Safer Neighbourhoods Panel",
        PanelKind.ENGAGEMENT,
        "Anti-social behaviour",
        "Residents who help us tackle anti-social behaviour and make estates feel safer.",
        "Review how we handle reports of anti-social behaviour, join estate safety walks, and suggest where CCTV, "
        "lighting or youth activities would help.",
        "A 90-minute meeting every 2 months, online or in person",
        members=4,
    ),
    PanelPlan(
        "tenant-and-leaseholder-forum",
        "Tenant and Leaseholder Forum",
        PanelKind.FORUM,
        "",
        "The place where any resident can raise what matters on their estate and hear from senior staff.",
        "Come to forum meetings, bring issues from your neighbours, and vote on the forum's priorities for the year.",
        "A 2-hour evening meeting every quarter",
        roles=("Grounds maintenance", "Estate cleaning"),
        members=8,
    ),
    PanelPlan(
        "housing-advisory-board",
        "Housing Advisory Board",
        PanelKind.ADVISORY_BOARD,
        "",
        "Councillors, residents and senior officers advising on housing strategy, budgets and performance.",
        "Read the quarterly performance report and budget papers, question senior officers, and advise on new strategies.",
        "A 2-hour meeting every quarter, plus reading",
        members=3,
        recruiting=False,
        term_months=36,
    ),
    PanelPlan(
        "customer-committee",
        "Customer Committee",
        PanelKind.CUSTOMER_COMMITTEE,
        "",
        "A committee of the board that makes sure residents' experience drives decisions.",
        "Review complaints and satisfaction results, hear from the scrutiny panel, and report to the board.",
        "A 2-hour meeting every 2 months",
        roles=("Allocations", "Complaints"),
        members=4,
    ),
    PanelPlan(
        "leaseholder-panel",
        "Leaseholder Panel",
        PanelKind.ENGAGEMENT,
        "Service charges",
        "Leaseholders who check service charges and major works consultation.",
        "Go through the service charge accounts each year, and help us explain major works and their costs clearly.",
        "Three meetings a year",
        tenures=(Tenure.LEASEHOLD,),
        members=3,
    ),
)

WHY = (
    "I have lived on the estate for years and want to help make things better for my neighbours.",
    "I work in building maintenance and think I could help check the repairs contractors.",
    "I want to make sure younger residents have a say.",
    "I had a bad experience with a repair and want to help make sure it does not happen to others.",
    "I am retired and have time to give back to the community.",
)


class Loader:
    def __init__(self, *, now=None):
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)
        self.rng = random.Random(SEED)

    def at(self, days: int, hour: int = 18, minute: int = 30) -> datetime:
        return datetime.combine(
            self.today + timedelta(days=days), time(hour, minute), tzinfo=LONDON
        )

    def people(self):
        self.tenant = Resident.objects.filter(user__email=TENANT_EMAIL).first()
        if self.tenant is None:
            raise DemoMissing(
                f"There is no demo tenant ({TENANT_EMAIL}): run `python manage.py load_demo` first."
            )
        self.leaseholder = Resident.objects.filter(user__email=LEASEHOLDER_EMAIL).first()
        officers = Officer.objects.filter(is_active=True)
        self.manager = officers.filter(role=OfficerRole.MANAGER).order_by("pk").first()
        self.officer = (
            officers.filter(role=OfficerRole.OFFICER).order_by("pk").first() or self.manager
        )
        if self.manager is None:
            raise DemoMissing(
                "There is no manager to publish with: run `python manage.py load_demo` first."
            )
        # Residents with a current home and no sign-in: the demo's panel members and respondents.
        self.pool = list(
            Resident.objects.filter(tenancies__end_date__isnull=True, user__isnull=True)
            .exclude(pk__in=[self.tenant.pk, getattr(self.leaseholder, "pk", 0)])
            .distinct()
            .order_by("pk")[:400]
        )
        self.rng.shuffle(self.pool)
        leaseholder_ids = set(
            Resident.objects.filter(
                pk__in=[r.pk for r in self.pool],
                tenancies__end_date__isnull=True,
                tenancies__home__tenure=Tenure.LEASEHOLD,
            ).values_list("pk", flat=True)
        )
        self.leaseholders = [r for r in self.pool if r.pk in leaseholder_ids][:10]

    @transaction.atomic
    def load(self) -> dict:
        self.people()
        panels = {plan.slug: self.panel(plan) for plan in PANELS}
        self.meetings(panels)
        self.ended_membership(panels[MARKER_SLUG])
        self.closed_panel()
        published = self.published_review(panels[MARKER_SLUG])
        self.review_in_progress(panels["safer-neighbourhoods-panel"])
        self.open_consultation()
        self.closed_consultation()
        self.changes(published, panels)
        return {
            "panels": len(panels),
            "members": PanelMembership.objects.filter(status=MembershipStatus.MEMBER).count(),
        }

    # -- panels and members -----------------------------------------------------------------------------

    def panel(self, plan: PanelPlan) -> Panel:
        panel = services.save_panel(
            panel=Panel(
                slug=plan.slug,
                name=plan.name,
                kind=plan.kind,
                theme=plan.theme,
                purpose=plan.purpose,
                what_members_do=plan.what_members_do,
                time_commitment=plan.time_commitment,
                open_to_tenures=list(plan.tenures),
                is_recruiting=True,
                term_months=plan.term_months,
            ),
            officer=self.manager,
            roles=list(plan.roles),
        )
        candidates = self.leaseholders if plan.tenures == (Tenure.LEASEHOLD,) else self.pool
        roles = list(panel.portfolio_roles.all())
        chosen = list(candidates)
        self.rng.shuffle(chosen)
        added = 0
        for resident in chosen:
            if added >= plan.members:
                break
            if not selectors.may_join(panel, resident) or selectors.live_membership(
                panel, resident
            ):
                continue
            self.member(
                panel,
                resident,
                role=roles[added] if added < len(roles) else None,
                months_ago=3 + added * 2,
            )
            added += 1
        if plan.kind == PanelKind.FORUM:
            self.member(panel, self.tenant, role=roles[1] if len(roles) > 1 else None, months_ago=8)
            if self.leaseholder:
                self.member(panel, self.leaseholder, role=None, months_ago=14)
        if plan.slug == "leaseholder-panel" and self.leaseholder:
            self.member(panel, self.leaseholder, role=None, months_ago=20)
        if plan.kind == PanelKind.SCRUTINY:
            # Two applications waiting for a decision, so staff have something to decide.
            waiting = [r for r in self.pool if not selectors.live_membership(panel, r)][:2]
            for n, resident in enumerate(waiting):
                membership = services.apply_to_panel(
                    panel=panel,
                    resident=resident,
                    why=WHY[n],
                    availability="Weekday evenings",
                    support_needs=[SupportNeed.TRANSPORT]
                    if n == 0
                    else [SupportNeed.CHILDCARE, SupportNeed.LARGE_PRINT],
                )
                PanelMembership.objects.filter(pk=membership.pk).update(
                    applied_at=self.now - timedelta(days=3 + n * 4)
                )
        if not plan.recruiting:
            # Full for now: its members were recruited when it was.
            panel.is_recruiting = False
            panel.save(update_fields=["is_recruiting"])
        return panel

    def ended_membership(self, panel):
        """A member who moved off the patch, so staff see a past member with the reason."""
        membership = (
            selectors.current_memberships()
            .filter(panel=panel)
            .exclude(resident__in=[r for r in (self.tenant, self.leaseholder) if r])
            .order_by("pk")
            .last()
        )
        if membership is None:
            return
        services.end_membership(
            membership=membership,
            officer=self.officer,
            reason=MembershipEndReason.MOVED_AWAY,
            message=(
                "Now that you have moved, you are no longer eligible to sit on the panel. Thank "
                "you for everything you did on it, especially the review of repairs call-backs."
            ),
            note="Transferred to a housing association home outside Millbrook.",
        )

    def closed_panel(self):
        """A panel a manager closed: gone from Get involved, waiting to be reopened."""
        panel = self.panel(CLOSED_PANEL)
        services.close_panel(
            panel=panel,
            officer=self.manager,
            message=(
                "The garden and green spaces panel is closing while we retender the grounds "
                "maintenance contract. We will ask for members again when the new contract "
                "starts. You can still tell us about your estate's green spaces on a walkabout."
            ),
        )

    def member(self, panel, resident, *, role, months_ago):
        membership = services.apply_to_panel(
            panel=panel,
            resident=resident,
            why=self.rng.choice(WHY),
            interests=self.rng.choice(
                ["Repairs", "Estate cleaning", "Anti-social behaviour", "Complaints", "Rents"]
            ),
            availability=self.rng.choice(["Evenings", "Weekday daytimes", "Any time with notice"]),
            support_needs=self.rng.choice(
                [[], [], [SupportNeed.TRANSPORT], [SupportNeed.INTERPRETER], [SupportNeed.ONLINE]]
            ),
        )
        services.decide_application(
            membership=membership,
            officer=self.officer,
            accept=True,
            message="Welcome to the panel. We will send you the papers a week before each meeting.",
            portfolio_role=role,
        )
        start = self.today - timedelta(days=30 * months_ago)
        PanelMembership.objects.filter(pk=membership.pk).update(
            applied_at=self.now - timedelta(days=30 * months_ago + 10),
            decided_at=self.now - timedelta(days=30 * months_ago),
            term_starts_on=start,
            term_ends_on=services._add_months(start, panel.term_months) - timedelta(days=1),
        )

    # -- meetings --------------------------------------------------------------------------------------

    def meetings(self, panels):
        places = [
            "Hollybank Community Centre, Room 2",
            "Millbrook Civic Centre",
            "Riverside Library meeting room",
        ]
        for n, panel in enumerate(panels.values()):
            # History: the papers went out before the meeting, so the meeting is made upcoming,
            # given its paper, then moved to the date it was held.
            past = Meeting.objects.create(
                panel=panel,
                title="Regular meeting",
                starts_at=self.at(1),
                place=places[n % 3],
                online_link="https://meet.example/millbrook-" + panel.slug,
                agenda="Welcome and apologies\nMinutes of the last meeting\nPerformance update\nAny other business",
            )
            services.add_meeting_paper(
                meeting=past,
                officer=self.officer,
                title="Performance update",
                uploaded=_pdf(f"{panel.name} performance update"),
            )
            past.starts_at = self.at(-21 - n * 3)
            past.ends_at = self.at(-21 - n * 3, 20, 30)
            past.save(update_fields=["starts_at", "ends_at"])
            services.publish_minutes(
                meeting=past,
                officer=self.officer,
                minutes=(
                    "Present: members of the panel and officers.\n\n"
                    "1. The panel reviewed the quarter's figures. Repairs on time improved; call-backs were still late.\n"
                    "2. Members asked for the evidence on call-backs for the next meeting.\n"
                    "3. Date of next meeting agreed."
                ),
            )
            upcoming = services.schedule_meeting(
                panel=panel,
                officer=self.officer,
                title="Regular meeting" if n else "Review planning meeting",
                starts_at=self.at(9 + n * 2),
                ends_at=self.at(9 + n * 2, 20, 30),
                place=places[(n + 1) % 3],
                online_link="https://meet.example/millbrook-" + panel.slug,
                agenda="Welcome and apologies\nMinutes of the last meeting\nUpdate on the current review\nTraining: reading performance figures\nAny other business",
            )
            services.add_meeting_paper(
                meeting=upcoming,
                officer=self.officer,
                title="Agenda pack",
                uploaded=_pdf(f"{panel.name} agenda pack"),
            )
            members = list(
                selectors.current_memberships().filter(panel=panel).select_related("resident")
            )
            for k, membership in enumerate(members):
                if membership.resident_id == self.tenant.pk:
                    continue  # left for the demo tenant to answer
                if k % 3 != 2:
                    services.reply_to_meeting(
                        meeting=upcoming,
                        resident=membership.resident,
                        rsvp=Rsvp.ATTENDING if k % 3 == 0 else Rsvp.MAYBE,
                    )
            services.record_attendance(
                meeting=past,
                officer=self.officer,
                present_resident_ids=[m.resident_id for k, m in enumerate(members) if k % 4 != 3],
            )

    # -- scrutiny ------------------------------------------------------------------------------------------

    def published_review(self, panel) -> object:
        review = services.open_review(
            panel=panel,
            officer=self.officer,
            title="Keeping residents informed about repair appointments",
            service="Repairs",
            scope="How we book repair appointments, tell residents when they change, and keep them. Not in scope: "
            "planned works and gas servicing.",
            questions="How many appointments are kept?\nAre residents told in good time when an appointment changes?\n"
            "Do residents get the call-backs they are promised?",
            starts_on=self.today - timedelta(days=200),
            report_due_on=self.today - timedelta(days=80),
            timetable="Month 1: scope and evidence requests\nMonths 2 and 3: evidence, interviews, mystery shopping\n"
            "Month 4: findings and recommendations",
        )
        request = services.ask_for_evidence(
            review=review, asked="Appointment figures for the last six months, by contractor"
        )
        services.add_document_evidence(
            review=review,
            officer=self.officer,
            title="Appointments kept by contractor, April to September",
            uploaded=_pdf("Appointments kept by contractor"),
            request=request,
            notes="From the repairs system. Evening appointments started in July.",
        )
        # Up to two of the charter's live figures, for the half year before the review reported,
        # skipping any with nothing to count in the demo's records.
        start, end = self.today - timedelta(days=270), self.today - timedelta(days=90)
        cited = 0
        for measure in live_measures():
            if cited == 2 or not measure.compute(start, end).total:
                continue
            services.add_figure_evidence(
                review=review,
                officer=self.officer,
                measure_key=measure.key,
                period_start=start,
                period_end=end,
            )
            cited += 1
        review.evidence.update(added_at=self.now - timedelta(days=150))
        services.record_findings(
            review=review,
            officer=self.officer,
            findings="Most appointments are kept, but when one changes residents are often told on the day, by a "
            "missed call. Residents who asked for a call-back did not always get one within a working day. "
            "Letters confirming appointments use jargon.",
            summary="The panel found most repair appointments are kept, but residents are told too late when they change. "
            "We accepted two of its three recommendations in full.",
        )
        texts = [
            "Text residents the day before every repair appointment, and again if it changes.",
            "Make every call-back promised within one working day, and report how many are kept each month.",
            "Give every resident a two-hour appointment slot.",
        ]
        recommendations = [
            services.add_recommendation(review=review, officer=self.officer, text=t) for t in texts
        ]
        services.send_recommendations(review=review, officer=self.officer)
        decisions = [
            (
                ResponseDecision.ACCEPTED,
                "We agree. Reminder texts are cheap and residents told us they want them.",
            ),
            (
                ResponseDecision.PARTLY_ACCEPTED,
                "We accept the call-back promise. We will publish the figure quarterly, not monthly, in our performance report.",
            ),
            (
                ResponseDecision.NOT_ACCEPTED,
                "Our contractors cannot give two-hour slots across the whole area without "
                "raising costs for everyone. We now offer evening and school-run slots instead.",
            ),
        ]
        for recommendation, (decision, reasons) in zip(recommendations, decisions, strict=True):
            services.respond_to_recommendation(
                recommendation=recommendation,
                officer=self.manager,
                decision=decision,
                reasons=reasons,
            )
        done = services.add_action(
            recommendation=recommendations[0],
            officer=self.manager,
            description="Turn on appointment reminder texts for all contractors",
            due_on=self.today - timedelta(days=30),
        )
        services.complete_action(action=done, officer=self.manager, note="Live since the summer.")
        type(done).objects.filter(pk=done.pk).update(done_on=self.today - timedelta(days=35))
        services.add_action(
            recommendation=recommendations[1],
            officer=self.manager,
            description="Add call-backs kept to the quarterly performance report",
            due_on=self.today + timedelta(days=45),
        )
        services.publish_review(review=review, officer=self.manager)
        type(review).objects.filter(pk=review.pk).update(published_at=self.now - timedelta(days=60))
        review.refresh_from_db()
        return review

    def review_in_progress(self, panel):
        review = services.open_review(
            panel=panel,
            officer=self.officer,
            title="How we handle reports of anti-social behaviour",
            service="Anti-social behaviour",
            scope="From the first report to closing the case: how quickly we respond, how we keep the person "
            "reporting informed, and how we work with the police.",
            questions="Do we contact the person reporting within our target?\nDo they know what is happening with their case?\n"
            "Are cases closed with their agreement?",
            starts_on=self.today - timedelta(days=40),
            report_due_on=self.today + timedelta(days=80),
            timetable="Evidence until the end of next month, then interviews with officers and residents.",
        )
        answered = services.ask_for_evidence(
            review=review, asked="Our anti-social behaviour policy and procedure"
        )
        services.add_document_evidence(
            review=review,
            officer=self.officer,
            title="Anti-social behaviour policy",
            uploaded=_pdf("ASB policy"),
            request=answered,
        )
        services.ask_for_evidence(
            review=review,
            asked="How many cases were closed in the last year, and how many with the reporter's agreement",
        )
        # Moved back to when they happened in the story.
        review.evidence_requests.filter(pk=answered.pk).update(
            asked_at=self.now - timedelta(days=35), answered_at=self.now - timedelta(days=28)
        )
        review.evidence_requests.exclude(pk=answered.pk).update(
            asked_at=self.now - timedelta(days=6)
        )
        review.evidence.update(added_at=self.now - timedelta(days=28))
        return review

    # -- consultations ------------------------------------------------------------------------------------

    def open_consultation(self):
        consultation = services.save_consultation(
            consultation=Consultation(
                title="Our draft tenant charter",
                summary="We have written a draft charter with the Tenant and Leaseholder Forum: what we promise you "
                "(Voice, Respect, Communication, Safety, Services, Resolution, Accountability) and what we ask of you "
                "in return. Before the board agrees it, we want to know what you think.",
                opens_at=self.now - timedelta(days=10),
                closes_at=self.at(21, 23, 59),
                audience=ConsultationAudience.EVERYONE,
            ),
            officer=self.manager,
            uploaded=_pdf("Draft tenant charter"),
        )
        q1 = services.add_question(
            consultation=consultation,
            officer=self.manager,
            kind=QuestionKind.SCALE,
            required=True,
            text="The draft charter covers what matters most to me",
        )
        q2 = services.add_question(
            consultation=consultation,
            officer=self.manager,
            kind=QuestionKind.CHOICE,
            text="Which promise matters most to you?",
            choices=["Safety", "Repairs and services", "Communication", "Being listened to"],
        )
        q3 = services.add_question(
            consultation=consultation,
            officer=self.manager,
            kind=QuestionKind.TEXT,
            text="What would you add or change?",
            hint="Please do not include anyone's name or address.",
        )
        comments = [
            "Add a promise about how fast you fix lifts.",
            "Say what happens if you break a promise.",
            "",
            "",
        ]
        for n, resident in enumerate(self.pool[:12]):
            services.submit_response(
                consultation=consultation,
                resident=resident,
                now=self.now - timedelta(days=9 - n % 9),
                answers={
                    q1.pk: SCALE_ANSWERS[[0, 1, 1, 0, 1, 2, 1, 3, 0, 1, 1, 2][n]],
                    q2.pk: q2.options[[0, 1, 0, 3, 1, 0, 2, 0, 1, 3, 0, 1][n]],
                    q3.pk: comments[n % 4],
                },
            )
        return consultation

    def closed_consultation(self):
        opens = self.now - timedelta(days=120)
        consultation = services.save_consultation(
            consultation=Consultation(
                title="Estate cleaning standards",
                summary="We proposed new cleaning standards for stairwells, bin stores and communal areas, with photos "
                "of what good looks like and how often each area is cleaned.",
                opens_at=opens,
                closes_at=opens + timedelta(days=42),
                audience=ConsultationAudience.EVERYONE,
            ),
            officer=self.manager,
        )
        q1 = services.add_question(
            consultation=consultation,
            officer=self.manager,
            kind=QuestionKind.SCALE,
            required=True,
            text="The proposed standards are clear",
        )
        q2 = services.add_question(
            consultation=consultation,
            officer=self.manager,
            kind=QuestionKind.CHOICE,
            text="How often should bin stores be cleaned?",
            choices=["Weekly", "Every two weeks", "Monthly"],
        )
        q3 = services.add_question(
            consultation=consultation,
            officer=self.manager,
            kind=QuestionKind.TEXT,
            text="Any other comments?",
        )
        comments = [
            "Bin stores smell in summer: weekly please.",
            "Photos of what good looks like are really helpful.",
            "Please tell us the day the cleaners come.",
            "",
            "",
            "My neighbour at number 12 leaves rubbish out.",
        ]
        weights = ["Weekly"] * 5 + ["Every two weeks"] * 3 + ["Monthly"]
        for n, resident in enumerate(self.pool[12:52]):
            services.submit_response(
                consultation=consultation,
                resident=resident,
                now=opens + timedelta(days=1 + n % 40),
                channel=ResponseChannel.WEB if n % 5 else ResponseChannel.PAPER,
                entered_by=None if n % 5 else self.officer,
                answers={
                    q1.pk: SCALE_ANSWERS[[0, 1, 1, 1, 2, 3][n % 6]],
                    q2.pk: weights[n % len(weights)],
                    q3.pk: comments[n % 6],
                },
            )
        for answer in q3.answers.all():
            services.moderate_comment(
                answer=answer, officer=self.officer, approve="number 12" not in answer.text
            )
        services.publish_results(
            consultation=consultation,
            officer=self.manager,
            results_summary="40 residents answered. Most found the standards clear, and most want bin stores cleaned every week.",
        )
        services.publish_outcome(
            consultation=consultation,
            officer=self.manager,
            you_told_us="You said the standards were clear, but bin stores need cleaning every week, and you want to know when the cleaners come.",
            we_changed="Bin stores are now cleaned weekly from April to September. Each block's noticeboard shows its cleaning day.",
        )
        Consultation.objects.filter(pk=consultation.pk).update(
            results_published_at=opens + timedelta(days=56),
            outcome_published_at=opens + timedelta(days=70),
        )
        consultation.changes.update(
            made_on=timezone.localdate(opens + timedelta(days=70)),
            published_at=opens + timedelta(days=70),
        )
        return consultation

    # -- you said, we did -------------------------------------------------------------------------------

    def changes(self, review, panels):
        entries = [
            (
                ChangeSource.SCRUTINY,
                {"review": review},
                "Residents were told too late when a repair appointment changed.",
                "We now text you the day before every appointment, and again if it changes.",
                40,
            ),
            (
                ChangeSource.SCRUTINY,
                {"review": review},
                "Call-backs were not always made within a working day.",
                "Every call-back now has a deadline in our case queue, and we publish how many we keep.",
                20,
            ),
            (
                ChangeSource.PANEL,
                {"panel": panels["tenant-and-leaseholder-forum"]},
                "The forum said estate noticeboards were out of date.",
                "Housing officers now update every noticeboard on their monthly estate walk.",
                95,
            ),
            (
                ChangeSource.PANEL,
                {"panel": panels["repairs-engagement-panel"]},
                "The panel found our repair letters full of jargon.",
                "We rewrote them with the panel; they now say who is coming, when, and what to do if you cannot be in.",
                130,
            ),
        ]
        for source, link, said, did, days_ago in entries:
            services.record_change(
                officer=self.manager,
                source=source,
                you_said=said,
                we_did=did,
                made_on=self.today - timedelta(days=days_ago),
                publish=True,
                **link,
            )


def load(now=None) -> dict:
    return Loader(now=now).load()
