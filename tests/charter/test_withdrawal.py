"""A manager can withdraw a consultation back to a draft before it closes, saying why; the
comments already made are kept and shown to staff, and the public page says it was withdrawn."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from charter import services
from charter.models import CommentStatus, PromiseComment, VersionStatus
from portal.models import AuditEntry
from tests.charter.factories import (
    CharterVersionFactory,
    PromiseCommentFactory,
    PromiseFactory,
    adopted_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_consultation():
    version = CharterVersionFactory(
        status=VersionStatus.CONSULTATION,
        consultation_opened_at=timezone.now(),
        consultation_closes_on=timezone.localdate() + timedelta(days=14),
    )
    PromiseFactory(version=version)
    return version


def withdraw_url(version):
    return reverse("charter_staff:withdraw", args=[version.pk])


def test_a_manager_withdraws_it_and_the_comments_are_kept(in_consultation, manager_client, manager):
    promise = in_consultation.promises.get()
    published = PromiseCommentFactory(
        promise=promise, text="Please add evening calls", status=CommentStatus.PUBLISHED
    )
    waiting = PromiseCommentFactory(promise=promise, text="Text me the day before")

    response = manager_client.post(
        withdraw_url(in_consultation), {"reason": "We need to add the new repairs promises first."}
    )

    assert response.status_code == 302
    in_consultation.refresh_from_db()
    assert in_consultation.status == VersionStatus.DRAFT
    assert in_consultation.withdrawn_by == manager
    assert set(PromiseComment.objects.values_list("pk", flat=True)) == {published.pk, waiting.pk}
    audit = AuditEntry.objects.get(actor=manager.user)
    assert "withdrawn" in audit.subject
    assert audit.detail["reason"] == "We need to add the new repairs promises first."

    staff = manager_client.get(
        reverse("charter_staff:version_comments", args=[in_consultation.pk])
    ).content.decode()
    assert "Please add evening calls" in staff and "Text me the day before" in staff


def test_the_public_page_says_it_was_withdrawn_and_comments_are_refused(
    in_consultation, manager, resident_client
):
    services.withdraw_consultation(
        version=in_consultation, officer=manager, reason="We are adding promises on repairs."
    )
    page = resident_client.get(reverse("charter:consultation", args=[in_consultation.number]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "This consultation has been withdrawn" in text
    assert "We are adding promises on repairs." in text

    promise = in_consultation.promises.get()
    comment = resident_client.post(
        reverse("charter:comment", args=[in_consultation.number, promise.pk]), {"text": "Hello"}
    )
    assert comment.status_code == 404
    assert not PromiseComment.objects.exists()


def test_a_withdrawal_needs_a_reason(in_consultation, manager_client, manager):
    response = manager_client.post(withdraw_url(in_consultation), {"reason": "  "})
    assert response.status_code == 200
    assert "Say why you are withdrawing the consultation" in response.content.decode()
    with pytest.raises(services.CharterError):
        services.withdraw_consultation(version=in_consultation, officer=manager, reason=" ")
    in_consultation.refresh_from_db()
    assert in_consultation.status == VersionStatus.CONSULTATION


def test_an_adopted_version_cannot_be_withdrawn(manager):
    version = adopted_version(consultation_closes_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(services.CharterError, match="adopted"):
        services.withdraw_consultation(version=version, officer=manager, reason="Changed our mind")
    version.refresh_from_db()
    assert version.status == VersionStatus.ADOPTED


def test_a_replaced_version_cannot_be_withdrawn(manager):
    version = CharterVersionFactory(
        status=VersionStatus.REPLACED, adopted_at=timezone.now(), replaced_at=timezone.now()
    )
    with pytest.raises(services.CharterError, match="replaced"):
        services.withdraw_consultation(version=version, officer=manager, reason="Changed our mind")


def test_a_closed_consultation_cannot_be_withdrawn(in_consultation, manager, manager_client):
    in_consultation.consultation_closes_on = timezone.localdate() - timedelta(days=1)
    in_consultation.save()
    with pytest.raises(services.CharterError, match="closed"):
        services.withdraw_consultation(version=in_consultation, officer=manager, reason="Late")
    response = manager_client.post(withdraw_url(in_consultation), {"reason": "Late"})
    assert response.status_code == 302
    in_consultation.refresh_from_db()
    assert in_consultation.status == VersionStatus.CONSULTATION


def test_only_a_manager_may_withdraw(in_consultation, officer_client, officer):
    response = officer_client.post(withdraw_url(in_consultation), {"reason": "Not ready"})
    assert response.status_code == 403
    with pytest.raises(services.CharterError):
        services.withdraw_consultation(version=in_consultation, officer=officer, reason="Not ready")
    in_consultation.refresh_from_db()
    assert in_consultation.status == VersionStatus.CONSULTATION
    assert not AuditEntry.objects.exists()


def test_the_withdraw_link_shows_only_to_managers_while_it_is_open(
    in_consultation, manager, officer, client
):
    url = reverse("charter_staff:version", args=[in_consultation.pk])
    client.force_login(manager.user)
    assert withdraw_url(in_consultation) in client.get(url).content.decode()
    client.force_login(officer.user)
    assert withdraw_url(in_consultation) not in client.get(url).content.decode()


def test_the_withdrawn_and_comments_pages_do_not_grow_with_comments(
    in_consultation, manager, client, manager_client, django_assert_max_num_queries
):
    promise = in_consultation.promises.get()
    PromiseCommentFactory(promise=promise)
    services.withdraw_consultation(version=in_consultation, officer=manager, reason="Not ready")
    pages = [
        (client, reverse("charter:consultation", args=[in_consultation.number])),
        (manager_client, reverse("charter_staff:version_comments", args=[in_consultation.pk])),
        (manager_client, reverse("charter_staff:version", args=[in_consultation.pk])),
    ]
    counts = []
    for who, url in pages:
        with django_assert_max_num_queries(25) as few:
            assert who.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for _ in range(12):
        PromiseCommentFactory(promise=PromiseFactory(version=in_consultation))
    for (who, url), count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert who.get(url).status_code == 200
