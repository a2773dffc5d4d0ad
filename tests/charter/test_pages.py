"""The public charter: the adopted version with its live figures, earlier versions kept, and
pages whose query count does not grow with the data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from charter import selectors, services
from charter.models import CharterSection
from portal.extensions import MeasureResult
from portal.models import DeadlineKind
from tests.charter.factories import PromiseFactory, adopted_version, at, deadline

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


@pytest.fixture
def charter():
    version = adopted_version(title="Our promises to you")
    for position, (section, text, key) in enumerate(
        [
            (
                CharterSection.COMMUNICATION,
                "We will call you back within one working day",
                "callbacks_within_one_working_day",
            ),
            (
                CharterSection.RESOLUTION,
                "We will answer your complaint within 10 working days",
                "complaints_answered_in_time",
            ),
            (
                CharterSection.SERVICES,
                "We will complete repairs within our target times",
                "repairs_completed_on_time",
            ),
            (
                CharterSection.SERVICES,
                "We will offer evening appointments",
                "evening_appointments_offered",
            ),
            (CharterSection.SERVICES, "You will be happy with your repair", "repair_satisfaction"),
            (
                CharterSection.SAFETY,
                "We will act on safety concerns quickly",
                "safety_concerns_acted_on_in_time",
            ),
            (CharterSection.VOICE, "We will listen to you", ""),
        ],
        start=1,
    ):
        PromiseFactory(
            version=version, section=section, position=position, text=text, measure_key=key
        )
    return version


def callbacks(count, month):
    for n in range(count):
        due = at(month + timedelta(days=n % 20), 23, 59)
        deadline(DeadlineKind.CALLBACK, due=due, met=due - timedelta(hours=3 if n % 4 else -3))


@time_machine.travel(at(TODAY, 12), tick=False)
def test_a_visitor_sees_the_adopted_charter_with_last_month_and_the_year_so_far(client, charter):
    callbacks(8, date(2026, 10, 1))  # 6 of 8 in time
    callbacks(4, date(2026, 5, 1))  # 3 of 4
    page = client.get("/charter/").content.decode()
    assert "Our promises to you" in page
    assert "Last month (October 2026)" in page
    assert "75.0% (6 of 8 call-backs)" in page
    assert "75.0% (9 of 12 call-backs)" in page  # April 2026 to date
    assert (
        "<svg" in page
        and "Call-backs made within one working day, month by month, 2026 to 2027" in page
    )
    assert "October 2026: 75.0%" in page  # the chart's text alternative


@time_machine.travel(at(TODAY, 12), tick=False)
def test_each_promise_draws_its_measure_with_its_own_target_and_ids(client, charter):
    callbacks(8, date(2026, 10, 1))
    promise = charter.promises.get(measure_key="callbacks_within_one_working_day")
    promise.target_percent = Decimal("90.0")
    promise.save()
    page = client.get("/charter/").content.decode()
    svg = page[page.index(f'aria-labelledby="promise-{promise.pk}-chart-title') :]
    svg = svg[: svg.index("</figure>")]
    assert "Target 90%.</desc>" in svg
    assert 'stroke="#d4351c" stroke-width="2" stroke-dasharray="6 4"' in svg  # the target line
    assert "Dashed red line: our target of 90%" in svg
    assert ">75.0%</text>" in svg and ">–</text>" in svg  # October, and April with none counted
    assert "Share kept each month, April to March." in svg


@time_machine.travel(at(TODAY, 12), tick=False)
def test_the_charter_page_does_not_grow_with_the_data(
    client, charter, django_assert_max_num_queries
):
    callbacks(3, date(2026, 10, 1))
    with django_assert_max_num_queries(20) as few:
        client.get("/charter/")
    callbacks(60, date(2026, 6, 1))
    callbacks(60, date(2026, 9, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/charter/")


def test_without_an_adopted_charter_the_page_says_so(client):
    response = client.get("/charter/")
    assert response.status_code == 404
    assert "not adopted a tenant charter yet" in response.content.decode()


def test_earlier_versions_stay_viewable(client, charter, manager):
    draft = services.start_draft(officer=manager, copy_from=charter)
    services.update_version(
        version=draft, officer=manager, title="Our charter 2027", introduction=""
    )
    services.adopt_version(version=draft, officer=manager)
    listing = client.get(reverse("charter:versions")).content.decode()
    assert f"Version {charter.number}" in listing and "Replaced" in listing
    earlier = client.get(reverse("charter:version", args=[charter.number])).content.decode()
    assert "This is an earlier version" in earlier
    assert "We will call you back within one working day" in earlier
    assert "Our charter 2027" in client.get("/charter/").content.decode()


def test_drafts_are_not_public(client):
    from tests.charter.factories import CharterVersionFactory

    draft = CharterVersionFactory()
    assert client.get(reverse("charter:version", args=[draft.number])).status_code == 404
    assert client.get(reverse("charter:consultation", args=[draft.number])).status_code == 404


def test_in_april_last_month_is_the_previous_years_march():
    deadline(DeadlineKind.CALLBACK, due=at(date(2027, 3, 10), 23, 59), met=at(date(2027, 3, 10), 9))
    measure = selectors.MEASURES_BY_KEY["callbacks_within_one_working_day"]
    with time_machine.travel(at(date(2027, 4, 10), 12), tick=False):
        performance = selectors.measure_performance(measure, today=timezone.localdate())
    assert performance.year == 2027
    assert performance.last_month.month == date(2027, 3, 1)
    assert performance.last_month.result == MeasureResult(1, 1)
    assert performance.year_to_date == MeasureResult(0, 0)


def test_the_consultation_and_moderation_pages_do_not_grow_with_comments(
    client, officer_client, django_assert_max_num_queries
):
    from charter.models import CommentStatus, VersionStatus
    from tests.charter.factories import CharterVersionFactory, PromiseCommentFactory

    version = CharterVersionFactory(
        status=VersionStatus.CONSULTATION,
        consultation_closes_on=timezone.localdate() + timedelta(days=7),
    )
    promises = [PromiseFactory(version=version, position=n) for n in (1, 2, 3)]
    PromiseCommentFactory(promise=promises[0], status=CommentStatus.PUBLISHED)
    PromiseCommentFactory(promise=promises[1])
    pages = [
        (client, reverse("charter:consultation", args=[version.number])),
        (officer_client, reverse("charter_staff:comments")),
        (officer_client, reverse("charter_staff:version", args=[version.pk])),
        (officer_client, reverse("charter_staff:versions")),
    ]
    counts = []
    for who, url in pages:
        with django_assert_max_num_queries(25) as few:
            assert who.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for promise in promises:
        for status in (CommentStatus.PUBLISHED, CommentStatus.PENDING) * 4:
            PromiseCommentFactory(promise=promise, status=status)
    for (who, url), count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            who.get(url)
