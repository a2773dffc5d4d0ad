"""The notifications outbox: queued with the change, delivered after commit, retried, never lost."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from portal.models import Channel, Notification, NotificationStatus
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
