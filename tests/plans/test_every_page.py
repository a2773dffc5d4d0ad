"""Every page renders for the person it is for, and the core finds what this app registers."""

import datetime as dt

import pytest
from django.urls import reverse

from engagement.plans import services
from engagement.plans.models import ApplicationStatus
from portal.extensions import resident_home_sections, subject_access_sections
from tests import factories as core
from tests.plans import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(patch, tenant, neighbour, fund, manager):
    officer = core.OfficerFactory(patch=patch, name="Priya Shah")
    open_plan, priorities = factories.plan_with_priorities(neighbourhood=patch)
    services.cast_ballot(plan=open_plan, resident=tenant, priority_ids=[priorities[0].pk])
    closed_plan, closed_priorities = factories.plan_with_priorities(
        neighbourhood=patch,
        title="Last year's plan",
        voting_opens_on=factories.today() - dt.timedelta(days=400),
        voting_closes_on=factories.today() - dt.timedelta(days=380),
    )
    action = services.add_action(
        plan=closed_plan,
        officer=officer,
        priority=closed_priorities[0],
        title="Lights",
        owner=officer,
        due_on=factories.today(),
    )
    waiting = factories.ApplicationFactory(fund=fund, applicant=tenant)
    approved = factories.ApplicationFactory(
        fund=fund,
        applicant=tenant,
        status=ApplicationStatus.APPROVED,
        awarded_pence=50_000,
        title="Noticeboard",
    )
    return {
        "officer": officer,
        "manager": manager,
        "open_plan": open_plan,
        "closed_plan": closed_plan,
        "action": action,
        "waiting": waiting,
        "approved": approved,
    }


def test_public_pages(client, world, patch):
    for url in [
        reverse("plans:index"),
        reverse("plans:neighbourhood", args=[patch.pk]),
        reverse("plans:plan", args=[world["closed_plan"].pk]),
        reverse("plans:fund"),
        reverse("plans:projects") + "?show=funded",
        reverse("plans:project", args=[world["approved"].reference]),
    ]:
        assert client.get(url).status_code == 200, url


def test_resident_pages(client, world, tenant):
    client.force_login(tenant.user)
    for url in [
        reverse("plans:your_neighbourhood"),
        reverse("plans:vote", args=[world["open_plan"].pk]),
        reverse("plans:apply"),
        reverse("plans:applications"),
        reverse("plans:application", args=[world["approved"].reference]),
        reverse("plans:post_update", args=[world["approved"].reference]),
    ]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    page = client.get(reverse("plans:plan", args=[world["open_plan"].pk])).content.decode()
    assert "Change your vote" in page


def test_staff_pages(client, world):
    reference = world["waiting"].reference
    client.force_login(world["manager"].user)
    for url in [
        reverse("plans_staff:plans"),
        reverse("plans_staff:new_plan"),
        reverse("plans_staff:plan", args=[world["open_plan"].pk]),
        reverse("plans_staff:plan", args=[world["closed_plan"].pk]),
        reverse("plans_staff:add_priority", args=[world["open_plan"].pk]),
        reverse("plans_staff:add_action", args=[world["closed_plan"].pk]),
        reverse("plans_staff:action_progress", args=[world["action"].pk]),
        reverse("plans_staff:fund"),
        reverse("plans_staff:new_fund"),
        reverse("plans_staff:application", args=[reference]),
        reverse("plans_staff:score", args=[reference]),
        reverse("plans_staff:decide", args=[reference]),
        reverse("plans_staff:pay", args=[world["approved"].reference]),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_home_page_asks_the_tenant_to_vote_and_lists_their_applications(
    client, world, neighbour, tenant
):
    section = next(s for s in resident_home_sections(neighbour) if s.template.startswith("plans/"))
    assert section.context["plan"] == world["open_plan"]
    assert section.context["voted"] is False
    client.force_login(tenant.user)
    page = client.get(reverse("home")).content.decode()
    assert "You have voted" in page
    assert "Noticeboard" in page


def test_the_data_export_holds_the_residents_votes_and_applications(world, tenant):
    export = subject_access_sections()["neighbourhood plans and community fund"](tenant)
    records = {row["record"] for row in export}
    assert {"neighbourhood plan vote", "community fund application"} <= records


def test_done_actions_appear_in_you_said_we_did(world):
    from engagement.plans.models import ActionStatus
    from portal.extensions import changes_made

    services.record_action_progress(
        action=world["action"],
        officer=world["officer"],
        body="All lamps on.",
        status=ActionStatus.DONE,
    )
    items = [item for item in changes_made() if item.source == "Last year's plan"]
    assert len(items) == 1
    assert items[0].we_did == "Lights."
    assert "chose safety" in items[0].you_said
