"""The customer voice report: the customer committee (and staff) write the draft, a manager
publishes it, and the published report is public and frozen."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from charter import selectors, services
from charter.models import CustomerVoiceReport
from engagement.models import (
    MembershipStatus,
    Panel,
    PanelKind,
    PanelMembership,
    Recommendation,
    ScrutinyReview,
)
from portal.models import DeadlineKind
from tests.charter.factories import at, deadline

pytestmark = pytest.mark.django_db

TODAY = date(2026, 2, 10)  # financial year 2025 (2025 to 2026)


def panel(kind=PanelKind.CUSTOMER_COMMITTEE, **fields):
    return Panel.objects.create(
        name=fields.pop("name", "Customer Committee"),
        slug=fields.pop("slug", kind),
        kind=kind,
        purpose="Holds us to account.",
        what_members_do="Meets monthly.",
        time_commitment="Two hours a month",
        **fields,
    )


def join(resident, to_panel):
    return PanelMembership.objects.create(
        panel=to_panel,
        resident=resident,
        status=MembershipStatus.MEMBER,
        why="To help",
        term_starts_on=TODAY,
    )


@pytest.fixture
def committee_member(resident):
    join(resident, panel())
    return resident


def report_form(**fields):
    return {
        "foreword": "A year of change.",
        "what_changed": "Residents reshaped repairs.",
        "looking_ahead": "",
        **fields,
    }


@time_machine.travel(at(TODAY, 12), tick=False)
def test_a_committee_member_writes_the_draft_from_their_account(resident_client, committee_member):
    url = reverse("charter:committee_voice_report", args=[2025])
    page = resident_client.get(url)
    assert page.status_code == 200 and "Customer voice report 2025 to 2026" in page.content.decode()
    resident_client.post(url, report_form())
    report = CustomerVoiceReport.objects.get(year=2025)
    assert report.foreword == "A year of change." and report.last_edited_by == committee_member.user
    assert not report.is_published
    home = resident_client.get(reverse("home")).content.decode()
    assert "Write the customer voice report 2025 to 2026" in home


@time_machine.travel(at(TODAY, 12), tick=False)
def test_residents_outside_the_committee_cannot_edit_it(resident_client, resident):
    join(resident, panel(PanelKind.SCRUTINY, slug="scrutiny", name="Scrutiny Panel"))
    assert (
        resident_client.get(reverse("charter:committee_voice_report", args=[2025])).status_code
        == 403
    )


@time_machine.travel(at(TODAY, 12), tick=False)
def test_staff_edit_and_only_a_manager_publishes(officer_client, officer, manager):
    officer_client.post(reverse("charter_staff:voice_report", args=[2025]), report_form())
    report = CustomerVoiceReport.objects.get(year=2025)
    assert (
        officer_client.post(reverse("charter_staff:voice_report_publish", args=[2025])).status_code
        == 403
    )
    with pytest.raises(services.CharterError):
        services.publish_voice_report(report=report, officer=officer)
    services.publish_voice_report(report=report, officer=manager)
    assert CustomerVoiceReport.objects.get(year=2025).is_published


@time_machine.travel(at(TODAY, 12), tick=False)
def test_a_draft_is_not_public(client):
    services.save_voice_report(
        year=2025, user=None, foreword="Draft", what_changed="", looking_ahead=""
    )
    assert client.get(reverse("charter:voice_report", args=[2025])).status_code == 404


@time_machine.travel(at(TODAY, 12), tick=False)
def test_the_published_report_gathers_the_years_evidence_and_then_never_changes(client, manager):
    scrutiny = panel(PanelKind.SCRUTINY, slug="scrutiny", name="Scrutiny Panel")
    review = ScrutinyReview.objects.create(
        panel=scrutiny,
        title="How we handle damp and mould",
        slug="damp",
        service="Repairs",
        scope="Damp",
        questions="Are we quick enough?",
        starts_on=date(2025, 5, 1),
        report_due_on=date(2025, 9, 1),
        summary="Residents found slow follow-up visits.",
        published_at=at(date(2025, 10, 1)),
    )
    Recommendation.objects.create(
        review=review, number=1, text="Visit within 10 days", decision="accepted"
    )
    ScrutinyReview.objects.create(
        panel=scrutiny,
        title="Last year's review",
        slug="old",
        service="Rent",
        scope="Rent",
        questions="?",
        starts_on=date(2024, 5, 1),
        report_due_on=date(2024, 9, 1),
        published_at=at(date(2025, 3, 1)),
    )
    deadline(
        DeadlineKind.CALLBACK, due=at(date(2025, 11, 3), 23, 59), met=at(date(2025, 11, 3), 10)
    )
    report = services.save_voice_report(
        year=2025,
        user=manager.user,
        foreword="Our foreword.",
        what_changed="You changed things.",
        looking_ahead="",
    )
    services.publish_voice_report(report=report, officer=manager)

    page = client.get(reverse("charter:voice_report", args=[2025])).content.decode()
    assert "Our foreword." in page
    assert "How we handle damp and mould" in page and "Visit within 10 days" in page
    assert "Last year&#x27;s review" not in page and "Last year's review" not in page
    assert "100.0% (1 of 1 call-backs)" in page

    # Later records and later edits do not touch the published report.
    deadline(DeadlineKind.CALLBACK, due=at(date(2025, 12, 1), 23, 59))
    review.title = "Renamed afterwards"
    review.save()
    with pytest.raises(services.CharterError):
        services.save_voice_report(
            year=2025, user=manager.user, foreword="Rewritten", what_changed="", looking_ahead=""
        )
    again = client.get(reverse("charter:voice_report", args=[2025])).content.decode()
    assert "How we handle damp and mould" in again and "Renamed afterwards" not in again
    assert "100.0% (1 of 1 call-backs)" in again and "Our foreword." in again
    with pytest.raises(services.CharterError):
        services.publish_voice_report(
            report=CustomerVoiceReport.objects.get(year=2025), officer=manager
        )


@time_machine.travel(at(TODAY, 12), tick=False)
def test_the_evidence_lists_changes_made_in_the_year_only():
    from portal import extensions

    def source():
        return [
            extensions.ChangeMade(
                made_on=date(2025, 6, 1),
                you_said="Bins overflow",
                we_did="Added a collection",
                source="Complaints",
            ),
            extensions.ChangeMade(
                made_on=date(2024, 6, 1), you_said="Old", we_did="Old", source="Complaints"
            ),
        ]

    extensions.register_change_source(source)
    try:
        evidence = selectors.voice_report_evidence(2025)
    finally:
        extensions._change_sources.remove(source)
    assert [c["you_said"] for c in evidence["changes"]] == ["Bins overflow"]


@time_machine.travel(at(TODAY, 12), tick=False)
def test_the_published_tenant_satisfaction_measures_are_included_when_published():
    evidence = selectors.voice_report_evidence(2025)
    assert evidence["satisfaction_published"] is False
    assert evidence["satisfaction"] == []


@time_machine.travel(at(TODAY, 12), tick=False)
def test_the_public_report_page_has_a_fixed_number_of_queries(
    client, manager, django_assert_max_num_queries
):
    report = services.save_voice_report(
        year=2025, user=manager.user, foreword="F", what_changed="W", looking_ahead=""
    )
    for n in range(30):
        deadline(DeadlineKind.CALLBACK, due=at(date(2025, 6, 2) + timedelta(days=n), 23, 59))
    services.publish_voice_report(report=report, officer=manager)
    with django_assert_max_num_queries(6):
        client.get(reverse("charter:voice_report", args=[2025]))
