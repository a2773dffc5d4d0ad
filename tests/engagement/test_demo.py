"""`manage.py load_demo_engagement`: panels, meetings, reviews, consultations and changes for the demo."""

from io import StringIO

import pytest
from django.core.management import call_command

from engagement import selectors
from engagement.models import (
    ChangeEntry,
    Consultation,
    Meeting,
    MembershipEndReason,
    MembershipStatus,
    Panel,
    PanelKind,
    PanelMembership,
    ReviewStage,
    ScrutinyReview,
)
from portal.models import OfficerRole, Tenure
from tests import factories

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("load_demo_engagement", stdout=out)
    return out.getvalue()


def test_without_the_demo_tenant_it_says_so_and_loads_nothing():
    assert "There is no demo tenant" in run()
    assert not Panel.objects.exists()


def test_it_loads_every_kind_of_panel_and_leaves_the_scrutiny_panel_for_the_tenant_to_join():
    tenant = factories.resident_with_home(email="tenant@example.com")
    factories.resident_with_home(email="leaseholder@example.com", tenure=Tenure.LEASEHOLD)
    for _ in range(30):
        factories.resident_with_home(user=False)
    for _ in range(5):
        factories.resident_with_home(user=False, tenure=Tenure.LEASEHOLD)
    factories.OfficerFactory(user=factories.UserFactory(email="officer@example.com"))
    factories.OfficerFactory(
        user=factories.UserFactory(email="manager@example.com"),
        role=OfficerRole.MANAGER,
        patch=None,
    )

    assert "Loaded resident voice" in run()
    assert "already loaded" in run()

    assert set(Panel.objects.values_list("kind", flat=True)) == set(PanelKind.values)
    scrutiny = Panel.objects.get(kind=PanelKind.SCRUTINY)
    assert scrutiny.is_recruiting and selectors.may_join(scrutiny, tenant)
    assert not selectors.is_member_of_panel_kind(tenant, PanelKind.SCRUTINY)
    assert selectors.is_member_of_panel_kind(tenant, PanelKind.FORUM)
    assert selectors.upcoming_meetings_for(tenant)
    assert Meeting.objects.filter(minutes_published_at__isnull=False).exists()
    ended = PanelMembership.objects.get(status=MembershipStatus.ENDED)
    assert ended.panel == scrutiny and ended.end_reason == MembershipEndReason.MOVED_AWAY
    closed = Panel.objects.get(is_active=False)
    assert closed.closing_message and closed not in selectors.panels_to_join()

    assert (
        ScrutinyReview.objects.filter(
            published_at__isnull=False, stage=ReviewStage.RESPONDED
        ).count()
        == 1
    )
    assert ScrutinyReview.objects.filter(published_at__isnull=True).exists()
    open_now = selectors.open_consultations_for(tenant).get()
    assert not open_now.answered
    assert Consultation.objects.filter(outcome_published_at__isnull=False).count() == 1
    assert ChangeEntry.objects.filter(published_at__isnull=False).count() >= 4
