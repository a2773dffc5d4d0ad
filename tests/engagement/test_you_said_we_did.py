"""The public "you said, we did" list: every app's published changes, newest first, paginated."""

import datetime as dt

import pytest
from django.utils import timezone

from engagement import services
from engagement.models import ChangeSource
from portal import extensions
from portal.extensions import ChangeMade
from tests.engagement.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def complaints_learning():
    """Another app's published learning, as the complaints app registers it."""

    def provider():
        return [
            ChangeMade(
                made_on=dt.date(2026, 1, 5),
                you_said="Letters were confusing",
                we_did="We rewrote them",
                source="Complaints",
            )
        ]

    extensions.register_change_source(provider)
    yield
    extensions._change_sources.remove(provider)


def test_the_public_page_lists_published_changes_from_every_source_and_links_to_each(
    client, manager, officer, complaints_learning
):
    review = ReviewFactory(published_at=timezone.now())
    services.record_change(
        officer=manager,
        source=ChangeSource.SCRUTINY,
        review=review,
        you_said="Call-backs were late",
        we_did="New rota",
        made_on=dt.date(2026, 3, 1),
        publish=True,
    )
    draft = services.record_change(
        officer=officer,
        source=ChangeSource.SCRUTINY,
        review=review,
        you_said="Secret draft",
        we_did="Not yet",
        made_on=dt.date(2026, 3, 2),
    )
    page = client.get("/you-said-we-did/").content.decode()
    assert "Call-backs were late" in page
    assert f"/get-involved/scrutiny/{review.slug}/" in page
    assert "Letters were confusing" in page
    assert "Secret draft" not in page
    assert page.index("Call-backs were late") < page.index("Letters were confusing")  # newest first

    services.set_change_published(entry=draft, officer=manager, published=True)
    assert "Secret draft" in client.get("/you-said-we-did/").content.decode()


def test_only_a_manager_publishes_and_the_source_must_be_named(officer, manager):
    with pytest.raises(services.EngagementError):
        services.record_change(
            officer=officer,
            source=ChangeSource.PANEL,
            panel=None,
            you_said="x",
            we_did="y",
            made_on=dt.date.today(),
            publish=True,
        )
    with pytest.raises(services.EngagementError, match="scrutiny review"):
        services.record_change(
            officer=manager,
            source=ChangeSource.SCRUTINY,
            you_said="x",
            we_did="y",
            made_on=dt.date.today(),
        )


def test_the_list_is_paginated(client, manager):
    review = ReviewFactory(published_at=timezone.now())
    for n in range(25):
        services.record_change(
            officer=manager,
            source=ChangeSource.SCRUTINY,
            review=review,
            you_said=f"Point {n:02d}",
            we_did="Done",
            made_on=dt.date(2026, 1, 1) + dt.timedelta(days=n),
            publish=True,
        )
    first = client.get("/you-said-we-did/").content.decode()
    second = client.get("/you-said-we-did/?page=2").content.decode()
    assert "Point 24" in first and "Point 00" not in first
    assert "Point 00" in second
    assert 'aria-label="Page 2"' in first
