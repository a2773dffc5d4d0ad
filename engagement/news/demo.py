"""News for the demo landlord (after `load_demo`): three past newsletters, already sent, a current
notice where the demo tenant lives and an ended one on the other side of town.

Everything goes through the real services with the clock set to when it happened, so the pages
show what the portal would have shown. The past messages are marked delivered on the day: the demo
does not send three newsletters to 1,200 made-up residents when it starts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from engagement.news import services
from engagement.news.models import Issue, Mailing, Notice
from portal.models import Block, Notification, NotificationStatus, Officer, Resident
from portal.workdays import LONDON

TENANT_EMAIL = "tenant@example.com"
WRITER_EMAIL = "officer@example.com"
MANAGER_EMAIL = "manager@example.com"


class DemoMissing(Exception):
    """The portal's demo is not loaded, so there is nobody to write to."""


ISSUES = (
    (
        datetime(2026, 4, 15, 10, 0),
        "Spring news: evening repairs and your new tenant charter",
        "Repairs appointments until 8pm, the charter you helped write, and the Hollybank garden opens.",
        (
            (
                "Repairs in the evening",
                "From May you can book a repairs appointment until 8pm on weekdays, and on Saturday mornings "
                "in Riverside. Choose a time that suits you when you report a repair online.\n\n"
                "Emergencies are still attended within 4 hours, day or night.",
            ),
            (
                "Your tenant charter",
                "Over 200 of you told us what matters most. The charter sets out what we promise, from calling "
                "you back within one working day to answering complaints within 10 working days, and we will "
                "publish how we do against each promise every quarter.",
            ),
            (
                "The Hollybank community garden opens",
                "Residents on Hollybank have turned the old drying area behind Holly Court into a garden with "
                "raised beds. Everyone is welcome at the open day on Saturday 9 May, 11am to 3pm.",
            ),
        ),
    ),
    (
        datetime(2026, 7, 15, 10, 0),
        "Summer news: keeping cool, fire safety and the scrutiny panel",
        "How to keep your home cool, fire doors in blocks, and what the scrutiny panel found about repairs.",
        (
            (
                "Keeping your home cool",
                "Close curtains on sunny windows during the day and open windows when it is cooler outside. "
                "If you are worried about a neighbour in the heat, call us.",
            ),
            (
                "Fire doors in our blocks",
                "Please keep communal fire doors closed and the corridors clear. We check every fire door in "
                "our blocks each quarter; tell us at once if one does not close properly.",
            ),
            (
                "What the scrutiny panel found",
                "Eight residents spent three months looking at how we handle repairs. They asked us to text "
                "the day before every appointment, and we now do.",
            ),
        ),
    ),
    (
        datetime(2026, 10, 14, 10, 0),
        "Autumn news: damp and mould, help with bills and surgeries",
        "Tell us about damp and mould early, where to get help with energy bills, and this season's surgeries.",
        (
            (
                "Damp and mould: tell us early",
                "If you see damp or mould, report it online or call us. We will inspect within 10 working days "
                "and tell you in writing what we found and what we will do.",
            ),
            (
                "Help with energy bills",
                "Our money advice team can check you are getting every benefit you are due and help with "
                "energy debts. It is free and confidential.",
            ),
            (
                "Estate surgeries this autumn",
                "Your housing officer holds a surgery on each estate every month. Come along with any "
                "question; no appointment needed. Dates are on the Get involved page.",
            ),
        ),
    ),
)


def already_loaded() -> bool:
    return Issue.objects.filter(title=ISSUES[0][1]).exists()


def _at(moment: datetime) -> datetime:
    return moment.replace(tzinfo=LONDON)


def _send_now(mailing_ids) -> None:
    for mailing in Mailing.objects.filter(pk__in=mailing_ids):
        while services.send_mailing_chunk(mailing=mailing):
            pass


def load() -> dict:
    import time_machine

    try:
        tenant = Resident.objects.get(user__email=TENANT_EMAIL)
        writer = Officer.objects.get(user__email=WRITER_EMAIL)
        manager = Officer.objects.get(user__email=MANAGER_EMAIL)
    except (Resident.DoesNotExist, Officer.DoesNotExist):
        raise DemoMissing(
            f"There is no demo tenant ({TENANT_EMAIL}) or manager ({MANAGER_EMAIL}): run load_demo first."
        ) from None
    home = (
        tenant.tenancies.filter(end_date__isnull=True)
        .select_related("home__estate", "home__block")
        .first()
        .home
    )
    now = timezone.now()

    with transaction.atomic():
        issues = []
        for published, title, summary, sections in ISSUES:
            with time_machine.travel(_at(published) - timedelta(days=6), tick=False):
                issue = services.start_issue(officer=writer, title=title, summary=summary)
                for heading, text in sections:
                    services.add_section(issue=issue, heading=heading, text=text)
            with time_machine.travel(_at(published), tick=False):
                services.publish_issue(issue=issue, officer=manager)
                _send_now([issue.mailing.pk])
                _mark_delivered(issue.mailing, _at(published))
            issues.append(issue)

        # Where the tenant lives: a lift out of service in their block, or (a house) the nearest block.
        block = home.block or Block.objects.filter(estate=home.estate).order_by("name").first()
        current = services.send_notice(
            officer=manager,
            title="Lift out of service",
            details=(
                f"The lift in {block.name} is out of service: a motor part has failed. The engineer has ordered "
                "the part and expects to fit it within three days.\n\n"
                "If you cannot manage the stairs, call us and we will arrange help with shopping and "
                "getting in and out."
            ),
            estate=block.estate,
            block=block,
            starts_at=now - timedelta(days=1, hours=3),
            expected_end_at=(now + timedelta(days=3)).replace(
                hour=17, minute=0, second=0, microsecond=0
            ),
        )
        notices = [current]
        if home.block_id is None:
            # The tenant's house is on the estate, not in the block: tell them about the estate too.
            notices.append(
                services.send_notice(
                    officer=manager,
                    title="Water pressure low",
                    details=(
                        f"The water company is repairing a main on {home.address_line_2 or home.estate.name}. "
                        "Water pressure may be low in the mornings until the work is done."
                    ),
                    estate=home.estate,
                    starts_at=now - timedelta(hours=20),
                    expected_end_at=(now + timedelta(days=2)).replace(
                        hour=18, minute=0, second=0, microsecond=0
                    ),
                )
            )

        # Elsewhere, ended last week with a "fixed" update.
        elsewhere = (
            Block.objects.exclude(estate__neighbourhood=home.neighbourhood).order_by("name").first()
        )
        if elsewhere is not None:
            started = (now - timedelta(days=9)).replace(hour=7, minute=30, second=0, microsecond=0)
            with time_machine.travel(started + timedelta(minutes=20), tick=False):
                ended = services.send_notice(
                    officer=manager,
                    title="Water off",
                    details=f"A burst pipe in {elsewhere.name} means the water is off while it is repaired.",
                    estate=elsewhere.estate,
                    block=elsewhere,
                    starts_at=started,
                    expected_end_at=started + timedelta(hours=8),
                )
                _send_now([m.pk for m in ended.mailings.all()])
                _mark_delivered(ended.mailings.get(), timezone.now())
            with time_machine.travel(started + timedelta(hours=5), tick=False):
                update = services.update_notice(
                    notice=ended,
                    officer=manager,
                    message="The pipe is repaired and the water is back on. Run your cold tap for a minute first.",
                    resolves=True,
                )
                _send_now([update.mailing.pk])
                _mark_delivered(update.mailing, timezone.now())
            notices.append(ended)
        # The current notices go out through the outbox for real, as they would now.
        _send_now([m.pk for n in notices if n.ended_at is None for m in n.mailings.all()])

    return {"issues": len(issues), "notices": Notice.objects.count(), "block": block}


def _mark_delivered(mailing: Mailing, when) -> None:
    """Messages from the story's past were delivered then: the demo's worker does not send them."""
    Notification.objects.filter(
        pk__in=mailing.deliveries.exclude(notification=None).values("notification"),
        status=NotificationStatus.QUEUED,
    ).update(status=NotificationStatus.SENT, sent_at=when, attempts=1)
