"""The staff pages: only officers get in, reads of a resident's record are audited, and the
pages cost the same few queries whatever the size of the patch."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from portal.models import (
    AuditEntry,
    CaseStatus,
    DeadlineKind,
    Landlord,
    Notification,
    NotificationStatus,
    OfficerRole,
    Tenure,
)
from portal.services.cases import set_deadline
from portal.workdays import LONDON, end_of_day
from tests import factories

pytestmark = pytest.mark.django_db


def a_notification(resident, **fields):
    defaults = {
        "resident": resident,
        "channel": "email",
        "to": resident.email,
        "template": "case_update",
        "subject": "Update on your repair",
        "body": "We have booked your repair.",
        "next_attempt_at": timezone.now(),
    }
    return Notification.objects.create(**(defaults | fields))


def home_in(patch, **fields):
    return factories.HomeFactory(estate=factories.EstateFactory(neighbourhood=patch), **fields)


def resident_in(patch, **fields):
    resident = factories.ResidentFactory(**fields)
    factories.TenancyFactory(home=home_in(patch), residents=[resident])
    return resident


# Who may see what ---------------------------------------------------------------------------


def staff_urls():
    return [
        ("get", reverse("staff:home")),
        ("get", reverse("staff:resident", args=[1])),
        ("get", reverse("staff:notifications")),
        ("post", reverse("staff:resend_notification", args=[1])),
    ]


@pytest.mark.parametrize(("method", "url"), staff_urls())
def test_a_resident_is_refused_every_staff_page(resident_client, method, url):
    assert getattr(resident_client, method)(url).status_code == 403


@pytest.mark.parametrize(("method", "url"), staff_urls())
def test_anonymous_visitors_are_sent_to_sign_in_from_staff_pages(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_former_officer_is_refused_the_staff_area(client):
    officer = factories.OfficerFactory(is_active=False)
    client.force_login(officer.user)
    assert client.get(reverse("staff:home")).status_code == 403


def test_a_resident_record_that_does_not_exist_is_not_found(officer_client):
    assert officer_client.get(reverse("staff:resident", args=[999_999])).status_code == 404


def test_sending_again_needs_a_post(officer_client, resident):
    notification = a_notification(resident, status=NotificationStatus.FAILED)
    response = officer_client.get(reverse("staff:resend_notification", args=[notification.pk]))
    assert response.status_code == 405


# The staff home -------------------------------------------------------------------------------


def test_the_staff_home_shows_the_officer_the_patch_in_numbers_and_its_open_cases(officer_client, officer):
    officer.patch.name = "Riverside"
    officer.patch.save()
    tenant = resident_in(officer.patch, first_name="Amara", last_name="Nwosu")
    home_in(officer.patch, tenure=Tenure.LEASEHOLD)
    case = factories.CaseFactory(resident=tenant, home=tenant.tenancies.get().home, summary="Damp in bedroom")
    set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=timezone.now() + timedelta(days=3))
    elsewhere = factories.resident_with_home(first_name="Outside", last_name="Patch")
    factories.CaseFactory(resident=elsewhere, home=elsewhere.tenancies.get().home)

    response = officer_client.get(reverse("staff:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert escape(officer.name) in html  # names such as O'Brien are escaped in HTML
    assert "Housing officer" in html
    assert "Riverside" in html
    assert case.reference in html
    assert reverse("staff:resident", args=[tenant.pk]) in html
    assert "Amara Nwosu" in html
    assert "Outside Patch" not in html
    assert "Leasehold" in html


def test_the_staff_home_pages_through_the_homes_in_the_patch(officer_client, officer):
    estate = factories.EstateFactory(neighbourhood=officer.patch)
    for number in range(1, 56):
        factories.HomeFactory(estate=estate, address_line_1=f"{number:03d} Canal Street", postcode="MB1 1AA")

    first = officer_client.get(reverse("staff:home")).content.decode()
    second = officer_client.get(reverse("staff:home") + "?page=2").content.decode()

    assert "001 Canal Street" in first and "055 Canal Street" not in first
    assert "055 Canal Street" in second and "001 Canal Street" not in second
    assert "govuk-pagination" in first
    assert 'href="?page=2"' in first


@time_machine.travel(datetime(2026, 11, 27, 10, 0, tzinfo=LONDON), tick=False)
def test_overdue_cases_say_since_when(officer_client, officer):
    tenant = resident_in(officer.patch)
    case = factories.CaseFactory(resident=tenant, home=tenant.tenancies.get().home)
    set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=end_of_day(datetime(2026, 11, 26).date()))
    html = officer_client.get(reverse("staff:home")).content.decode()
    assert "Overdue since Thursday 26 November" in html
    assert "ds-due--overdue" in html


def test_an_officer_without_a_patch_sees_a_summary_of_the_whole_landlord(client):
    manager = factories.OfficerFactory(role=OfficerRole.MANAGER, patch=None)
    factories.HomeFactory()
    client.force_login(manager.user)

    response = client.get(reverse("staff:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "You do not look after a patch" in html
    assert "Manager" in html


@pytest.mark.parametrize("size", [5, 50])
def test_the_staff_home_needs_the_same_few_queries_however_big_the_patch(
    officer_client, officer, django_assert_max_num_queries, size
):
    for _ in range(size):
        tenant = resident_in(officer.patch)
        case = factories.CaseFactory(resident=tenant, home=tenant.tenancies.get().home)
        set_deadline(case=case, kind=DeadlineKind.CALLBACK, due_at=timezone.now() + timedelta(days=2))
    Landlord.current()  # the landlord is cached between requests; warm it as a running site would
    with django_assert_max_num_queries(11):
        assert officer_client.get(reverse("staff:home")).status_code == 200


# A resident's record ------------------------------------------------------------------------------


def test_viewing_a_resident_record_writes_an_audit_entry(officer_client, officer):
    tenant = resident_in(officer.patch, needs_large_print=True, accessibility_needs="Uses a wheelchair")

    response = officer_client.get(reverse("staff:resident", args=[tenant.pk]))

    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert entry.actor == officer.user
    assert entry.resident == tenant
    assert entry.action == AuditEntry.Action.VIEW
    html = response.content.decode()
    assert tenant.email in html
    assert "Large print" in html
    assert "Uses a wheelchair" in html
    assert tenant.tenancies.get().reference in html


def test_a_resident_record_lists_their_cases(officer_client, officer):
    tenant = resident_in(officer.patch)
    case = factories.CaseFactory(resident=tenant, home=tenant.tenancies.get().home, summary="Gutter overflowing")
    html = officer_client.get(reverse("staff:resident", args=[tenant.pk])).content.decode()
    assert case.reference in html
    assert "Gutter overflowing" in html


# Messages sent ------------------------------------------------------------------------------------


def test_the_outbox_lists_messages_with_their_status_and_last_error(officer_client, resident):
    a_notification(resident, subject="Your repair is booked", status=NotificationStatus.SENT, attempts=1)
    a_notification(
        resident,
        subject="Your complaint",
        status=NotificationStatus.FAILED,
        attempts=8,
        last_error="SMTPRecipientsRefused: mailbox full",
    )

    html = officer_client.get(reverse("staff:notifications")).content.decode()

    assert "Your repair is booked" in html
    assert "Your complaint" in html
    assert "mailbox full" in html
    assert "govuk-tag--red" in html
    assert html.count("Send again") == 1


def test_the_outbox_filters_by_status(officer_client, resident):
    a_notification(resident, subject="Delivered fine", status=NotificationStatus.SENT)
    a_notification(resident, subject="Never arrived", status=NotificationStatus.FAILED)

    html = officer_client.get(reverse("staff:notifications") + "?status=failed").content.decode()

    assert "Never arrived" in html
    assert "Delivered fine" not in html


def test_sending_a_failed_message_again_queues_it_and_records_who_asked(officer_client, officer, resident):
    notification = a_notification(resident, status=NotificationStatus.FAILED, attempts=8)

    response = officer_client.post(
        reverse("staff:resend_notification", args=[notification.pk]), {"status": "failed"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("staff:notifications") + "?status=failed"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.RETRYING
    assert AuditEntry.objects.filter(actor=officer.user, resident=resident, action=AuditEntry.Action.CHANGE).exists()


def test_the_case_status_tag_colours_follow_the_status(officer_client, officer):
    tenant = resident_in(officer.patch)
    factories.CaseFactory(resident=tenant, home=tenant.tenancies.get().home, status=CaseStatus.ON_HOLD)
    html = officer_client.get(reverse("staff:home")).content.decode()
    assert 'class="govuk-tag govuk-tag--yellow">On hold' in html


def test_open_cases_with_a_deadline_come_before_those_without(officer_client, officer):
    tenant = resident_in(officer.patch)
    home = tenant.tenancies.get().home
    no_deadline = factories.CaseFactory(resident=tenant, home=home)
    with_deadline = factories.CaseFactory(resident=tenant, home=home)
    set_deadline(case=with_deadline, kind=DeadlineKind.CALLBACK, due_at=timezone.now() + timedelta(days=5))
    html = officer_client.get(reverse("staff:home")).content.decode()
    assert html.index(with_deadline.reference) < html.index(no_deadline.reference)


def test_a_name_with_an_apostrophe_shows_as_written_and_is_escaped(officer_client, officer):
    tenant = resident_in(officer.patch, first_name="Siobhán", last_name="O'Brien")
    html = officer_client.get(reverse("staff:resident", args=[tenant.pk])).content.decode()
    assert "Siobhán O&#x27;Brien" in html
    assert "O'Brien" not in html.replace("O&#x27;Brien", "")
