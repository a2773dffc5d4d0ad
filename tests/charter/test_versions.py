"""Charter versions: drafts are written and changed, one version is adopted at a time, and an
adopted or replaced version never changes."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from charter import services
from charter.models import CharterSection, CharterVersion, Promise, VersionStatus
from tests.charter.factories import (
    CharterVersionFactory,
    CommitmentFactory,
    PromiseCommentFactory,
    PromiseFactory,
    adopted_version,
)

pytestmark = pytest.mark.django_db


def test_adopting_a_draft_replaces_the_adopted_version_which_is_kept(manager):
    first = adopted_version()
    PromiseFactory(version=first)
    draft = services.start_draft(officer=manager, copy_from=first)
    services.adopt_version(version=draft, officer=manager)

    first.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ADOPTED and draft.adopted_by == manager
    assert first.status == VersionStatus.REPLACED and first.replaced_at is not None
    assert CharterVersion.objects.filter(status=VersionStatus.ADOPTED).count() == 1


def test_the_database_refuses_a_second_adopted_version():
    adopted_version()
    with pytest.raises(IntegrityError), transaction.atomic():
        adopted_version()


def test_a_new_draft_starts_as_a_copy_of_the_adopted_charter(manager):
    first = adopted_version(title="Our promises to you")
    PromiseFactory(
        version=first,
        section=CharterSection.SAFETY,
        position=1,
        measure_key="safety_concerns_acted_on_in_time",
    )
    CommitmentFactory(version=first, position=1)
    draft = services.start_draft(officer=manager, copy_from=first)
    assert draft.number == first.number + 1
    assert draft.status == VersionStatus.DRAFT
    assert draft.title == "Our promises to you"
    assert list(draft.promises.values_list("section", "position", "measure_key")) == [
        ("safety", 1, "safety_concerns_acted_on_in_time")
    ]
    assert draft.commitments.count() == 1


@pytest.mark.parametrize("status", [VersionStatus.ADOPTED, VersionStatus.REPLACED])
def test_adopted_and_replaced_versions_cannot_be_changed(manager, status):
    version = CharterVersionFactory(status=status, adopted_at=timezone.now())
    promise = PromiseFactory(version=version)
    commitment = CommitmentFactory(version=version)
    attempts = [
        lambda: services.update_version(
            version=version, officer=manager, title="New", introduction=""
        ),
        lambda: services.add_promise(
            version=version, officer=manager, section="voice", text="We will listen"
        ),
        lambda: services.update_promise(
            promise=promise, officer=manager, section="voice", text="Changed"
        ),
        lambda: services.remove_promise(promise=promise, officer=manager),
        lambda: services.add_commitment(version=version, officer=manager, text="Something"),
        lambda: services.update_commitment(commitment=commitment, officer=manager, text="Changed"),
        lambda: services.remove_commitment(commitment=commitment, officer=manager),
        lambda: services.adopt_version(version=version, officer=manager),
        lambda: services.open_consultation(
            version=version, officer=manager, closes_on=timezone.localdate()
        ),
    ]
    for attempt in attempts:
        with pytest.raises(services.CharterError):
            attempt()
    promise.refresh_from_db()
    assert promise.text == "We will call you back within one working day"


def test_the_staff_pages_refuse_to_edit_an_adopted_version(manager_client):
    version = adopted_version()
    promise = PromiseFactory(version=version)
    response = manager_client.post(
        reverse("charter_staff:edit_promise", args=[version.pk, promise.pk]),
        {"section": "voice", "text": "Changed behind your back"},
    )
    assert response.status_code == 302
    promise.refresh_from_db()
    assert promise.text == "We will call you back within one working day"
    page = manager_client.get(reverse("charter_staff:version", args=[version.pk]))
    assert b"cannot be changed" in page.content
    assert b"Change<span" not in page.content


def test_promises_are_numbered_within_their_section_and_renumbered_when_one_goes(manager):
    draft = CharterVersionFactory()
    first = services.add_promise(version=draft, officer=manager, section="safety", text="First")
    second = services.add_promise(version=draft, officer=manager, section="safety", text="Second")
    third = services.add_promise(version=draft, officer=manager, section="safety", text="Third")
    assert [first.number, second.number, third.number] == ["4.1", "4.2", "4.3"]
    services.remove_promise(promise=first, officer=manager)
    assert list(draft.promises.order_by("position").values_list("text", "position")) == [
        ("Second", 1),
        ("Third", 2),
    ]
    moved = services.update_promise(
        promise=Promise.objects.get(text="Third"), officer=manager, section="voice", text="Third"
    )
    assert moved.number == "1.1"


def test_a_promise_residents_commented_on_cannot_be_removed(manager):
    comment = PromiseCommentFactory(promise=PromiseFactory(version=CharterVersionFactory()))
    with pytest.raises(services.CharterError):
        services.remove_promise(promise=comment.promise, officer=manager)


def test_a_manager_writes_a_draft_on_the_staff_pages(manager_client):
    manager_client.post(reverse("charter_staff:start_draft"))
    draft = CharterVersion.objects.get()
    response = manager_client.post(
        reverse("charter_staff:add_promise", args=[draft.pk]),
        {
            "section": "communication",
            "text": "We will call you back within one working day",
            "measure_key": "callbacks_within_one_working_day",
            "target_percent": "95",
        },
    )
    assert response.status_code == 302
    promise = draft.promises.get()
    assert (
        promise.measure_key == "callbacks_within_one_working_day"
        and str(promise.target_percent) == "95.0"
    )


def test_a_promise_form_with_mistakes_says_what_is_wrong_and_keeps_the_words(manager_client):
    draft = CharterVersionFactory()
    response = manager_client.post(
        reverse("charter_staff:add_promise", args=[draft.pk]),
        {"section": "", "text": "We will answer the phone", "target_percent": "120"},
    )
    assert response.status_code == 200
    assert b"Choose the section the promise belongs in" in response.content
    assert b"The target must be between 0 and 100" in response.content
    assert b"We will answer the phone" in response.content
    assert not draft.promises.exists()


def test_only_managers_write_the_charter(client):
    from tests import factories as core

    officer = core.OfficerFactory()
    client.force_login(officer.user)
    draft = CharterVersionFactory()
    assert client.get(reverse("charter_staff:version", args=[draft.pk])).status_code == 200
    assert client.post(reverse("charter_staff:start_draft")).status_code == 403
    assert client.get(reverse("charter_staff:add_promise", args=[draft.pk])).status_code == 403
    assert client.get(reverse("charter_staff:adopt", args=[draft.pk])).status_code == 403


def test_residents_cannot_open_the_staff_pages(resident_client):
    assert resident_client.get(reverse("charter_staff:versions")).status_code == 403


def test_a_manager_puts_a_draft_out_for_consultation_and_adopts_it(manager_client, manager):
    draft = CharterVersionFactory()
    PromiseFactory(version=draft)
    closes = timezone.localdate() + timezone.timedelta(days=21)
    response = manager_client.post(
        reverse("charter_staff:consult", args=[draft.pk]),
        {"closes_on_0": closes.day, "closes_on_1": closes.month, "closes_on_2": closes.year},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.CONSULTATION and draft.consultation_closes_on == closes
    manager_client.post(reverse("charter_staff:adopt", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ADOPTED
