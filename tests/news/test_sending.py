"""Sending newsletters and notices: to the right residents, in each one's preferred way, once."""

import pytest
from django.core import mail
from django.test import override_settings

from engagement.news import services, tasks
from engagement.news.models import Delivery, DeliveryChannel, DeliveryStatus, Mailing
from engagement.news.selectors import letter_list, mailing_figures
from portal.models import Channel, Notification, NotificationStatus
from portal.services import notify
from tests import factories as core
from tests.news.factories import SectionFactory, living_in, manager

pytestmark = pytest.mark.django_db


@pytest.fixture
def block():
    return core.BlockFactory(name="Holly Court")


def notice_for(block, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return services.send_notice(
            officer=manager(),
            title="Lift out of service",
            details="The lift is broken; an engineer comes tomorrow morning.",
            estate=block.estate,
            block=block,
            **fields,
        )


def test_a_block_notice_reaches_only_the_blocks_residents_each_in_their_preferred_way(
    block, django_capture_on_commit_callbacks
):
    by_email = living_in(block, channel=Channel.EMAIL, email="asha@example.org")
    by_text = living_in(block, channel=Channel.TEXT, phone="07700 900123")
    by_phone = living_in(block, channel=Channel.PHONE, phone="07700 900456")
    by_post = living_in(block, channel=Channel.LETTER)
    next_block = living_in(core.BlockFactory(estate=block.estate))
    house_on_estate = living_in(estate=block.estate)
    elsewhere = living_in(core.BlockFactory())

    notice = notice_for(block, django_capture_on_commit_callbacks)

    email = Notification.objects.get(resident=by_email)
    assert (email.channel, email.to, email.status) == (
        "email",
        "asha@example.org",
        NotificationStatus.SENT,
    )
    assert email.subject == "Lift out of service: Holly Court, " + block.estate.name
    text = Notification.objects.get(resident=by_text)
    assert (text.channel, text.to) == ("text", "07700 900123")
    assert f"/service-updates/{notice.pk}/" in text.body
    assert Notification.objects.get(resident=by_phone).channel == "text"  # a machine cannot call
    assert not Notification.objects.filter(
        resident=by_post
    ).exists()  # letters are printed, not emailed
    mailing = notice.mailings.get()
    assert [d.resident for d in letter_list(mailing)] == [by_post]
    for outsider in (next_block, house_on_estate, elsewhere):
        assert not Notification.objects.filter(resident=outsider).exists()
        assert not Delivery.objects.filter(resident=outsider).exists()
    assert [m.to for m in mail.outbox] == [["asha@example.org"]]
    figures = mailing_figures(mailing)
    assert (figures["email"], figures["text"], figures["letter"], figures["failed"]) == (1, 2, 1, 0)
    assert figures["finished"]


def test_an_estate_notice_reaches_the_houses_and_every_block_on_the_estate(
    block, django_capture_on_commit_callbacks
):
    in_block = living_in(block)
    in_house = living_in(estate=block.estate)
    other_estate = living_in(estate=core.EstateFactory())
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.send_notice(
            officer=manager(), title="Water off", details="Mains repair.", estate=block.estate
        )
    reached = set(
        Delivery.objects.filter(mailing__notice=notice).values_list("resident", flat=True)
    )
    assert reached == {in_block.pk, in_house.pk}
    assert other_estate.pk not in reached


def test_an_update_goes_to_the_same_residents_and_fixed_ends_the_notice(
    block, django_capture_on_commit_callbacks
):
    told = living_in(block, channel=Channel.TEXT)
    notice = notice_for(block, django_capture_on_commit_callbacks)
    moved_in_later = living_in(block)

    with django_capture_on_commit_callbacks(execute=True):
        update = services.update_notice(
            notice=notice, officer=manager(), message="The lift is working again.", resolves=True
        )

    message = Notification.objects.get(resident=told, template="news_notice_update")
    assert message.subject.startswith("Fixed: Lift out of service")
    assert "The lift is working again." in message.body
    assert not Notification.objects.filter(resident=moved_in_later).exists()
    notice.refresh_from_db()
    assert notice.ended_at is not None and not notice.is_current
    assert update.mailing.deliveries.count() == 1
    with pytest.raises(services.NewsError, match="has ended"):
        services.update_notice(notice=notice, officer=manager(), message="Again")


def test_publishing_twice_sends_once(django_capture_on_commit_callbacks):
    residents = [living_in(estate=core.EstateFactory()) for _ in range(3)]
    issue = SectionFactory().issue
    publisher = manager()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_issue(issue=issue, officer=publisher)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_issue(issue=issue, officer=publisher)
    # A lost task resent by the sweep, or a worker that restarts mid-send, changes nothing either.
    mailing = Mailing.objects.get(issue=issue)
    Mailing.objects.filter(pk=mailing.pk).update(finished_at=None, cursor=0)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send_mailing.delay(mailing.pk)

    assert Mailing.objects.filter(issue=issue).count() == 1
    for resident in residents:
        assert Delivery.objects.filter(resident=resident).count() == 1
        assert Notification.objects.filter(resident=resident, template="news_issue").count() == 1
    assert len(mail.outbox) == 3


def test_a_newsletter_goes_to_current_residents_only(django_capture_on_commit_callbacks):
    current = living_in(estate=core.EstateFactory())
    former = core.ResidentFactory()
    core.TenancyFactory(residents=[former], end_date="2024-03-31")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_issue(issue=SectionFactory().issue, officer=manager())
    assert list(Delivery.objects.values_list("resident", flat=True)) == [current.pk]


@override_settings(NEWS_SEND_CHUNK_SIZE=2)
def test_a_big_send_goes_in_chunks_with_one_outbox_insert_each(
    monkeypatch, django_capture_on_commit_callbacks
):
    residents = [living_in(estate=core.EstateFactory()) for _ in range(5)]
    chunks = []
    real = notify.queue_notifications

    def spy(messages):
        chunks.append(len(messages))
        return real(messages)

    monkeypatch.setattr(notify, "queue_notifications", spy)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_issue(issue=SectionFactory().issue, officer=manager())

    assert chunks == [2, 2, 1]
    mailing = Mailing.objects.get()
    assert mailing.finished_at is not None
    assert mailing.cursor == max(r.pk for r in residents)
    assert Delivery.objects.count() == 5


def test_a_newsletters_letter_list_holds_exactly_the_residents_who_asked_for_post(
    django_capture_on_commit_callbacks,
):
    estate = core.EstateFactory()
    by_post = [living_in(estate=estate, channel=Channel.LETTER) for _ in range(3)]
    for channel in (Channel.EMAIL, Channel.TEXT, Channel.PHONE):
        living_in(estate=estate, channel=channel)
    with django_capture_on_commit_callbacks(execute=True):
        issue = services.publish_issue(issue=SectionFactory().issue, officer=manager())

    letters = list(letter_list(issue.mailing))
    assert {d.resident_id for d in letters} == {r.pk for r in by_post}
    home = by_post[0].tenancies.get().home
    first = next(d for d in letters if d.resident_id == by_post[0].pk)
    assert first.recipient_name == by_post[0].full_name
    assert first.address_lines == home.address_lines
    assert all(d.channel == DeliveryChannel.LETTER for d in letters)


def test_a_resident_with_no_address_for_their_channel_is_recorded_as_failed_not_dropped(
    block, django_capture_on_commit_callbacks
):
    unreachable = living_in(block, channel=Channel.EMAIL, email="", phone="")
    no_email_but_phone = living_in(block, channel=Channel.EMAIL, email="", phone="07700 900789")
    notice = notice_for(block, django_capture_on_commit_callbacks)

    failed = Delivery.objects.get(resident=unreachable)
    assert failed.status == DeliveryStatus.FAILED
    assert failed.failure == "No email address or phone number on file"
    assert failed.notification.status == NotificationStatus.FAILED
    assert failed.notification.last_error == failed.failure
    assert failed.notification.subject.startswith("Lift out of service")
    # Without an email address, the other electronic channel the resident gave us.
    assert Delivery.objects.get(resident=no_email_but_phone).channel == DeliveryChannel.TEXT
    assert mailing_figures(notice.mailings.get())["failed"] == 1


def test_a_message_that_fails_after_every_try_counts_as_failed(
    block, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    living_in(block)

    class Broken:
        def send(self, notification):
            raise ConnectionError("mail server down")

    import portal.services.notify as outbox

    original = outbox.get_backend
    outbox.get_backend = lambda channel: Broken()
    try:
        notice = notice_for(block, django_capture_on_commit_callbacks)
    finally:
        outbox.get_backend = original
    figures = mailing_figures(notice.mailings.get())
    assert (figures["failed"], figures["email"]) == (1, 0)


def test_only_a_manager_can_publish_or_send(block):
    officer = core.OfficerFactory()
    with pytest.raises(services.NewsError):
        services.publish_issue(issue=SectionFactory().issue, officer=officer)
    with pytest.raises(services.NewsError):
        services.send_notice(officer=officer, title="x", details="y", estate=block.estate)


def test_an_issue_without_sections_cannot_be_published():
    issue = SectionFactory().issue
    issue.sections.all().delete()
    with pytest.raises(services.NewsError, match="at least one section"):
        services.publish_issue(issue=issue, officer=manager())


def test_the_same_notice_form_sent_twice_makes_one_notice(
    block, django_capture_on_commit_callbacks
):
    import uuid

    living_in(block)
    token = uuid.uuid4()
    first = notice_for(block, django_capture_on_commit_callbacks, submission_token=token)
    second = notice_for(block, django_capture_on_commit_callbacks, submission_token=token)
    assert first.pk == second.pk
    assert Notification.objects.count() == 1


def test_the_sweep_resumes_a_mailing_whose_task_was_lost(
    block, monkeypatch, django_capture_on_commit_callbacks
):
    living_in(block)
    monkeypatch.setattr(
        tasks.send_mailing, "delay", lambda *a: (_ for _ in ()).throw(ConnectionError("no broker"))
    )
    notice = notice_for(block, django_capture_on_commit_callbacks)
    mailing = notice.mailings.get()
    assert mailing.deliveries.count() == 0
    monkeypatch.undo()
    Mailing.objects.filter(pk=mailing.pk).update(created_at=mailing.created_at.replace(year=2020))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.resume_unfinished_mailings.delay().get() == {"resumed": 1}
    assert mailing.deliveries.count() == 1
