"""The notifications outbox: queued with the change, delivered after commit, retried, never lost."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from portal.models import Channel, Landlord, Notification, NotificationStatus
from portal.notify_backends import ConsoleBackend, EmailBackend, NotifyBackend, get_backend
from portal.services import notify
from portal.tasks import deliver_due_notifications
from tests.factories import OfficerFactory, resident_with_home

pytestmark = pytest.mark.django_db


def queue_for(resident, **kwargs):
    return notify.queue_notification(
        template="case_update", context={"message": "We will call you back tomorrow."}, resident=resident, **kwargs
    )


def test_a_message_is_delivered_after_the_transaction_commits(django_capture_on_commit_callbacks):
    resident = resident_with_home(preferred_channel=Channel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_for(resident)
        assert mail.outbox == []  # nothing leaves before commit
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 1
    assert mail.outbox[0].to == [resident.email]
    assert "We will call you back tomorrow." in mail.outbox[0].body
    assert f"Dear {resident.first_name}" in mail.outbox[0].body


def test_a_message_follows_the_residents_preferred_channel():
    texter = resident_with_home(preferred_channel=Channel.TEXT, phone="07700 900123")
    writer = resident_with_home(preferred_channel=Channel.LETTER)
    caller = resident_with_home(preferred_channel=Channel.PHONE, phone="07700 900456")

    text = queue_for(texter)
    letter = queue_for(writer)
    call = queue_for(caller)

    assert (text.channel, text.to) == ("text", "07700 900123")
    assert letter.channel == "letter"
    home = writer.tenancies.get().home
    assert letter.to.splitlines() == [writer.full_name, *home.address_lines]
    # A phone preference cannot be met by a machine; the same number gets a text.
    assert (call.channel, call.to) == ("text", "07700 900456")


def test_a_resident_without_the_preferred_address_is_reached_another_way():
    resident = resident_with_home(preferred_channel=Channel.TEXT, phone="")
    assert queue_for(resident).channel == "email"


def test_an_officer_is_told_by_email():
    officer = OfficerFactory()
    notification = notify.queue_notification(template="case_update", context={"message": "Due soon"}, officer=officer)
    assert (notification.channel, notification.to) == ("email", officer.user.email)
    assert f"Hello {officer.name}" in notification.body


def test_a_failed_delivery_is_recorded_and_retried_with_backoff_then_sent():
    resident = resident_with_home()
    notification = queue_for(resident)
    with mock.patch.object(EmailBackend, "send", side_effect=ConnectionError("mail server down")):
        notify.deliver_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.RETRYING
    assert notification.attempts == 1
    assert "mail server down" in notification.last_error
    assert notification.next_attempt_at > timezone.now()

    # Not due yet: nothing is tried.
    assert notify.deliver_notification(notification_id=notification.pk) is None

    with time_machine.travel(notification.next_attempt_at + timedelta(seconds=1)):
        deliver_due_notifications()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 2
    assert notification.last_error == ""
    assert len(mail.outbox) == 1


def test_backoff_doubles_and_is_capped():
    assert notify.backoff(1) == timedelta(minutes=1)
    assert notify.backoff(4) == timedelta(minutes=8)
    assert notify.backoff(30) == timedelta(hours=6)


def test_after_the_last_try_a_message_stays_failed_for_staff_to_send_again(settings):
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    resident = resident_with_home()
    notification = queue_for(resident)
    with mock.patch.object(EmailBackend, "send", side_effect=OSError("refused")):
        notify.deliver_notification(notification_id=notification.pk)
        notification.refresh_from_db()
        with time_machine.travel(notification.next_attempt_at + timedelta(seconds=1)):
            notify.deliver_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notify.due_notification_ids() == []

    notify.resend_notification(notification=notification)
    notify.deliver_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


def test_a_message_being_sent_is_not_sent_twice():
    resident = resident_with_home()
    notification = queue_for(resident)
    Notification.objects.filter(pk=notification.pk).update(status=NotificationStatus.SENDING, claimed_at=timezone.now())
    assert notify.deliver_notification(notification_id=notification.pk) is None
    assert mail.outbox == []


def test_a_message_whose_worker_died_mid_send_is_tried_again():
    resident = resident_with_home()
    notification = queue_for(resident)
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENDING, claimed_at=timezone.now() - timedelta(minutes=30)
    )
    assert notify.due_notification_ids() == [notification.pk]
    notify.deliver_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


def test_a_broker_outage_when_queueing_loses_nothing(django_capture_on_commit_callbacks):
    resident = resident_with_home()
    with mock.patch("portal.tasks.deliver_notification.delay", side_effect=ConnectionError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            notification = queue_for(resident)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.QUEUED
    deliver_due_notifications()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT


def test_texts_and_letters_go_to_the_console_without_a_notify_key(settings):
    settings.NOTIFY_API_KEY = ""
    assert isinstance(get_backend("text"), ConsoleBackend)
    assert isinstance(get_backend("email"), EmailBackend)


def test_texts_go_through_gov_uk_notify_when_a_key_is_set(settings):
    settings.NOTIFY_API_KEY = "doorstep_test-" + "a" * 36 + "-" + "b" * 36
    settings.NOTIFY_SMS_TEMPLATE_ID = "sms-template"
    resident = resident_with_home(preferred_channel=Channel.TEXT, phone="07700 900123")
    notification = queue_for(resident)
    with mock.patch(
        "notifications_python_client.notifications.NotificationsAPIClient.send_sms_notification",
        return_value={"id": "notify-123"},
    ) as send_sms:
        notify.deliver_notification(notification_id=notification.pk)
    assert isinstance(get_backend("text"), NotifyBackend)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.provider_reference == "notify-123"
    kwargs = send_sms.call_args.kwargs
    assert kwargs["phone_number"] == "07700 900123"
    assert kwargs["template_id"] == "sms-template"
    assert "We will call you back tomorrow." in kwargs["personalisation"]["body"]


def test_a_resident_we_cannot_reach_gets_a_failed_message_staff_can_send_once_details_are_fixed():
    resident = resident_with_home(preferred_channel=Channel.EMAIL, email="", phone="")
    resident.tenancies.update(end_date="2025-01-01")  # no current home, so no postal address either
    notification = queue_for(resident)
    assert notification.status == NotificationStatus.FAILED
    assert "No way to reach" in notification.last_error

    resident.email = "found@example.org"
    resident.save()
    notify.resend_notification(notification=notification)
    notify.deliver_notification(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.to) == (NotificationStatus.SENT, "found@example.org")


def many_messages(residents):
    return [
        notify.OutgoingMessage(template="case_update", context={"message": "The lift is working again."}, resident=r)
        for r in residents
    ]


def test_many_messages_are_queued_with_one_insert_whatever_their_number(django_assert_max_num_queries):
    Landlord.current()  # made on first use; cached after
    residents = [resident_with_home(preferred_channel=Channel.EMAIL) for _ in range(3)]
    with django_assert_max_num_queries(2):  # everyone's address, then one insert
        small = notify.queue_notifications(many_messages(residents))
    residents += [resident_with_home(preferred_channel=Channel.LETTER) for _ in range(30)]
    with django_assert_max_num_queries(2):
        large = notify.queue_notifications(many_messages(residents))
    assert (len(small), len(large)) == (3, 33)
    letters = [n for n in large if n.channel == "letter"]
    assert len(letters) == 30
    assert all(n.to.splitlines()[0] == n.resident.full_name for n in letters)


def test_a_burst_of_messages_is_handed_to_the_workers_in_batches(django_capture_on_commit_callbacks):
    residents = [resident_with_home(preferred_channel=Channel.EMAIL) for _ in range(notify.DELIVERY_BATCH + 1)]
    with mock.patch("portal.tasks.deliver_notifications.delay") as batch_task:
        with django_capture_on_commit_callbacks(execute=True):
            notifications = notify.queue_notifications(many_messages(residents))
    handed_over = [call.args[0] for call in batch_task.call_args_list]
    assert [len(ids) for ids in handed_over] == [notify.DELIVERY_BATCH, 1]
    assert sorted(sum(handed_over, [])) == sorted(n.pk for n in notifications)


def test_a_burst_is_delivered_and_a_failure_in_it_is_retried_not_dropped(django_capture_on_commit_callbacks):
    residents = [resident_with_home(preferred_channel=Channel.EMAIL) for _ in range(3)]
    real_send = EmailBackend.send
    failing_email = residents[1].email

    def send(backend, notification):
        if notification.to == failing_email:
            raise ConnectionError("mail server refused")
        return real_send(backend, notification)

    with mock.patch.object(EmailBackend, "send", send), mock.patch("portal.tasks.deliver_notification.apply_async") as retry:
        with django_capture_on_commit_callbacks(execute=True):
            notify.queue_notifications(many_messages(residents))
    statuses = dict(Notification.objects.values_list("to", "status"))
    assert statuses[failing_email] == NotificationStatus.RETRYING
    assert [statuses[r.email] for r in (residents[0], residents[2])] == [NotificationStatus.SENT] * 2
    assert retry.call_count == 1


def test_an_unreachable_resident_in_a_burst_is_recorded_as_failed():
    reachable = resident_with_home(preferred_channel=Channel.EMAIL)
    unreachable = resident_with_home(email="", phone="")
    unreachable.tenancies.update(end_date=timezone.localdate() - timedelta(days=1))
    by_resident = {n.resident_id: n for n in notify.queue_notifications(many_messages([reachable, unreachable]))}
    assert by_resident[reachable.pk].status == NotificationStatus.QUEUED
    assert by_resident[unreachable.pk].status == NotificationStatus.FAILED
    assert "No way to reach" in by_resident[unreachable.pk].last_error
