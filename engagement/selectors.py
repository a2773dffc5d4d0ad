"""Reads that several pages (and other apps) share. Other helpers rely on the first four."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from engagement.models import (
    ChangeEntry,
    Consultation,
    ConsultationAnswer,
    ConsultationAudience,
    ConsultationResponse,
    Meeting,
    MeetingAttendance,
    MembershipStatus,
    Moderation,
    Panel,
    PanelMembership,
    QuestionKind,
    Recommendation,
    RecommendationAction,
    ScrutinyReview,
)
from portal import charts
from portal.models import Estate, Home, Resident, Tenancy, Tenure
from portal.workdays import LONDON


def _today() -> date:
    return timezone.localdate()


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def current_members_q(prefix: str = "") -> Q:
    """A membership that is accepted and whose term has not ended."""
    return Q(**{f"{prefix}status": MembershipStatus.MEMBER}) & (
        Q(**{f"{prefix}term_ends_on__isnull": True}) | Q(**{f"{prefix}term_ends_on__gte": _today()})
    )


def current_memberships() -> QuerySet[PanelMembership]:
    return PanelMembership.objects.filter(current_members_q())


# -- the contract other apps rely on ---------------------------------------------------------------------------


def is_active_panel_member(resident) -> bool:
    """A current member of any panel."""
    if resident is None:
        return False
    return current_memberships().filter(resident=resident, panel__is_active=True).exists()


def is_member_of_panel_kind(resident, kind: str) -> bool:
    """A current member of a panel of this kind: scrutiny, engagement, forum, advisory_board,
    customer_committee."""
    if resident is None:
        return False
    return (
        current_memberships()
        .filter(resident=resident, panel__kind=kind, panel__is_active=True)
        .exists()
    )


def published_reviews_between(start: date, end: date) -> QuerySet[ScrutinyReview]:
    """Scrutiny reviews published in the period (dates inclusive, London), with their
    recommendations, the landlord's responses and the actions prefetched."""
    return (
        ScrutinyReview.objects.filter(
            published_at__gte=_start_of(start), published_at__lt=_start_of(end + timedelta(days=1))
        )
        .select_related("panel")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.prefetch_related(
                    Prefetch(
                        "actions", queryset=RecommendationAction.objects.select_related("owner")
                    )
                ),
            )
        )
        .order_by("published_at")
    )


def consultation_outcomes_between(start: date, end: date) -> QuerySet[Consultation]:
    """Consultations whose "what you told us and what we changed" was published in the period."""
    return Consultation.objects.filter(
        outcome_published_at__gte=_start_of(start),
        outcome_published_at__lt=_start_of(end + timedelta(days=1)),
    ).order_by("outcome_published_at")


# -- who may take part ---------------------------------------------------------------------------------------


def current_homes(resident) -> QuerySet[Home]:
    return Home.objects.filter(
        tenancies__residents=resident, tenancies__end_date__isnull=True
    ).distinct()


def may_join(panel: Panel, resident) -> bool:
    """Whether one of the resident's current homes is of a tenure and on an estate the panel is
    open to (both on the same home)."""
    homes = current_homes(resident)
    if panel.open_to_tenures:
        homes = homes.filter(tenure__in=panel.open_to_tenures)
    if panel.open_to_estates.exists():
        homes = homes.filter(estate__in=panel.open_to_estates.all())
    return homes.exists()


def may_answer(consultation: Consultation, resident) -> bool:
    homes = current_homes(resident)
    if consultation.audience == ConsultationAudience.TENURE:
        homes = homes.filter(tenure=consultation.audience_tenure)
    elif consultation.audience == ConsultationAudience.ESTATE:
        homes = homes.filter(estate_id=consultation.audience_estate_id)
    return homes.exists()


def residents_asked(consultation: Consultation) -> QuerySet[Resident]:
    """Everyone a consultation asks: residents on a current tenancy of a home in its audience."""
    tenancies = Tenancy.objects.filter(end_date__isnull=True)
    if consultation.audience == ConsultationAudience.TENURE:
        tenancies = tenancies.filter(home__tenure=consultation.audience_tenure)
    elif consultation.audience == ConsultationAudience.ESTATE:
        tenancies = tenancies.filter(home__estate_id=consultation.audience_estate_id)
    return Resident.objects.filter(pk__in=tenancies.values("residents"))


def consultations_for_resident_q(resident) -> Q:
    """Consultations asked of this resident's homes, as one condition (no query per row)."""
    homes = current_homes(resident)
    return (
        Q(audience=ConsultationAudience.EVERYONE)
        | Q(audience=ConsultationAudience.TENURE, audience_tenure__in=homes.values("tenure"))
        | Q(audience=ConsultationAudience.ESTATE, audience_estate__in=homes.values("estate"))
    )


# -- panels ---------------------------------------------------------------------------------------------------


def panels_to_join() -> QuerySet[Panel]:
    return (
        Panel.objects.filter(is_active=True)
        .annotate(member_count=Count("memberships", filter=current_members_q("memberships__")))
        .prefetch_related("open_to_estates", "portfolio_roles")
    )


def live_membership(panel: Panel, resident) -> PanelMembership | None:
    return PanelMembership.objects.filter(
        panel=panel, resident=resident, status__in=MembershipStatus.live()
    ).first()


def resident_memberships(resident) -> QuerySet[PanelMembership]:
    return (
        PanelMembership.objects.filter(resident=resident)
        .select_related("panel", "portfolio_role")
        .order_by("-applied_at")
    )


def upcoming_meetings_for(resident, *, limit: int | None = None) -> list[Meeting]:
    """The next meetings of the panels the resident is a current member of, with their reply."""
    panels = current_memberships().filter(resident=resident).values("panel")
    meetings = (
        Meeting.objects.filter(
            panel__in=panels, starts_at__gte=timezone.now(), cancelled_at__isnull=True
        )
        .select_related("panel")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=MeetingAttendance.objects.filter(resident=resident),
                to_attr="my_reply",
            )
        )
        .order_by("starts_at")
    )
    return list(meetings[:limit] if limit else meetings)


def meeting_for_member(pk: int, resident) -> Meeting | None:
    """A meeting of a panel the resident belongs to now, or belonged to when it happened."""
    meeting = Meeting.objects.filter(pk=pk).select_related("panel").first()
    if meeting is None:
        return None
    # A current member sees every meeting of the panel; someone who has left, only the meetings
    # held while they were on it (their papers and minutes are theirs to keep).
    current = current_memberships().filter(panel_id=meeting.panel_id, resident=resident)
    former = PanelMembership.objects.filter(
        panel_id=meeting.panel_id,
        resident=resident,
        status__in=[MembershipStatus.LEFT, MembershipStatus.ENDED],
        term_starts_on__lte=timezone.localtime(meeting.starts_at).date(),
        ended_at__gte=meeting.starts_at,
    )
    return meeting if (current.exists() or former.exists()) else None


def member_of(panel_id: int, resident) -> bool:
    return current_memberships().filter(panel_id=panel_id, resident=resident).exists()


@dataclass(frozen=True)
class RsvpCounts:
    attending: int
    not_attending: int
    maybe: int
    attended: int


def rsvp_counts(meeting: Meeting) -> RsvpCounts:
    counts = MeetingAttendance.objects.filter(meeting=meeting).aggregate(
        attending=Count("pk", filter=Q(rsvp="attending")),
        not_attending=Count("pk", filter=Q(rsvp="not_attending")),
        maybe=Count("pk", filter=Q(rsvp="maybe")),
        attended=Count("pk", filter=Q(attended=True)),
    )
    return RsvpCounts(**counts)


# -- representation -------------------------------------------------------------------------------------------


def members_by_panel_and_tenure() -> list[dict]:
    """For each active panel: its current members by the tenure of their current home. Blank
    cells are the gaps (no leaseholders on the forum, say)."""
    rows = (
        current_memberships()
        .filter(panel__is_active=True, resident__tenancies__end_date__isnull=True)
        .values("panel_id", "resident__tenancies__home__tenure")
        .annotate(members=Count("resident", distinct=True))
    )
    counts = {
        (row["panel_id"], row["resident__tenancies__home__tenure"]): row["members"] for row in rows
    }
    totals = dict(
        current_memberships()
        .filter(panel__is_active=True)
        .values_list("panel_id")
        .annotate(n=Count("resident", distinct=True))
    )
    table = []
    for panel in Panel.objects.filter(is_active=True).order_by("kind", "name"):
        cells = [
            {
                "tenure": value,
                "label": label,
                "members": counts.get((panel.pk, value), 0),
                "eligible": not panel.open_to_tenures or value in panel.open_to_tenures,
            }
            for value, label in Tenure.choices
        ]
        table.append({"panel": panel, "cells": cells, "total": totals.get(panel.pk, 0)})
    return table


def homes_by_tenure() -> dict[str, int]:
    return dict(Home.objects.values_list("tenure").annotate(n=Count("pk")))


def estates_with_members(panel: Panel | None = None) -> QuerySet[Estate]:
    """Every estate with the number of current panel members living on it (of one panel, or of
    any), fewest first, so the estates with nobody come to the top."""
    membership = Q(
        homes__tenancies__end_date__isnull=True,
        homes__tenancies__residents__panel_memberships__status=MembershipStatus.MEMBER,
    ) & (
        Q(homes__tenancies__residents__panel_memberships__term_ends_on__isnull=True)
        | Q(homes__tenancies__residents__panel_memberships__term_ends_on__gte=_today())
    )
    if panel is not None:
        membership &= Q(homes__tenancies__residents__panel_memberships__panel=panel)
    return (
        Estate.objects.select_related("neighbourhood")
        .annotate(members=Count("homes__tenancies__residents", filter=membership, distinct=True))
        .order_by("members", "neighbourhood__name", "name")
    )


# -- consultations ------------------------------------------------------------------------------------------


def open_consultations(now=None) -> QuerySet[Consultation]:
    now = now or timezone.now()
    return Consultation.objects.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at")


def open_consultations_for(resident, now=None) -> QuerySet[Consultation]:
    qs = open_consultations(now)
    if resident is None:
        return qs.filter(audience=ConsultationAudience.EVERYONE)
    answered = ConsultationResponse.objects.filter(consultation=OuterRef("pk"), resident=resident)
    return qs.filter(consultations_for_resident_q(resident)).annotate(answered=Exists(answered))


def consultations_with_results() -> QuerySet[Consultation]:
    return Consultation.objects.filter(results_published_at__isnull=False).order_by(
        "-results_published_at"
    )


def response_of(consultation: Consultation, resident) -> ConsultationResponse | None:
    if resident is None:
        return None
    return ConsultationResponse.objects.filter(consultation=consultation, resident=resident).first()


@dataclass
class Bar:
    label: str
    count: int
    percent: float


@dataclass
class QuestionResult:
    question: object
    total: int
    bars: list[Bar]
    comments: list[ConsultationAnswer]
    comments_waiting: int

    @property
    def chart(self) -> charts.Chart:
        """Each answer as a bar in proportion to everyone who answered, with its count and share."""
        return charts.bar_chart(
            chart_id=f"question-{self.question.pk}-chart",
            title=f"Bar chart of answers to question {self.question.number}",
            summary="; ".join(f"{bar.label}: {bar.count} ({bar.percent}%)" for bar in self.bars)
            + ". The same figures are in the table below.",
            bars=[
                charts.Bar(bar.label, bar.count, f"{bar.count} ({bar.percent}%)")
                for bar in self.bars
            ],
            top=self.total,
        )


def consultation_results(
    consultation: Consultation, *, comments_limit: int = 10, public: bool = True
) -> list[QuestionResult]:
    """Counts for each choice and scale question, aggregated in the database, and the approved
    comments (the first few) for each free-text question."""
    questions = list(consultation.questions.all())
    counts = {}
    for row in (
        ConsultationAnswer.objects.filter(question__consultation=consultation)
        .exclude(choice="")
        .values("question_id", "choice")
        .annotate(n=Count("pk"))
    ):
        counts[(row["question_id"], row["choice"])] = row["n"]
    waiting = dict(
        ConsultationAnswer.objects.filter(
            question__consultation=consultation, moderation=Moderation.PENDING
        )
        .values_list("question_id")
        .annotate(n=Count("pk"))
    )
    results = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            comments = list(
                ConsultationAnswer.objects.filter(
                    question=question, moderation=Moderation.APPROVED
                ).order_by("response__submitted_at")[:comments_limit]
            )
            results.append(
                QuestionResult(question, len(comments), [], comments, waiting.get(question.pk, 0))
            )
            continue
        options = question.options
        tallies = [counts.get((question.pk, option), 0) for option in options]
        total = sum(tallies)
        bars = [
            Bar(option, n, round(n * 100 / total, 1) if total else 0.0)
            for option, n in zip(options, tallies, strict=True)
        ]
        results.append(QuestionResult(question, total, bars, [], 0))
    return results


def approved_comments(question) -> QuerySet[ConsultationAnswer]:
    return ConsultationAnswer.objects.filter(
        question=question, moderation=Moderation.APPROVED
    ).order_by("response__submitted_at", "pk")


def comments_to_moderate() -> QuerySet[ConsultationAnswer]:
    return (
        ConsultationAnswer.objects.filter(moderation=Moderation.PENDING)
        .select_related("question__consultation", "response")
        .order_by("response__submitted_at", "pk")
    )


# -- scrutiny ------------------------------------------------------------------------------------------------


def published_reviews() -> QuerySet[ScrutinyReview]:
    return (
        ScrutinyReview.objects.filter(published_at__isnull=False)
        .select_related("panel")
        .order_by("-published_at")
    )


def review_with_everything(queryset, **lookup) -> ScrutinyReview | None:
    return (
        queryset.filter(**lookup)
        .select_related("panel")
        .prefetch_related(
            "evidence_requests",
            "evidence",
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("responded_by").prefetch_related(
                    Prefetch(
                        "actions", queryset=RecommendationAction.objects.select_related("owner")
                    )
                ),
            ),
        )
        .first()
    )


def reviews_for_member(resident) -> QuerySet[ScrutinyReview]:
    panels = current_memberships().filter(resident=resident).values("panel")
    return (
        ScrutinyReview.objects.filter(panel__in=panels)
        .select_related("panel")
        .order_by("-starts_on")
    )


def open_actions() -> QuerySet[RecommendationAction]:
    return (
        RecommendationAction.objects.filter(done_on__isnull=True)
        .select_related("recommendation__review", "owner")
        .order_by("due_on", "pk")
    )


# -- you said, we did ---------------------------------------------------------------------------------------


def published_changes() -> QuerySet[ChangeEntry]:
    return ChangeEntry.objects.filter(published_at__isnull=False).select_related(
        "review", "consultation", "panel"
    )
