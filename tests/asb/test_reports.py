"""Reporting ASB: a report opens a case for the patch officer with a first-contact promise set by
the risk; repeated reports about the same people join the open case; reporters see only their own."""

from datetime import date, datetime

import pytest
import time_machine

from engagement.asb import services
from engagement.asb.models import AsbCase, AsbReport, Outcome, ReportUpdate, RiskLevel
from portal.models import AuditEntry, CaseKind, CaseStatus, DeadlineKind, Notification, Tenure
from portal.workdays import LONDON, end_of_day
from tests import factories
from tests.asb.factories import person

pytestmark = pytest.mark.django_db

# Friday 22 May 2026; Monday 25 May is the spring bank holiday.
FRIDAY = datetime(2026, 5, 22, 10, 0, tzinfo=LONDON)


@pytest.fixture
def estate():
    return factories.EstateFactory(name="Hollybank")


@pytest.fixture
def patch_officer(estate):
    return factories.OfficerFactory(patch=estate.neighbourhood, name="Priya Shah")


def neighbour(estate, **fields):
    resident = factories.ResidentFactory(**fields)
    home = factories.HomeFactory(estate=estate)
    factories.TenancyFactory(home=home, residents=[resident])
    resident.user = factories.UserFactory(email=resident.email)
    resident.save()
    return resident


def report(resident, *, people=(), risk=None, **fields):
    values = {
        "category": "noise",
        "what_happened": "Loud music every night until 3am",
        "where": "Hollybank House",
        "happened_on": date(2026, 5, 20),
    }
    values.update(fields)
    return services.make_report(
        reporter=resident, people=list(people), risk_answers=risk or {}, **values
    )


@time_machine.travel(FRIDAY)
def test_a_report_opens_a_case_for_the_patch_officer_with_contact_and_review_deadlines(
    estate, patch_officer
):
    tenant = neighbour(estate)

    made = report(tenant, people=[person(name="Dean Marsh", address="Flat 12, Hollybank House")])

    case = made.asb_case.case
    assert case.kind == CaseKind.ASB
    assert case.owner == patch_officer
    assert case.resident == tenant
    assert made.asb_case.estate == estate
    assert made.asb_case.risk_level == RiskLevel.STANDARD
    assert set(case.deadlines.values_list("kind", flat=True)) == {
        DeadlineKind.CONTACT,
        DeadlineKind.ASB_REVIEW,
    }
    assert made.contact_deadline.kind == DeadlineKind.CONTACT
    assert case.next_due_at == made.contact_deadline.due_at
    assert Notification.objects.filter(resident=tenant, template="asb_report_received").exists()
    assert made.asb_case.incidents.count() == 1
    assert list(made.updates.values_list("kind", flat=True)) == [ReportUpdate.Kind.RECEIVED]


@pytest.mark.parametrize(
    "answers, level, due",
    [
        (
            {"violence": True},
            RiskLevel.HIGH,
            date(2026, 5, 26),
        ),  # 1 working day, over the bank holiday
        ({"fear_of_harm": True}, RiskLevel.HIGH, date(2026, 5, 26)),
        (
            {"vulnerable": True, "repeated": True},
            RiskLevel.MEDIUM,
            date(2026, 5, 28),
        ),  # 3 working days
        ({"repeated": True}, RiskLevel.STANDARD, date(2026, 6, 1)),  # 5 working days
        ({}, RiskLevel.STANDARD, date(2026, 6, 1)),
    ],
)
@time_machine.travel(FRIDAY)
def test_the_risk_level_sets_the_first_contact_deadline_in_working_days(
    estate, patch_officer, answers, level, due
):
    made = report(neighbour(estate), risk=answers)

    assert made.asb_case.risk_level == level
    assert made.contact_deadline.due_at == end_of_day(due)


@time_machine.travel(FRIDAY)
def test_the_working_days_for_each_level_are_settings(estate, patch_officer, settings):
    settings.ASB_FIRST_CONTACT_WORKING_DAYS = {"high": 2, "medium": 4, "standard": 10}
    made = report(neighbour(estate), risk={"violence": True})
    assert made.contact_deadline.due_at == end_of_day(date(2026, 5, 27))


def test_an_officer_assessing_a_higher_risk_brings_the_first_contact_forward(estate, patch_officer):
    with time_machine.travel(FRIDAY):
        made = report(neighbour(estate))
    assert made.contact_deadline.due_at == end_of_day(date(2026, 6, 1))

    with time_machine.travel(datetime(2026, 5, 26, 9, 0, tzinfo=LONDON)):
        services.record_risk_assessment(
            asb_case=made.asb_case,
            officer=patch_officer,
            answers={"violence": True, "vulnerable": True},
        )

    made.refresh_from_db()
    assert made.asb_case.risk_level == RiskLevel.HIGH
    # One working day from the report (Friday), which is already past: now overdue.
    assert made.contact_deadline.due_at == end_of_day(date(2026, 5, 26))
    running = made.asb_case.case.deadlines.filter(
        kind=DeadlineKind.CONTACT, met_at__isnull=True, stopped_at__isnull=True
    )
    assert list(running) == [made.contact_deadline]
    assert made.updates.filter(message__contains="sooner").exists()


def test_a_lower_risk_never_pushes_a_promised_contact_later(estate, patch_officer):
    with time_machine.travel(FRIDAY):
        made = report(neighbour(estate), risk={"violence": True})
        services.record_risk_assessment(asb_case=made.asb_case, officer=patch_officer, answers={})
    made.refresh_from_db()
    assert made.asb_case.risk_level == RiskLevel.STANDARD
    assert made.contact_deadline.due_at == end_of_day(date(2026, 5, 26))


@time_machine.travel(FRIDAY)
def test_a_repeated_report_about_the_same_person_joins_the_open_case(estate, patch_officer):
    first = report(neighbour(estate), people=[person(name="Dean Marsh")])
    second_reporter = neighbour(estate)

    second = report(
        second_reporter, people=[person(name="  dean MARSH ", description="Tall, red jacket")]
    )

    assert second.asb_case == first.asb_case
    assert second.joined_existing
    assert AsbCase.objects.count() == 1
    assert second.asb_case.case.resident == first.reporter  # the case stays the first reporter's
    assert second.updates.filter(kind=ReportUpdate.Kind.JOINED).exists()
    assert second.contact_deadline.case == first.asb_case.case
    assert Notification.objects.filter(
        officer=patch_officer, template="asb_report_joined_officer"
    ).exists()
    # The first reporter's view of the case (the portal's case page) does not learn of the second.
    visible = first.asb_case.case.events.filter(visible_to_resident=True).values_list(
        "message", flat=True
    )
    assert not any(second_reporter.last_name in message for message in visible)
    assert first.asb_case.case.deadlines.filter(kind=DeadlineKind.CONTACT).count() == 2


@time_machine.travel(FRIDAY)
def test_the_same_address_matches_however_it_is_written(estate, patch_officer):
    first = report(neighbour(estate), people=[person(address="Flat 12, Hollybank House")])
    second = report(
        neighbour(estate),
        people=[person(description="The man at", address="flat 12 hollybank house.")],
    )
    assert second.asb_case == first.asb_case


@time_machine.travel(FRIDAY)
def test_a_report_about_one_of_our_homes_matches_by_the_home(estate, patch_officer):
    home = factories.HomeFactory(estate=estate, address_line_1="12 Hollybank Road")
    first = report(neighbour(estate), people=[person(address="12 Hollybank Road")])
    second = report(neighbour(estate), people=[person(address="12 hollybank road, Millbrook")])
    assert first.people.get().home == home
    assert second.asb_case == first.asb_case


@time_machine.travel(FRIDAY)
def test_a_report_about_the_same_people_does_not_join_a_closed_case(estate, patch_officer):
    first = report(neighbour(estate), people=[person(name="Dean Marsh")])
    services.close_case(
        asb_case=first.asb_case,
        officer=patch_officer,
        outcome=Outcome.RESOLVED,
        note_to_reporters="The noise has stopped after our warning.",
    )

    second = report(neighbour(estate), people=[person(name="Dean Marsh")])

    assert second.asb_case != first.asb_case
    assert not second.joined_existing
    assert AsbCase.objects.count() == 2


@time_machine.travel(FRIDAY)
def test_reports_about_different_people_or_another_estate_open_cases_of_their_own(
    estate, patch_officer
):
    first = report(neighbour(estate), people=[person(name="Dean Marsh")])
    other = report(neighbour(estate), people=[person(name="Kelly Price")])
    elsewhere = report(neighbour(factories.EstateFactory()), people=[person(name="Dean Marsh")])
    nobody = report(neighbour(estate))
    assert (
        len({first.asb_case_id, other.asb_case_id, elsewhere.asb_case_id, nobody.asb_case_id}) == 4
    )


@time_machine.travel(FRIDAY)
def test_a_hate_incident_is_recorded_on_the_case_and_a_joining_report_can_make_it_one(
    estate, patch_officer
):
    first = report(neighbour(estate), people=[person(name="Dean Marsh")])
    assert not first.asb_case.is_hate_incident

    second = report(
        neighbour(estate), people=[person(name="Dean Marsh")], hate_motivations=["race"]
    )

    case = AsbCase.objects.get(pk=first.asb_case_id)
    assert case.is_hate_incident
    assert case.hate_motivations == ["race"]
    assert second.is_hate_incident


@time_machine.travel(FRIDAY)
def test_the_same_submission_makes_one_report(estate, patch_officer):
    import uuid

    token = uuid.uuid4()
    tenant = neighbour(estate)
    assert report(tenant, submission_token=token) == report(tenant, submission_token=token)
    assert AsbReport.objects.count() == 1


@time_machine.travel(FRIDAY)
def test_reaching_the_reporter_keeps_their_first_contact_promise_and_they_see_it(
    estate, patch_officer
):
    first = report(neighbour(estate), people=[person(name="Dean Marsh")])
    second = report(neighbour(estate), people=[person(name="Dean Marsh")])

    services.record_contact(
        asb_case=first.asb_case,
        officer=patch_officer,
        with_whom="reporter",
        method="phone",
        report=second,
    )

    second.refresh_from_db()
    first.refresh_from_db()
    assert second.contact_deadline.met_at is not None
    assert first.contact_deadline.met_at is None
    assert second.updates.filter(
        kind=ReportUpdate.Kind.CONTACT, message=f"{patch_officer.name} called you."
    ).exists()
    assert not first.updates.filter(kind=ReportUpdate.Kind.CONTACT).exists()
    assert (
        first.asb_case.case.__class__.objects.get(pk=first.asb_case.case_id).status
        == CaseStatus.IN_PROGRESS
    )


@time_machine.travel(FRIDAY)
def test_an_update_to_every_reporter_reaches_each_on_their_own_report(estate, patch_officer):
    first = report(neighbour(estate), people=[person(name="Dean Marsh")])
    second = report(neighbour(estate), people=[person(name="Dean Marsh")])

    services.send_update(
        asb_case=first.asb_case, officer=patch_officer, message="We have written to the tenant."
    )

    for each in (first, second):
        assert each.updates.filter(message="We have written to the tenant.").exists()
        assert Notification.objects.filter(resident=each.reporter, template="asb_update").exists()


@time_machine.travel(FRIDAY)
def test_closing_tells_each_reporter_and_stops_the_clocks(estate, patch_officer):
    first = report(neighbour(estate), people=[person(name="Dean Marsh")])
    second = report(neighbour(estate), people=[person(name="Dean Marsh")])

    services.close_case(
        asb_case=first.asb_case,
        officer=patch_officer,
        outcome=Outcome.AGREEMENT,
        note_to_reporters="He signed an agreement.",
    )

    case = first.asb_case.case
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.next_due_at is None
    assert not case.deadlines.filter(met_at__isnull=True, stopped_at__isnull=True).exists()
    for each in (first, second):
        assert each.updates.filter(kind=ReportUpdate.Kind.CLOSED).exists()
    with pytest.raises(services.AsbError):
        services.add_action(
            asb_case=first.asb_case,
            officer=patch_officer,
            description="Visit",
            owner=patch_officer,
            due_on=date(2026, 6, 1),
        )


@time_machine.travel(FRIDAY)
def test_an_officer_can_split_a_report_out_and_join_it_back(estate, patch_officer):
    first = report(neighbour(estate), people=[person(name="Dean Marsh")])
    second = report(
        neighbour(estate), people=[person(name="Dean Marsh")], hate_motivations=["religion"]
    )

    split = services.move_report(report=second, officer=patch_officer)
    second.refresh_from_db()
    assert second.asb_case == split != first.asb_case
    assert split.people.count() == 1
    assert second.contact_deadline.case == split.case
    assert split.is_hate_incident

    joined = services.move_report(report=second, officer=patch_officer, to_case=first.asb_case)
    assert joined == first.asb_case
    split.refresh_from_db()
    assert split.merged_into == first.asb_case
    assert split.outcome == Outcome.JOINED
    assert split.case.status == CaseStatus.CLOSED
    assert first.asb_case.reports.count() == 2


@time_machine.travel(FRIDAY)
def test_an_officer_logging_a_report_leaves_an_audit_entry(estate, patch_officer):
    tenant = neighbour(estate)
    report(tenant, logged_by=patch_officer, channel="phone")
    assert AuditEntry.objects.filter(
        actor=patch_officer.user, resident=tenant, action="create"
    ).exists()


@time_machine.travel(FRIDAY)
def test_a_leaseholder_can_report_too(estate, patch_officer):
    leaseholder = factories.resident_with_home(tenure=Tenure.LEASEHOLD)
    assert report(leaseholder).asb_case.case.resident == leaseholder


def test_the_reminder_sweep_reminds_the_officer_of_an_overdue_first_contact(estate, patch_officer):
    from portal.services.reminders import sweep_deadline_reminders

    with time_machine.travel(FRIDAY):
        made = report(
            neighbour(estate), risk={"violence": True}
        )  # contact by end of Tuesday 26 May
    with time_machine.travel(datetime(2026, 5, 27, 9, 0, tzinfo=LONDON)):
        sweep_deadline_reminders()

    reminders = Notification.objects.filter(officer=patch_officer, case=made.asb_case.case)
    assert reminders.filter(template="deadline_reminder").exists()
