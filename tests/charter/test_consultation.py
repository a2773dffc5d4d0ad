"""Residents comment on each promise of a draft out for consultation; comments show only once a
member of staff has published them, and the resident is told either way."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from charter import services
from charter.models import CommentStatus, PromiseComment, VersionStatus
from portal.models import AuditEntry, Notification
from tests import factories as core
from tests.charter.factories import (
    CharterVersionFactory,
    PromiseCommentFactory,
    PromiseFactory,
    adopted_version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def promise():
    version = CharterVersionFactory(
        status=VersionStatus.CONSULTATION,
        consultation_opened_at=timezone.now(),
        consultation_closes_on=timezone.localdate() + timedelta(days=14),
    )
    return PromiseFactory(version=version)


def comment_url(promise):
    return reverse("charter:comment", args=[promise.version.number, promise.pk])


def test_a_tenant_comments_and_the_comment_waits_for_moderation(resident_client, resident, promise):
    response = resident_client.post(
        comment_url(promise),
        {"text": "A call-back by 5pm would help me plan", "submission_token": uuid.uuid4()},
    )
    assert response.status_code == 302
    comment = PromiseComment.objects.get()
    assert comment.resident == resident and comment.status == CommentStatus.PENDING
    assert comment.promise_text == promise.text

    page = resident_client.get(reverse("charter:consultation", args=[promise.version.number]))
    assert "Waiting for moderation" in page.content.decode()  # in their own list
    anonymous = page.client.__class__().get(
        reverse("charter:consultation", args=[promise.version.number])
    )
    assert "A call-back by 5pm" not in anonymous.content.decode()


def test_a_published_comment_shows_to_everyone_without_the_residents_name(client, promise):
    comment = PromiseCommentFactory(promise=promise, text="Please include text messages")
    officer = core.OfficerFactory()
    services.moderate_comment(comment=comment, officer=officer, publish=True)
    page = client.get(
        reverse("charter:consultation", args=[promise.version.number])
    ).content.decode()
    assert "Please include text messages" in page
    assert comment.resident.last_name not in page
    message = Notification.objects.get(resident=comment.resident)
    assert "is published" in message.subject
    assert AuditEntry.objects.filter(resident=comment.resident, actor=officer.user).exists()


def test_a_comment_not_published_needs_a_reason_the_resident_is_told(promise):
    comment = PromiseCommentFactory(promise=promise)
    officer = core.OfficerFactory()
    with pytest.raises(services.CharterError):
        services.moderate_comment(comment=comment, officer=officer, publish=False, reason=" ")
    services.moderate_comment(
        comment=comment, officer=officer, publish=False, reason="It names a member of staff."
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    assert "It names a member of staff." in Notification.objects.get(resident=comment.resident).body
    with pytest.raises(services.CharterError):
        services.moderate_comment(comment=comment, officer=officer, publish=True)


def test_staff_moderate_from_the_queue(officer_client, promise):
    comment = PromiseCommentFactory(promise=promise, text="Evening appointments please")
    queue = officer_client.get(reverse("charter_staff:comments"))
    assert "Evening appointments please" in queue.content.decode()
    response = officer_client.post(
        reverse("charter_staff:moderate", args=[comment.pk]), {"decision": "reject"}
    )
    assert "Say why the comment will not be published" in response.content.decode()
    officer_client.post(
        reverse("charter_staff:moderate", args=[comment.pk]), {"decision": "publish"}
    )
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_the_same_comment_form_sent_twice_makes_one_comment(resident_client, promise):
    form = {"text": "Same words", "submission_token": uuid.uuid4()}
    resident_client.post(comment_url(promise), form)
    resident_client.post(comment_url(promise), form)
    assert PromiseComment.objects.count() == 1


def test_an_empty_comment_is_refused_with_a_message(resident_client, promise):
    response = resident_client.post(
        comment_url(promise), {"text": "  ", "submission_token": uuid.uuid4()}
    )
    assert response.status_code == 200
    assert "Enter your comment" in response.content.decode()
    assert not PromiseComment.objects.exists()


def test_comments_close_with_the_consultation(resident_client, resident, promise):
    version = promise.version
    version.consultation_closes_on = timezone.localdate() - timedelta(days=1)
    version.save()
    with pytest.raises(services.CharterError):
        services.comment_on_promise(promise=promise, resident=resident, text="Too late")
    response = resident_client.post(
        comment_url(promise), {"text": "Too late", "submission_token": uuid.uuid4()}
    )
    assert response.status_code == 302
    assert not PromiseComment.objects.exists()


def test_promises_not_out_for_consultation_take_no_comments(resident_client):
    adopted = PromiseFactory(version=adopted_version())
    draft = PromiseFactory(version=CharterVersionFactory())
    for promise in (adopted, draft):
        assert resident_client.get(comment_url(promise)).status_code == 404


def test_visitors_must_sign_in_to_comment(client, promise):
    response = client.get(comment_url(promise))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_comments_are_in_the_residents_data_export(resident, promise):
    from portal.extensions import subject_access_sections

    PromiseCommentFactory(promise=promise, resident=resident, text="My words")
    exported = subject_access_sections()["charter_comments"](resident)
    assert exported[0]["comment"] == "My words"
