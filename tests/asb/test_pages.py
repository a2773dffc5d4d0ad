"""The resident and staff pages: reporting with errors kept, following one's own report only,
every staff view audited, the steps on a case, and lists whose query counts do not grow."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from engagement.asb import services
from engagement.asb.models import Action, AsbReport, RiskAssessment
from portal.models import AuditEntry
from tests import factories
from tests.asb.factories import person

pytestmark = pytest.mark.django_db


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


def report(resident, **fields):
    values = {
        "category": "noise",
        "what_happened": "Loud music every night until 3am",
        "where": "Hollybank House",
        "happened_on": timezone.localdate() - timedelta(days=1),
        "people": [person(name="Dean Marsh")],
    }
    values.update(fields)
    return services.make_report(reporter=resident, **values)


def form_data(**overrides):
    yesterday = timezone.localdate() - timedelta(days=1)
    data = {
        "category": "verbal_abuse",
        "what_happened": "He shouted abuse at me on the stairs",
        "where": "Stairwell, Hollybank House",
        "happened_on_0": yesterday.day,
        "happened_on_1": yesterday.month,
        "happened_on_2": yesterday.year,
        "happened_at_time": "about 8pm",
        "person_1_name": "Dean Marsh",
        "person_1_description": "Tall, red jacket",
        "person_1_address": "Flat 12, Hollybank House",
        "hate_motivations": ["race"],
        "risk_answers": ["fear_of_harm", "repeated"],
        "submission_token": "6f1c7c1e-7d43-4c1c-9a0e-1a2b3c4d5e6f",
    }
    data.update(overrides)
    return data


def test_a_tenant_reports_asb_online_and_lands_on_their_report(client, estate, patch_officer):
    tenant = neighbour(estate)
    client.force_login(tenant.user)

    response = client.post(reverse("asb:new"), form_data())

    made = AsbReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("asb:detail", args=[made.pk])
    assert made.reporter == tenant
    assert made.is_hate_incident and made.hate_motivations == ["race"]
    assert made.asb_case.risk_level == "high"
    assert made.people.get().name == "Dean Marsh"
    page = client.get(response["Location"])
    assert "We have received your report." in page.content.decode()
    assert "Priya Shah" in page.content.decode()


def test_sending_the_same_form_twice_makes_one_report(client, estate, patch_officer):
    tenant = neighbour(estate)
    client.force_login(tenant.user)
    client.post(reverse("asb:new"), form_data())
    client.post(reverse("asb:new"), form_data())
    assert AsbReport.objects.count() == 1


def test_a_blank_report_shows_errors_and_keeps_what_was_typed(client, estate, patch_officer):
    client.force_login(neighbour(estate).user)
    response = client.post(
        reverse("asb:new"),
        form_data(what_happened="", category="", where="Outside the shop", happened_on_0=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Tell us what happened" in html
    assert "Select what kind of behaviour it is" in html
    assert "Outside the shop" in html
    assert "Dean Marsh" in html
    assert not AsbReport.objects.exists()


def test_a_report_about_the_same_people_tells_the_reporter_it_joined_a_case(
    client, estate, patch_officer
):
    report(neighbour(estate))
    second = neighbour(estate)
    client.force_login(second.user)

    response = client.post(reverse("asb:new"), form_data(), follow=True)

    html = response.content.decode()
    assert "We have added your report to a case we are already working on." in html
    assert "already working on a case about the same people" in html


def test_a_resident_cannot_see_another_residents_report(client, estate, patch_officer):
    theirs = report(neighbour(estate))
    client.force_login(neighbour(estate).user)
    assert client.get(reverse("asb:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("asb:detail", args=[999999])).status_code == 404


def test_a_joining_reporter_never_sees_the_first_reporters_identity_or_words(
    client, estate, patch_officer
):
    first_reporter = neighbour(estate, first_name="Agnieszka", last_name="Kowalczyk")
    report(first_reporter, what_happened="Secret words of the first reporter")
    second_reporter = neighbour(estate)
    second = report(second_reporter, what_happened="My own account")
    services.send_update(
        asb_case=second.asb_case, officer=patch_officer, message="We have visited the household."
    )
    client.force_login(second_reporter.user)

    html = client.get(reverse("asb:detail", args=[second.pk])).content.decode()

    assert "My own account" in html
    assert "We have visited the household." in html
    assert "Kowalczyk" not in html
    assert "Secret words" not in html
    # Nor does the generic case page let them in: the case is the first reporter's.
    assert (
        client.get(reverse("case_detail", args=[second.asb_case.case.reference])).status_code == 404
    )


def test_the_first_reporter_can_follow_their_report_from_the_case_page(
    client, estate, patch_officer
):
    first_reporter = neighbour(estate)
    first = report(first_reporter)
    client.force_login(first_reporter.user)
    html = client.get(reverse("case_detail", args=[first.asb_case.case.reference])).content.decode()
    assert reverse("asb:detail", args=[first.pk]) in html


def test_staff_pages_need_a_staff_account(client, estate, patch_officer):
    made = report(neighbour(estate))
    client.force_login(neighbour(estate).user)
    assert client.get(reverse("asb_staff:list")).status_code == 403
    assert (
        client.get(reverse("asb_staff:detail", args=[made.asb_case.case.reference])).status_code
        == 403
    )


def test_every_staff_view_of_a_case_is_audited_for_each_reporter(client, estate, patch_officer):
    first = report(neighbour(estate))
    second = report(neighbour(estate))
    client.force_login(patch_officer.user)

    client.get(reverse("asb_staff:detail", args=[first.asb_case.case.reference]))
    client.get(reverse("asb_staff:risk", args=[first.asb_case.case.reference]))

    views = AuditEntry.objects.filter(actor=patch_officer.user, action=AuditEntry.Action.VIEW)
    assert set(views.values_list("resident", flat=True)) == {first.reporter_id, second.reporter_id}
    assert views.count() == 4


def test_an_officer_records_the_risk_assessment_and_the_action_plan(client, estate, patch_officer):
    made = report(neighbour(estate))
    reference = made.asb_case.case.reference
    client.force_login(patch_officer.user)

    response = client.post(
        reverse("asb_staff:risk", args=[reference]), {"answers": ["violence"], "notes": "Threats"}
    )
    assert response.status_code == 302
    assert RiskAssessment.objects.filter(assessed_by=patch_officer, level="high").exists()

    due = timezone.localdate() + timedelta(days=7)
    response = client.post(
        reverse("asb_staff:add_action", args=[reference]),
        {
            "description": "Visit the victim",
            "owner": patch_officer.pk,
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.due_on) == (patch_officer, due)

    client.post(reverse("asb_staff:complete_action", args=[action.pk]))
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()

    html = client.get(reverse("asb_staff:detail", args=[reference])).content.decode()
    assert "Visit the victim" in html
    assert "Threats" in html


def test_an_action_without_a_due_date_is_refused_with_a_message(client, estate, patch_officer):
    made = report(neighbour(estate))
    client.force_login(patch_officer.user)
    response = client.post(
        reverse("asb_staff:add_action", args=[made.asb_case.case.reference]),
        {"description": "Visit the victim", "owner": patch_officer.pk},
    )
    assert response.status_code == 200
    assert "Enter due date" in response.content.decode()
    assert not Action.objects.exists()


def test_an_officer_updates_the_reporter_who_sees_it(client, estate, patch_officer):
    tenant = neighbour(estate)
    made = report(tenant)
    client.force_login(patch_officer.user)
    client.post(
        reverse("asb_staff:update", args=[made.asb_case.case.reference]),
        {"to": "all", "message": "We have visited."},
    )
    client.force_login(tenant.user)
    assert "We have visited." in client.get(reverse("asb:detail", args=[made.pk])).content.decode()


def test_an_officer_closes_a_case_with_an_outcome(client, estate, patch_officer):
    tenant = neighbour(estate)
    made = report(tenant)
    client.force_login(patch_officer.user)
    response = client.post(
        reverse("asb_staff:close", args=[made.asb_case.case.reference]),
        {"outcome": "resolved", "note_to_reporters": "The music has stopped."},
    )
    assert response.status_code == 302
    made.asb_case.refresh_from_db()
    assert made.asb_case.outcome == "resolved"
    client.force_login(tenant.user)
    assert (
        "The music has stopped."
        in client.get(reverse("asb:detail", args=[made.pk])).content.decode()
    )


def test_an_officer_splits_a_report_into_its_own_case(client, estate, patch_officer):
    report(neighbour(estate))
    second = report(neighbour(estate))
    client.force_login(patch_officer.user)
    response = client.post(
        reverse("asb_staff:move_report", args=[second.asb_case.case.reference, second.pk]),
        {"destination": "new"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert not second.joined_existing
    assert second.asb_case.reports.count() == 1


def test_nm01_page_shows_the_years_figures(client, estate, patch_officer):
    report(neighbour(estate), hate_motivations=["disability"])
    client.force_login(patch_officer.user)
    html = client.get(reverse("asb_staff:nm01")).content.decode()
    assert "NM01" in html
    assert "Hollybank" in html


# -- query counts -----------------------------------------------------------------------------------


def _many_reports(estate, count):
    for n in range(count):
        report(
            neighbour(estate),
            people=[person(name=f"Person {n}")],
            hate_motivations=["race"] if n % 2 else [],
        )


def test_the_staff_list_costs_the_same_however_many_cases(
    client, estate, patch_officer, django_assert_max_num_queries
):
    _many_reports(estate, 3)
    client.force_login(patch_officer.user)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("asb_staff:list"))
    _many_reports(estate, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("asb_staff:list"))
    assert response.content.decode().count("Person") == 0  # names of the people are not on the list
    assert response.status_code == 200


def test_the_case_page_costs_the_same_however_much_is_on_it(
    client, estate, patch_officer, django_assert_max_num_queries
):
    first = report(neighbour(estate))
    client.force_login(patch_officer.user)
    reference = first.asb_case.case.reference
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("asb_staff:detail", args=[reference]))
    for _ in range(4):
        more = report(neighbour(estate))
        services.record_contact(
            asb_case=more.asb_case,
            officer=patch_officer,
            with_whom="reporter",
            method="phone",
            report=more,
        )
        services.add_action(
            asb_case=more.asb_case,
            officer=patch_officer,
            description="Visit",
            owner=patch_officer,
            due_on=date.today(),
        )
    # Each reporter's view is audited (one insert each); nothing else grows.
    with django_assert_max_num_queries(len(few.captured_queries) + 4):
        client.get(reverse("asb_staff:detail", args=[reference]))


def test_the_residents_list_costs_the_same_however_many_reports(
    client, estate, patch_officer, django_assert_max_num_queries
):
    tenant = neighbour(estate)
    report(tenant)
    client.force_login(tenant.user)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("asb:list"))
    for n in range(5):
        report(tenant, people=[person(name=f"Other {n}")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("asb:list"))


def test_the_nm01_page_costs_the_same_however_many_cases(
    client, estate, patch_officer, django_assert_max_num_queries
):
    _many_reports(estate, 2)
    client.force_login(patch_officer.user)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("asb_staff:nm01"))
    _many_reports(factories.EstateFactory(neighbourhood=estate.neighbourhood), 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("asb_staff:nm01"))


def test_the_subject_access_export_holds_only_the_residents_own_reports(estate, patch_officer):
    from engagement.asb.extensions import export_for_resident

    tenant = neighbour(estate)
    report(tenant, what_happened="Mine")
    report(neighbour(estate), what_happened="Someone else's")
    exported = export_for_resident(tenant)
    assert [item["what_happened"] for item in exported] == ["Mine"]
    assert exported[0]["people_described"][0]["name"] == "Dean Marsh"


def test_a_reporter_adds_another_incident_to_their_diary_and_the_officer_is_told(
    client, estate, patch_officer
):
    from engagement.asb.models import Incident
    from portal.models import Notification

    tenant = neighbour(estate)
    made = report(tenant)
    client.force_login(tenant.user)
    yesterday = timezone.localdate() - timedelta(days=1)

    response = client.post(
        reverse("asb:diary", args=[made.pk]),
        {
            "happened_on_0": yesterday.day,
            "happened_on_1": yesterday.month,
            "happened_on_2": yesterday.year,
            "what_happened": "He kicked my door at midnight",
        },
    )

    assert response.status_code == 302
    assert Incident.objects.filter(
        report=made, what_happened="He kicked my door at midnight"
    ).exists()
    assert Notification.objects.filter(
        officer=patch_officer, template="asb_diary_entry_officer"
    ).exists()
    other = neighbour(estate)
    client.force_login(other.user)
    assert client.get(reverse("asb:diary", args=[made.pk])).status_code == 404


def test_an_officer_logs_a_phone_report_for_a_resident(client, estate, patch_officer):
    tenant = neighbour(estate)
    tenancy = tenant.tenancies.get()
    client.force_login(patch_officer.user)

    found = client.get(reverse("asb_staff:new"), {"tenancy_reference": tenancy.reference})
    assert reverse("asb_staff:log", args=[tenant.pk]) in found.content.decode()
    page = client.get(reverse("asb_staff:log", args=[tenant.pk])).content.decode()
    assert "How did it reach us?" in page and "Log the report" in page

    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        reverse("asb_staff:log", args=[tenant.pk]),
        {
            "channel": "phone",
            "category": "noise",
            "what_happened": "Drilling at night",
            "where": "Flat above",
            "happened_on_0": yesterday.day,
            "happened_on_1": yesterday.month,
            "happened_on_2": yesterday.year,
            "submission_token": "0b4a1f0e-0000-4000-8000-000000000abc",
        },
    )

    made = AsbReport.objects.get()
    assert response.status_code == 302
    assert (made.reporter, made.channel, made.logged_by) == (tenant, "phone", patch_officer)
    assert AuditEntry.objects.filter(
        actor=patch_officer.user, resident=tenant, action="create"
    ).exists()


def test_the_residents_report_page_costs_the_same_however_long_its_timeline(
    client, estate, patch_officer, django_assert_max_num_queries
):
    tenant = neighbour(estate)
    made = report(tenant)
    client.force_login(tenant.user)
    url = reverse("asb:detail", args=[made.pk])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(5):
        services.send_update(asb_case=made.asb_case, officer=patch_officer, message=f"Update {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Update 4" in response.content.decode()


def _add_actions_and_contacts(asb_case, made, officer, count):
    for n in range(count):
        services.add_action(
            asb_case=asb_case,
            officer=officer,
            description=f"Visit {n}",
            owner=officer,
            due_on=date.today(),
        )
        services.record_contact(
            asb_case=asb_case, officer=officer, with_whom="reporter", method="phone", report=made
        )


@pytest.mark.parametrize("step", ["owner", "risk", "hate", "move_report"])
def test_a_step_on_a_case_reads_the_case_once_however_much_is_on_it(
    client, estate, patch_officer, django_assert_max_num_queries, django_assert_num_queries, step
):
    made = report(neighbour(estate))
    asb_case = made.asb_case
    args = [asb_case.case.reference] + ([made.pk] if step == "move_report" else [])
    url = reverse(f"asb_staff:{step}", args=args)
    client.force_login(patch_officer.user)
    _add_actions_and_contacts(asb_case, made, patch_officer, 2)
    client.get(url)  # the session and the officer's first look, not what is being measured
    # The view loads the case with all it shows once and hands it to the step: loading it again
    # there cost a second set of the same queries (25 instead of 15 on the demo's cases).
    with django_assert_max_num_queries(15) as few:
        assert client.get(url).status_code == 200
    _add_actions_and_contacts(asb_case, made, patch_officer, 18)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
