"""Reads for the charter pages and the customer voice report. Every page here is a fixed number of
queries however many promises, comments or deadlines there are: the measures are one query each
for a whole run of months."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from charter.measures import MEASURES_BY_KEY, CharterMeasure, MeasureResult
from charter.models import (
    CharterSection,
    CharterVersion,
    CommentStatus,
    ConsultationNotice,
    CustomerVoiceReport,
    Promise,
    PromiseComment,
    VersionStatus,
)
from portal import charts
from portal.workdays import financial_year_bounds, financial_year_of

# -- financial years ----------------------------------------------------------------------------------


def financial_year_label(year: int) -> str:
    return f"{year} to {year + 1}"


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# -- versions -----------------------------------------------------------------------------------------


def _with_contents(versions):
    return versions.prefetch_related(
        Prefetch("promises", queryset=Promise.objects.order_by("section", "position")),
        "commitments",
    )


def adopted_version() -> CharterVersion | None:
    return _with_contents(CharterVersion.objects.filter(status=VersionStatus.ADOPTED)).first()


def public_versions():
    """Adopted and earlier (replaced) versions, newest first: the public record."""
    return CharterVersion.objects.filter(status__in=VersionStatus.public()).order_by("-number")


def public_version(number: int) -> CharterVersion | None:
    return _with_contents(
        CharterVersion.objects.filter(number=number, status__in=VersionStatus.public())
    ).first()


def version_in_consultation(number: int) -> CharterVersion | None:
    return _with_contents(
        CharterVersion.objects.filter(
            number=number, status=VersionStatus.CONSULTATION
        ).select_related("consultation")
    ).first()


def withdrawn_version(number: int) -> CharterVersion | None:
    """A draft whose consultation was withdrawn: its consultation page says so."""
    return CharterVersion.objects.filter(
        number=number, status=VersionStatus.DRAFT, withdrawn_at__isnull=False
    ).first()


@dataclass
class ConsultationReach:
    """How many residents were told a version is out for consultation, and by which channel."""

    total: int
    email: int
    text: int
    letter: int
    unreachable: int  # no address in any channel: kept as failed messages for staff to follow up

    @property
    def told(self) -> int:
        return self.total - self.unreachable


def consultation_reach(version: CharterVersion) -> ConsultationReach:
    """One aggregate query, however many residents were told."""
    from portal.models import NotificationStatus

    sent = ~Q(notification__status=NotificationStatus.FAILED)
    counts = ConsultationNotice.objects.filter(version=version).aggregate(
        total=Count("pk"),
        email=Count("pk", filter=Q(channel="email") & sent),
        text=Count("pk", filter=Q(channel="text") & sent),
        letter=Count("pk", filter=Q(channel="letter") & sent),
        unreachable=Count("pk", filter=Q(notification__status=NotificationStatus.FAILED)),
    )
    return ConsultationReach(**counts)


def versions_in_consultation():
    return CharterVersion.objects.filter(status=VersionStatus.CONSULTATION).order_by("-number")


def staff_versions():
    return CharterVersion.objects.annotate(
        promise_count=Count("promises", distinct=True),
        pending_comments=Count(
            "promises__comments",
            filter=Q(promises__comments__status=CommentStatus.PENDING),
            distinct=True,
        ),
    ).order_by("-number")


def staff_version(pk: int) -> CharterVersion | None:
    return (
        CharterVersion.objects.filter(pk=pk)
        .select_related("adopted_by", "created_by", "consultation", "withdrawn_by")
        .prefetch_related(
            Prefetch(
                "promises",
                queryset=Promise.objects.annotate(
                    published_comments=Count(
                        "comments", filter=Q(comments__status=CommentStatus.PUBLISHED)
                    ),
                    pending_comments=Count(
                        "comments", filter=Q(comments__status=CommentStatus.PENDING)
                    ),
                ).order_by("section", "position"),
            ),
            "commitments",
        )
        .first()
    )


@dataclass
class SectionOfPromises:
    value: str
    label: str
    number: int
    promises: list = field(default_factory=list)


def sections(version: CharterVersion) -> list[SectionOfPromises]:
    """The seven sections in order, each with its promises (from the prefetched list)."""
    by_section = {
        value: SectionOfPromises(value, label, CharterSection.number_of(value))
        for value, label in CharterSection.choices
    }
    for promise in version.promises.all():
        by_section[promise.section].promises.append(promise)
    return list(by_section.values())


def published_comments_by_promise(version: CharterVersion) -> dict[int, list[PromiseComment]]:
    comments = PromiseComment.objects.filter(
        promise__version=version, status=CommentStatus.PUBLISHED
    ).order_by("submitted_at", "id")
    grouped: dict[int, list[PromiseComment]] = {}
    for comment in comments:
        grouped.setdefault(comment.promise_id, []).append(comment)
    return grouped


def comments_to_moderate():
    return (
        PromiseComment.objects.filter(status=CommentStatus.PENDING)
        .select_related("promise__version", "resident")
        .order_by("submitted_at", "id")
    )


def version_comments(version: CharterVersion):
    """Every comment on a version, whatever its status, oldest first: for staff."""
    return (
        PromiseComment.objects.filter(promise__version=version)
        .select_related("promise", "moderated_by")
        .order_by("submitted_at", "id")
    )


def resident_comments(resident, version: CharterVersion):
    return PromiseComment.objects.filter(resident=resident, promise__version=version).order_by(
        "-submitted_at"
    )


# -- performance --------------------------------------------------------------------------------------


@dataclass
class MonthFigure:
    month: date
    result: MeasureResult
    is_future: bool = False

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"

    @property
    def short_label(self) -> str:
        return f"{self.month:%b}"


@dataclass
class MeasurePerformance:
    measure: CharterMeasure
    year: int
    months: list[MonthFigure]
    year_to_date: MeasureResult
    last_month: MonthFigure | None
    period_end: date

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def has_data(self) -> bool:
        return any(m.result.total for m in self.months)

    @property
    def chart_summary(self) -> str:
        known = [f"{m.label}: {m.result.percent}%" for m in self.months if m.result.total]
        if not known:
            return f"No figures yet for {self.year_label}."
        return f"{self.measure.label} by month, {self.year_label}. " + "; ".join(known) + "."

    def chart(self, *, chart_id: str, target=None) -> charts.Chart:
        """The share kept each month of the financial year as columns, with the target (a
        promise's, so the same measure can be drawn with different targets) as a dashed line.
        A month gone by with nothing counted shows a dash; months to come show nothing."""
        return charts.column_chart(
            chart_id=chart_id,
            title=f"{self.measure.label}, month by month, {self.year_label}",
            summary=self.chart_summary
            + (f" Target {_percent(target)}." if target is not None else ""),
            categories=[
                charts.Category(m.short_label, m.label, to_come=m.is_future) for m in self.months
            ],
            series=[charts.Series(self.measure.label, [m.result.percent for m in self.months])],
            scale=charts.Scale.of(0, 100, 20),
            unit="%",
            missing_text="–",
            reference=charts.Reference(target, f"our target of {_percent(target)}")
            if target is not None
            else None,
            caption="Share kept each month, April to March.",
        )


def _percent(value) -> str:
    """90 for 90.0, 92.5 for 92.5: as the template's floatformat:"-1" writes a target."""
    return f"{value:.1f}".removesuffix(".0") + "%"


def _total(results) -> MeasureResult:
    results = list(results)
    return MeasureResult(sum(r.met for r in results), sum(r.total for r in results))


def measure_performance(
    measure: CharterMeasure, *, today: date | None = None, year: int | None = None
):
    """A measure month by month over a financial year (the current one by default), the year to
    date, and the last complete month (which may be the previous year's March): one query."""
    today = today or timezone.localdate()
    year = financial_year_of(today) if year is None else year
    first, last = financial_year_bounds(year)
    end = min(last, today)
    last_month_start = _add_months(today.replace(day=1), -1)
    is_current = year == financial_year_of(today)
    # In April the last complete month is the previous year's March: still the same one query.
    start = min(first, last_month_start) if is_current else first
    by_month = measure.by_month(start, end) if start <= end else {}
    months = [
        MonthFigure(month, by_month.get(month, MeasureResult(0, 0)), is_future=month > today)
        for month in (_add_months(first, offset) for offset in range(12))
    ]
    last_month = (
        MonthFigure(last_month_start, by_month.get(last_month_start, MeasureResult(0, 0)))
        if is_current
        else None
    )
    return MeasurePerformance(
        measure=measure,
        year=year,
        months=months,
        year_to_date=_total(m.result for m in months if not m.is_future),
        last_month=last_month,
        period_end=end,
    )


def performance_for(
    keys, *, today: date | None = None, year: int | None = None
) -> dict[str, MeasurePerformance]:
    """Each distinct measure once, however many promises cite it."""
    return {
        key: measure_performance(MEASURES_BY_KEY[key], today=today, year=year)
        for key in dict.fromkeys(keys)
        if key in MEASURES_BY_KEY
    }


# -- customer voice report ----------------------------------------------------------------------------


def voice_reports_published():
    return CustomerVoiceReport.objects.filter(published_at__isnull=False).order_by("-year")


def voice_report(year: int) -> CustomerVoiceReport | None:
    return (
        CustomerVoiceReport.objects.filter(year=year)
        .select_related("published_by", "last_edited_by")
        .first()
    )


def voice_report_drafts():
    return CustomerVoiceReport.objects.filter(published_at__isnull=True).order_by("-year")


def _day(moment) -> str:
    return timezone.localtime(moment).date().isoformat() if moment else ""


def _reviews(first: date, last: date) -> list[dict]:
    from engagement.models import ResponseDecision
    from engagement.selectors import published_reviews_between

    reviews = []
    for review in published_reviews_between(first, last):
        recommendations = [
            {
                "number": rec.number,
                "text": rec.text,
                "decision": rec.get_decision_display() if rec.decision else "Not yet answered",
                "reasons": rec.reasons,
            }
            for rec in review.recommendations.all()
        ]
        reviews.append(
            {
                "title": review.title,
                "panel": str(review.panel),
                "service": review.service,
                "summary": review.summary or review.findings,
                "published_on": _day(review.published_at),
                "recommendations": recommendations,
                "accepted": sum(
                    1
                    for rec in review.recommendations.all()
                    if rec.decision in (ResponseDecision.ACCEPTED, ResponseDecision.PARTLY_ACCEPTED)
                ),
            }
        )
    return reviews


def _consultations(first: date, last: date) -> list[dict]:
    from engagement.selectors import consultation_outcomes_between

    return [
        {
            "title": consultation.title,
            "summary": consultation.summary,
            "you_told_us": consultation.you_told_us or consultation.results_summary,
            "we_changed": consultation.we_changed,
            "published_on": _day(consultation.outcome_published_at),
        }
        for consultation in consultation_outcomes_between(first, last)
    ]


def _satisfaction(year: int) -> list[dict] | None:
    from charter.satisfaction.selectors import published_measures

    rows = published_measures(year)
    if rows is None:
        return None
    return [
        {
            "code": row.get("code", ""),
            "name": row.get("name", ""),
            "part": row.get("part", ""),
            "tenure": row.get("tenure", ""),
            "value": None if row.get("value") is None else str(row["value"]),
            "unit": row.get("unit", ""),
            "valid": row.get("valid"),
            "note": row.get("note", ""),
        }
        for row in rows
    ]


def voice_report_evidence(year: int, *, today: date | None = None) -> dict:
    """Everything the customer voice report shows beside the committee's words, as plain data
    (what publishing freezes): what residents changed, and how we performed."""
    first, last = financial_year_bounds(year)
    satisfaction = _satisfaction(year)

    from portal.extensions import changes_made

    changes = [
        {
            "made_on": change.made_on.isoformat(),
            "you_said": change.you_said,
            "we_did": change.we_did,
            "source": change.source,
        }
        for change in changes_made()
        if first <= change.made_on <= last
    ]

    live = []
    for performance in performance_for(list(MEASURES_BY_KEY), today=today, year=year).values():
        ytd = performance.year_to_date
        live.append(
            {
                "key": performance.measure.key,
                "label": performance.measure.label,
                "met": ytd.met,
                "total": ytd.total,
                "percent": None if ytd.percent is None else str(ytd.percent),
                "noun": performance.measure.noun,
                "to": performance.period_end.isoformat(),
                "months": [
                    {"month": m.month.isoformat(), "met": m.result.met, "total": m.result.total}
                    for m in performance.months
                ],
            }
        )

    return {
        "year": year,
        "reviews": _reviews(first, last),
        "consultations": _consultations(first, last),
        "changes": changes,
        "satisfaction": satisfaction or [],
        "satisfaction_published": satisfaction is not None,
        "live_measures": live,
        "gathered_on": (today or timezone.localdate()).isoformat(),
    }


def voice_report_years(today: date | None = None) -> list[int]:
    """The current financial year and the two before it: the years a report can be started for."""
    current = financial_year_of(today or timezone.localdate())
    return [current, current - 1, current - 2]


def last_month_label(today: date | None = None) -> str:
    today = today or timezone.localdate()
    return f"{_add_months(today.replace(day=1), -1):%B %Y}"
