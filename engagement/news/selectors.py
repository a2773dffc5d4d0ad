"""Reads the news pages share: published issues, current notices, who a mailing reached."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from engagement.news.models import (
    Delivery,
    DeliveryChannel,
    DeliveryStatus,
    Issue,
    IssueStatus,
    Mailing,
    MailingKind,
    Notice,
    NoticeUpdate,
)
from portal.models import Estate, Home, NotificationStatus

# Ended notices stay on the public list this long, so residents can see a problem was fixed.
RECENTLY_ENDED = timedelta(days=14)


def published_issues():
    return Issue.objects.filter(status=IssueStatus.PUBLISHED).order_by("-published_at", "-pk")


def latest_issue():
    return published_issues().only("pk", "title", "summary", "published_at").first()


def issue_with_sections(pk: int, *, include_drafts: bool = False) -> Issue | None:
    issues = Issue.objects.prefetch_related("sections")
    if not include_drafts:
        issues = issues.filter(status=IssueStatus.PUBLISHED)
    return issues.select_related("written_by", "published_by").filter(pk=pk).first()


def current_filter(now=None) -> Q:
    now = now or timezone.now()
    return Q(ended_at__isnull=True) & (Q(expected_end_at__isnull=True) | Q(expected_end_at__gt=now))


def current_notices_for_resident(resident):
    """Notices for the estates and blocks of the resident's current homes, while they last."""
    homes = Home.objects.filter(tenancies__residents=resident, tenancies__end_date__isnull=True)
    return (
        Notice.objects.filter(current_filter())
        .filter(
            Q(block__in=homes.values("block"))
            | Q(block__isnull=True, estate__in=homes.values("estate"))
        )
        .select_related("estate", "block")
        .prefetch_related(
            Prefetch("updates", queryset=NoticeUpdate.objects.order_by("-created_at", "-pk"))
        )
        .order_by("-starts_at", "-pk")
    )


def estates_with_notices():
    """Estates with a current or recently ended notice, for the public list's filter."""
    recent = Notice.objects.filter(estate=OuterRef("pk")).filter(
        current_filter() | Q(ended_at__gt=timezone.now() - RECENTLY_ENDED)
    )
    return Estate.objects.filter(Exists(recent)).order_by("name")


def public_notices(*, estate=None):
    """Current notices first, then those ended in the last fortnight."""
    now = timezone.now()
    notices = Notice.objects.filter(
        current_filter(now) | Q(ended_at__gt=now - RECENTLY_ENDED)
    ).filter(starts_at__lte=now + timedelta(days=60))
    if estate is not None:
        notices = notices.filter(estate=estate)
    return notices.select_related("estate", "block").order_by(
        F("ended_at").desc(nulls_first=True), "-starts_at", "-pk"
    )


def notice_with_updates(pk: int) -> Notice | None:
    return (
        Notice.objects.select_related("estate", "block", "sent_by")
        .prefetch_related(
            Prefetch("updates", queryset=NoticeUpdate.objects.select_related("sent_by"))
        )
        .filter(pk=pk)
        .first()
    )


def staff_notices(show: str = ""):
    notices = Notice.objects.select_related("estate", "block", "sent_by")
    if show == "current":
        notices = notices.filter(current_filter())
    elif show == "ended":
        notices = notices.exclude(current_filter())
    return notices.annotate(update_count=Count("updates")).order_by("-starts_at", "-pk")


def _figure_counts():
    failed = Q(status=DeliveryStatus.FAILED) | Q(notification__status=NotificationStatus.FAILED)
    waiting = [NotificationStatus.QUEUED, NotificationStatus.SENDING, NotificationStatus.RETRYING]
    return {
        "total": Count("pk"),
        "email": Count("pk", filter=Q(channel=DeliveryChannel.EMAIL) & ~failed),
        "text": Count("pk", filter=Q(channel=DeliveryChannel.TEXT) & ~failed),
        "letter": Count("pk", filter=Q(status=DeliveryStatus.TO_PRINT)),
        "delivered": Count("pk", filter=Q(notification__status=NotificationStatus.SENT)),
        "waiting": Count("pk", filter=Q(notification__status__in=waiting)),
        "failed": Count("pk", filter=failed),
    }


def mailing_figures(mailing: Mailing | None) -> dict:
    """Who a mailing reached, by channel, and what failed: one aggregate query."""
    if mailing is None:
        return {}
    figures = Delivery.objects.filter(mailing=mailing).aggregate(**_figure_counts())
    figures["finished"] = mailing.finished_at is not None
    return figures


def figures_by_mailing(mailings) -> dict[int, dict]:
    """mailing_figures for several mailings in one grouped query."""
    empty = {key: 0 for key in _figure_counts()}
    rows = (
        Delivery.objects.filter(mailing__in=[m.pk for m in mailings])
        .values("mailing")
        .annotate(**_figure_counts())
        .order_by()
    )
    found = {row.pop("mailing"): row for row in rows}
    return {
        m.pk: {**empty, **found.get(m.pk, {}), "finished": m.finished_at is not None}
        for m in mailings
    }


def failed_deliveries(mailing: Mailing):
    return (
        Delivery.objects.filter(mailing=mailing)
        .filter(Q(status=DeliveryStatus.FAILED) | Q(notification__status=NotificationStatus.FAILED))
        .select_related("notification")
        .order_by("pk")
    )


def letter_list(mailing: Mailing):
    """The letters to print, with whether each resident needs large print (as they say now)."""
    return (
        Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.TO_PRINT)
        .annotate(large_print=F("resident__needs_large_print"))
        .order_by("pk")
    )


def mailing_for_staff(pk: int) -> Mailing | None:
    return (
        Mailing.objects.select_related("issue", "notice__estate", "notice__block", "update")
        .filter(pk=pk)
        .first()
    )


def notice_mailings(notice: Notice):
    return list(
        Mailing.objects.filter(notice=notice).select_related("update").order_by("created_at", "pk")
    )


def staff_issues():
    return (
        Issue.objects.select_related("written_by", "mailing")
        .annotate(section_count=Count("sections"))
        .order_by("status", "-published_at", "-created_at")
    )


def resident_deliveries(resident):
    return (
        Delivery.objects.filter(resident=resident)
        .select_related("mailing__issue", "mailing__notice", "notification")
        .order_by("-created_at")
    )


__all__ = ["MailingKind"]
