"""Each registered case opener opens a real case of its kind through its app's own service, which
then sits in the officers' queue with its deadline."""

import pytest

from complaints.models import Complaint
from portal.extensions import case_openers, open_case_for
from portal.models import CaseChannel, CaseKind, DeadlineKind, Enquiry
from repairs.models import RepairRequest
from tests import factories as core
from tests.neighbourhoods import factories

pytestmark = pytest.mark.django_db


def in_queue(client, officer, case):
    client.force_login(officer.user)
    page = client.get("/staff/queue/", {"view": "all"})
    assert page.status_code == 200
    return case.reference in page.content.decode()


def test_the_four_openers_are_registered_in_order():
    assert [opener.key for opener in case_openers()] == [
        "enquiry",
        "repair",
        "communal_repair",
        "complaint",
    ]


def test_an_enquiry_for_a_resident_gets_a_call_back_deadline_and_their_patch_officer(
    client, tenant, patch_officer
):
    home = tenant.tenancies.get().home
    case = open_case_for(
        "enquiry",
        officer=patch_officer,
        summary="Parking permit",
        details="Wants a second permit for a carer",
        channel=CaseChannel.WALK_IN,
        resident=tenant,
        home=home,
    )
    assert case.kind == CaseKind.ENQUIRY
    assert case.channel == CaseChannel.WALK_IN
    assert case.owner == patch_officer
    assert "carer" in Enquiry.objects.get(case=case).question
    assert case.deadlines.get().kind == DeadlineKind.CALLBACK
    assert in_queue(client, patch_officer, case)


def test_an_enquiry_with_no_resident_goes_to_the_estates_officer(estate, patch_officer):
    other = core.OfficerFactory(patch=None)
    case = open_case_for(
        "enquiry", officer=other, summary="Bench broken on the green", estate=estate
    )
    assert case.resident is None
    assert case.owner == patch_officer
    case.refresh_from_db()
    assert case.estate == estate  # so it shows under the estate's patch in the queue


def test_a_repair_is_reported_for_the_residents_home_with_the_officers_summary(
    client, tenant, patch_officer
):
    home = tenant.tenancies.get().home
    case = open_case_for(
        "repair",
        officer=patch_officer,
        summary="Kitchen window will not close",
        details="Hinge broken",
        channel=CaseChannel.WALK_IN,
        resident=tenant,
        home=home,
    )
    repair = RepairRequest.objects.get(case=case)
    assert case.kind == CaseKind.REPAIR
    assert case.summary == "Kitchen window will not close"
    assert "Hinge broken" in repair.description
    assert not repair.is_communal
    assert repair.reported_by == patch_officer.user
    assert case.deadlines.get().kind == DeadlineKind.REPAIR_TARGET
    assert in_queue(client, patch_officer, case)


def test_a_repair_needs_a_resident_and_home(patch_officer):
    with pytest.raises(ValueError):
        open_case_for("repair", officer=patch_officer, summary="Something")


def test_a_communal_repair_found_on_the_estate_needs_no_resident(client, estate, patch_officer):
    block = core.BlockFactory(estate=estate, name="Holly Court")
    case = open_case_for(
        "communal_repair",
        officer=patch_officer,
        summary="Stairwell light out",
        details="Third floor",
        channel=CaseChannel.WALK_IN,
        block=block,
        estate=estate,
    )
    repair = RepairRequest.objects.get(case=case)
    assert case.resident is None
    assert repair.is_communal
    assert repair.block == block
    assert "Holly Court" in repair.description
    assert case.next_due_at is not None
    assert in_queue(client, patch_officer, case)
    client.force_login(patch_officer.user)
    assert client.get(f"/staff/cases/{case.reference}/").status_code == 200


def test_a_communal_repair_a_resident_raised_goes_through_their_home(tenant, patch_officer):
    home = tenant.tenancies.get().home
    case = open_case_for(
        "communal_repair",
        officer=patch_officer,
        summary="Door entry broken",
        resident=tenant,
        home=home,
    )
    repair = RepairRequest.objects.get(case=case)
    assert case.resident == tenant
    assert repair.is_communal
    assert repair.block == home.block


def test_a_complaint_is_logged_at_stage_1_for_the_resident(client, tenant, patch_officer):
    case = open_case_for(
        "complaint",
        officer=patch_officer,
        summary="Repairs never turn up",
        details="Three missed appointments",
        channel=CaseChannel.WALK_IN,
        resident=tenant,
        home=tenant.tenancies.get().home,
    )
    complaint = Complaint.objects.get(case=case)
    assert case.kind == CaseKind.COMPLAINT
    assert "Three missed appointments" in complaint.what_happened
    assert case.deadlines.get().kind == DeadlineKind.COMPLAINT_ACK
    assert in_queue(client, patch_officer, case)


def test_a_complaint_needs_a_resident(patch_officer):
    with pytest.raises(ValueError):
        open_case_for("complaint", officer=patch_officer, summary="Unhappy")


def test_the_factories_make_a_resident_on_the_estate(estate):
    resident = factories.resident_on(estate)
    assert resident.tenancies.get().home.estate == estate
