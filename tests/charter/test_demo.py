"""`manage.py load_demo_charter`: an adopted charter in all seven sections, an earlier version, a
draft out for consultation with comments, a draft customer voice report; safe to run again."""

from io import StringIO

import pytest
from django.core.management import call_command

from charter.models import (
    CharterSection,
    CharterVersion,
    CommentStatus,
    CustomerVoiceReport,
    PromiseComment,
    VersionStatus,
)
from tests import factories

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("load_demo_charter", stdout=out)
    return out.getvalue()


def test_the_demo_charter_has_every_part_and_loads_once(client):
    factories.OfficerFactory(
        user=factories.UserFactory(email="manager@example.com"), role="manager"
    )
    for _ in range(4):
        factories.resident_with_home(user=False)
    assert "version 2 adopted" in run()
    assert "already loaded" in run()

    adopted = CharterVersion.objects.get(status=VersionStatus.ADOPTED)
    sections = set(adopted.promises.values_list("section", flat=True))
    assert sections == set(CharterSection.values)
    assert (
        adopted.promises.exclude(measure_key="").count()
        > adopted.promises.filter(measure_key="").count()
    )
    assert adopted.commitments.count() >= 5
    assert CharterVersion.objects.filter(status=VersionStatus.REPLACED).count() == 1
    draft = CharterVersion.objects.get(status=VersionStatus.CONSULTATION)
    assert (
        PromiseComment.objects.filter(
            promise__version=draft, status=CommentStatus.PUBLISHED
        ).count()
        == 2
    )
    assert (
        PromiseComment.objects.filter(promise__version=draft, status=CommentStatus.PENDING).count()
        == 2
    )
    assert not CustomerVoiceReport.objects.get(year=2025).is_published
    # Every resident with a current tenancy was told of the consultation, once.
    assert draft.announced_at is not None
    assert draft.consultation_notices.count() == 4

    page = client.get("/charter/").content.decode()
    assert "we will call you back within one working day" in page.replace("\n", " ")
    assert client.get(f"/charter/consultation/{draft.number}/").status_code == 200
