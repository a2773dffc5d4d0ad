"""Building-safety concerns: anyone signed in to a home can report one; it goes to the building
safety team's queue as urgent, and the resident is kept informed."""

from datetime import datetime

import pytest
import time_machine

from portal.models import Case, CaseKind, CaseStatus, DeadlineKind, Notification, Team, Tenure
from portal.workdays import LONDON
from repairs import services
from tests import factories
from tests.repairs.conftest import home_in_block, resident_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tenure", [Tenure.SOCIAL_RENT, Tenure.LEASEHOLD, Tenure.SHARED_OWNERSHIP])
def test_any_resident_reports_a_safety_concern_and_it_goes_to_the_building_safety_team_as_urgent(
    client, tenure
):
    resident = resident_in(home_in_block(tenure=tenure))
    client.force_login(resident.user)
    page = client.get("/repairs/safety-concern/").content.decode()
    assert "Report a safety concern" in page
    assert "call 999" in page
    with time_machine.travel(datetime(2026, 11, 27, 15, 0, tzinfo=LONDON), tick=False):
        sent = client.post(
            "/repairs/safety-concern/",
            {
                "category": "fire_door",
                "location": "Third floor landing",
                "description": "The fire door is wedged open with a fire extinguisher.",
            },
        )
    case = resident.cases.get()
    assert sent.url == f"/repairs/{case.reference}/"
    assert case.kind == CaseKind.SAFETY_CONCERN
    assert case.reference.startswith("S-")
    assert case.team == Team.objects.get(name="Building safety")
    action = case.deadlines.get(kind=DeadlineKind.SAFETY_ACTION)
    assert action.due_at == datetime(2026, 12, 4, 23, 59, 59, tzinfo=LONDON)  # the urgent target
    assert Notification.objects.filter(
        template="repair_safety_concern_received", resident=resident
    ).exists()
    # Read back the same afternoon, while the promise still runs.
    with time_machine.travel(datetime(2026, 11, 27, 15, 5, tzinfo=LONDON), tick=False):
        page = client.get(sent.url).content.decode()
    assert "Safety concern: fire doors" in page
    assert "We will act on your safety concern by end of Friday 4 December" in page


def test_the_team_named_in_the_settings_gets_the_concern(tenant, settings):
    settings.BUILDING_SAFETY_TEAM_NAME = "Fire and building safety"
    leader = factories.OfficerFactory(name="Fiona Fire")
    Team.objects.create(name="Fire and building safety", leader=leader)
    concern = services.raise_safety_concern(
        user=tenant.user,
        resident=tenant,
        home=tenant.tenancies.get().home,
        category="fire_alarm",
        location="Block A",
        description="Alarm beeping",
    )
    assert concern.case.team.name == "Fire and building safety"
    assert concern.case.owner == leader


def test_a_concern_must_say_what_and_where(client, tenant):
    client.force_login(tenant.user)
    page = client.post("/repairs/safety-concern/", {}).content.decode()
    for error in [
        "Select what your concern is about",
        "Tell us where it is",
        "Tell us what the problem is",
    ]:
        assert error in page


def test_the_resident_is_told_what_the_team_did(client, tenant, repairs_officer):
    concern = services.raise_safety_concern(
        user=tenant.user,
        resident=tenant,
        home=tenant.tenancies.get().home,
        category="escape_route",
        location="Ground floor corridor",
        description="Bikes blocking the exit",
    )
    client.force_login(repairs_officer.user)
    client.post(
        f"/staff/repairs/{concern.case.reference}/",
        {
            "action": "safety_action",
            "safety_action-action": "We removed the bikes and put up a notice.",
            "safety_action-resolved": "on",
        },
    )
    concern.case.refresh_from_db()
    assert concern.case.status == CaseStatus.RESOLVED
    assert concern.case.deadlines.get().met_at is not None
    update = Notification.objects.get(template="repair_safety_concern_update", resident=tenant)
    assert "We removed the bikes" in update.body
    client.force_login(tenant.user)
    assert (
        "We removed the bikes and put up a notice."
        in client.get(f"/repairs/{concern.case.reference}/").content.decode()
    )


def test_an_officer_can_report_a_safety_concern_they_spot_on_their_rounds(client, repairs_officer):
    client.force_login(repairs_officer.user)
    sent = client.post(
        "/repairs/safety-concern/",
        {
            "category": "cladding",
            "location": "Alder House, east side",
            "description": "Panel hanging loose",
        },
    )
    concern_case = Case.objects.get()
    assert sent.url == f"/staff/repairs/{concern_case.reference}/"
    assert concern_case.resident is None
    assert concern_case.safety_concern.reported_by == repairs_officer.user


def test_someone_signed_in_without_a_home_is_asked_to_link_one_first(client):
    user = factories.UserFactory()
    client.force_login(user)
    assert client.get("/repairs/safety-concern/").url == "/account/link-your-home/"
