"""When a draft charter goes out for consultation, every resident with a current tenancy is told
once, in their preferred channel, through the outbox; a repeated or restarted send tells nobody
twice, and the version's staff page says how many were told and how."""

import datetime as dt
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from charter import services, tasks
from charter.models import ConsultationNotice, VersionStatus
from portal.models import Channel, Notification
from tests import factories as core
from tests.charter.factories import CharterVersionFactory, PromiseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    version = CharterVersionFactory(title="Our tenant charter 2027")
    PromiseFactory(version=version)
    return version


def closing_date():
    return timezone.localdate() + timedelta(days=28)


def put_out(draft, manager, capture):
    with capture(execute=True):
        return services.open_consultation(version=draft, officer=manager, closes_on=closing_date())


def messages_to(resident):
    return Notification.objects.filter(resident=resident, template="charter_consultation_open")


def test_each_current_resident_is_told_once_in_their_preferred_channel(
    draft, manager, django_capture_on_commit_callbacks
):
    by_email = core.resident_with_home(preferred_channel=Channel.EMAIL)
    by_text = core.resident_with_home(preferred_channel=Channel.TEXT)
    by_letter = core.resident_with_home(preferred_channel=Channel.LETTER, user=False)

    put_out(draft, manager, django_capture_on_commit_callbacks)

    assert [m.channel for m in messages_to(by_email)] == ["email"]
    assert [m.channel for m in messages_to(by_text)] == ["text"]
    letter = messages_to(by_letter).get()
    assert letter.channel == "letter" and by_letter.last_name in letter.to
    assert "/charter/consultation/" in letter.body
    assert closing_date().strftime("%B") in letter.body  # the closing date, in words
    assert ConsultationNotice.objects.filter(version=draft).count() == 3
    draft.refresh_from_db()
    assert draft.announced_at is not None


def test_running_the_task_again_tells_nobody_twice(
    draft, manager, django_capture_on_commit_callbacks
):
    residents = [core.resident_with_home() for _ in range(3)]
    put_out(draft, manager, django_capture_on_commit_callbacks)

    tasks.tell_residents_of_consultation(draft.pk)
    # As if the task was lost after its first chunk and the sweep started it again from scratch.
    type(draft).objects.filter(pk=draft.pk).update(announced_at=None, announced_up_to=0)
    tasks.tell_residents_of_consultation(draft.pk)

    for resident in residents:
        assert messages_to(resident).count() == 1
    assert ConsultationNotice.objects.filter(version=draft).count() == 3


def test_a_stopped_send_carries_on_where_it_stopped(draft, manager, settings):
    residents = sorted((core.resident_with_home() for _ in range(5)), key=lambda r: r.pk)
    services.open_consultation(version=draft, officer=manager, closes_on=closing_date())

    assert services.tell_residents_chunk(version=draft, size=2) is True
    draft.refresh_from_db()
    assert draft.announced_up_to == residents[1].pk and draft.announced_at is None
    told = set(ConsultationNotice.objects.values_list("resident_id", flat=True))
    assert told == {residents[0].pk, residents[1].pk}

    # The worker restarted: the sweep picks the version up and finishes from the cursor.
    type(draft).objects.filter(pk=draft.pk).update(
        consultation_opened_at=timezone.now() - timedelta(hours=1)
    )
    settings.CHARTER_ANNOUNCE_CHUNK_SIZE = 2
    assert tasks.resume_consultation_announcements() == {"resumed": 1}
    assert Notification.objects.filter(template="charter_consultation_open").count() == 5
    draft.refresh_from_db()
    assert draft.announced_at is not None
    assert tasks.resume_consultation_announcements() == {"resumed": 0}


def test_a_former_resident_is_not_told(draft, manager, django_capture_on_commit_callbacks):
    former = core.resident_with_home()
    former.tenancies.update(end_date=dt.date(2024, 3, 31))
    current = core.resident_with_home()

    put_out(draft, manager, django_capture_on_commit_callbacks)

    assert not messages_to(former).exists()
    assert messages_to(current).count() == 1


def test_a_withdrawn_consultation_stops_telling_residents(draft, manager):
    core.resident_with_home()
    services.open_consultation(version=draft, officer=manager, closes_on=closing_date())
    services.withdraw_consultation(version=draft, officer=manager, reason="Not ready yet")
    assert services.tell_residents_chunk(version=draft) is False
    assert not ConsultationNotice.objects.exists()


def test_consulting_again_after_a_withdrawal_tells_only_those_not_told(
    draft, manager, django_capture_on_commit_callbacks
):
    first = core.resident_with_home()
    put_out(draft, manager, django_capture_on_commit_callbacks)
    services.withdraw_consultation(version=draft, officer=manager, reason="Adding a promise")
    newcomer = core.resident_with_home()

    put_out(draft, manager, django_capture_on_commit_callbacks)

    assert messages_to(first).count() == 1
    assert messages_to(newcomer).count() == 1


def test_the_staff_page_says_how_many_were_told_by_each_channel(
    draft, manager, manager_client, django_capture_on_commit_callbacks
):
    for channel in [Channel.EMAIL, Channel.EMAIL, Channel.TEXT, Channel.LETTER]:
        core.resident_with_home(preferred_channel=channel)
    # No email or phone on file: the outbox falls back to a letter to their home, as everywhere.
    core.resident_with_home(preferred_channel=Channel.EMAIL, email="", phone="", user=False)
    put_out(draft, manager, django_capture_on_commit_callbacks)

    page = manager_client.get(reverse("charter_staff:version", args=[draft.pk])).content.decode()

    assert "5 residents told" in page
    assert "By email: 2" in page and "By text message: 1" in page and "By letter: 2" in page
    assert "Could not be told" not in page


def test_only_a_manager_puts_a_draft_out_for_consultation(draft):
    officer = core.OfficerFactory()
    with pytest.raises(services.CharterError):
        services.open_consultation(version=draft, officer=officer, closes_on=closing_date())
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT


def test_the_version_page_does_not_grow_with_residents_told(
    draft, manager, manager_client, django_assert_max_num_queries, settings
):
    settings.CHARTER_ANNOUNCE_CHUNK_SIZE = 50
    services.open_consultation(version=draft, officer=manager, closes_on=closing_date())
    core.resident_with_home()
    services.tell_residents_chunk(version=draft)
    url = reverse("charter_staff:version", args=[draft.pk])
    with django_assert_max_num_queries(25) as few:
        assert manager_client.get(url).status_code == 200
    type(draft).objects.filter(pk=draft.pk).update(announced_at=None, announced_up_to=0)
    for channel in [Channel.EMAIL, Channel.TEXT, Channel.LETTER] * 4:
        core.resident_with_home(preferred_channel=channel)
    services.tell_residents_chunk(version=draft)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert manager_client.get(url).status_code == 200


def test_being_told_is_in_the_residents_data_export(
    draft, manager, django_capture_on_commit_callbacks
):
    from portal.extensions import subject_access_sections

    resident = core.resident_with_home(preferred_channel=Channel.TEXT)
    put_out(draft, manager, django_capture_on_commit_callbacks)
    exported = subject_access_sections()["charter_consultation_notices"](resident)
    assert [(row["charter_version"], row["channel"]) for row in exported] == [
        (draft.number, "text")
    ]
