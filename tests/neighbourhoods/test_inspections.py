"""Walkabouts and inspections: residents join; each block and open space is scored with the
contractor responsible that day; a problem becomes a case in the queue; scores are averaged by
contractor and month in the database."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from engagement.neighbourhoods import selectors, services
from engagement.neighbourhoods.models import (
    ContractService,
    InspectionElement,
    InspectionScore,
    WalkaboutSignup,
)
from engagement.neighbourhoods.photos import PhotoRejected
from portal.models import CaseKind
from repairs.models import RepairRequest
from tests import factories as core
from tests.neighbourhoods import factories

pytestmark = pytest.mark.django_db


def jpeg(name="photo.jpg", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (120, 80, 40)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def all_elements(score=4, **overrides):
    return [
        services.ElementScore(element=element.value, score=overrides.get(element.value, score))
        for element in InspectionElement
    ]


def test_a_resident_joins_a_walkabout_once_and_can_leave(tenant):
    walkabout = factories.WalkaboutFactory()
    first = services.join_walkabout(resident=tenant, walkabout=walkabout)
    assert services.join_walkabout(resident=tenant, walkabout=walkabout) == first
    services.leave_walkabout(signup=first)
    assert not WalkaboutSignup.objects.filter(cancelled_at__isnull=True).exists()


def test_a_walkabout_that_has_started_takes_no_one_new(tenant):
    walkabout = factories.WalkaboutFactory(starts_at=factories.in_days(-1))
    with pytest.raises(services.NeighbourhoodError):
        services.join_walkabout(resident=tenant, walkabout=walkabout)


def test_scores_keep_the_contractor_responsible_on_the_day(estate, patch_officer):
    cleaner = factories.ContractorAssignmentFactory(
        estate=estate, starts_on=dt.date(2020, 1, 1)
    ).contractor
    newer = factories.ContractorAssignmentFactory(
        estate=estate, starts_on=dt.date(2030, 1, 1)
    ).contractor
    gardener = factories.ContractorAssignmentFactory(
        estate=estate, contractor=factories.ContractorFactory(service=ContractService.GROUNDS)
    ).contractor
    block = core.BlockFactory(estate=estate)
    walkabout = factories.WalkaboutFactory(estate=estate, officer=patch_officer)
    inspection = services.start_inspection(officer=patch_officer, walkabout=walkabout)
    assert services.start_inspection(officer=patch_officer, walkabout=walkabout) == inspection
    services.record_place_scores(
        inspection=inspection, officer=patch_officer, block=block, scores=all_elements()
    )
    by_element = {
        s.element: s.contractor for s in InspectionScore.objects.filter(inspection=inspection)
    }
    assert by_element["cleaning"] == cleaner != newer
    assert by_element["graffiti"] == cleaner
    assert by_element["grounds"] == gardener
    assert by_element["lighting"] is None and by_element["fire_safety"] is None


def test_scoring_a_place_again_replaces_its_scores(estate, patch_officer):
    space = factories.OpenSpaceFactory(estate=estate, name="Play area")
    inspection = services.start_inspection(officer=patch_officer, estate=estate)
    services.record_place_scores(
        inspection=inspection, officer=patch_officer, open_space=space, scores=all_elements(3)
    )
    services.record_place_scores(
        inspection=inspection, officer=patch_officer, open_space=space, scores=all_elements(5)
    )
    assert set(InspectionScore.objects.values_list("score", flat=True)) == {5}
    assert InspectionScore.objects.count() == len(InspectionElement)


def test_a_place_on_another_estate_cannot_be_scored(estate, patch_officer):
    inspection = services.start_inspection(officer=patch_officer, estate=estate)
    with pytest.raises(services.NeighbourhoodError):
        services.record_place_scores(
            inspection=inspection,
            officer=patch_officer,
            block=core.BlockFactory(),
            scores=all_elements(),
        )


def test_a_photo_is_kept_without_its_metadata_and_anything_else_is_refused(estate, patch_officer):
    block = core.BlockFactory(estate=estate)
    inspection = services.start_inspection(officer=patch_officer, estate=estate)
    scores = [
        services.ElementScore(
            element="fly_tipping", score=1, comment="Mattress by the bins", photo=jpeg()
        )
    ]
    (found,) = services.record_place_scores(
        inspection=inspection, officer=patch_officer, block=block, scores=scores
    )
    assert found.photo and found.photo_content_type == "image/jpeg"
    bad = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(PhotoRejected):
        services.record_place_scores(
            inspection=inspection,
            officer=patch_officer,
            block=block,
            scores=[services.ElementScore(element="bins", score=2, photo=bad)],
        )


def test_a_problem_found_becomes_a_communal_repair_in_the_queue(client, estate, patch_officer):
    block = core.BlockFactory(estate=estate, name="Ivy House")
    finding = factories.InspectionScoreFactory(
        inspection=factories.InspectionFactory(estate=estate, officer=patch_officer),
        block=block,
        element="lighting",
        score=1,
        comment="Stairwell light out on the second floor",
    )
    case = services.raise_case_from_finding(
        finding=finding,
        officer=patch_officer,
        kind="communal_repair",
        summary="Stairwell light out, Ivy House",
    )
    repair = RepairRequest.objects.get(case=case)
    assert case.kind == CaseKind.REPAIR and repair.is_communal and repair.block == block
    assert "second floor" in repair.description
    assert InspectionScore.objects.get(pk=finding.pk).case == case
    with pytest.raises(services.NeighbourhoodError):
        services.raise_case_from_finding(
            finding=finding, officer=patch_officer, kind="enquiry", summary="Again"
        )
    client.force_login(patch_officer.user)
    assert case.reference in client.get("/staff/queue/", {"view": "all"}).content.decode()


def test_the_finding_case_page_opens_the_case_in_one_step(staff_client, estate, patch_officer):
    finding = factories.InspectionScoreFactory(
        inspection=factories.InspectionFactory(estate=estate), element="graffiti", score=2
    )
    page = staff_client.get(f"/staff/neighbourhoods/findings/{finding.pk}/case/")
    assert page.status_code == 200
    response = staff_client.post(
        f"/staff/neighbourhoods/findings/{finding.pk}/case/",
        {"kind": "communal_repair", "summary": "Graffiti on the bin store", "details": ""},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.case.summary == "Graffiti on the bin store"


def test_monthly_scores_are_averaged_per_contractor_in_the_database(estate):
    contractor = factories.ContractorFactory(name="Sparkle Cleaning")
    today = dt.date.today()
    for score in (2, 4):
        factories.InspectionScoreFactory(
            inspection=factories.InspectionFactory(estate=estate, inspected_on=today),
            score=score,
            contractor=contractor,
        )
    (row,) = selectors.monthly_scores(contractor=contractor)
    assert row["average"] == 3 and row["scored"] == 2 and row["poor"] == 1
    (listed,) = selectors.contractors_with_scores()
    assert listed.average == 3


def test_completing_needs_a_score_first(estate, patch_officer):
    inspection = services.start_inspection(officer=patch_officer, estate=estate)
    with pytest.raises(services.NeighbourhoodError):
        services.complete_inspection(inspection=inspection, officer=patch_officer)
    services.record_place_scores(
        inspection=inspection,
        officer=patch_officer,
        block=core.BlockFactory(estate=estate),
        scores=all_elements(),
    )
    done = services.complete_inspection(
        inspection=inspection, officer=patch_officer, residents_present=4
    )
    assert done.is_complete and done.residents_present == 4


def test_the_scoring_page_saves_every_element_with_a_photo(staff_client, estate, patch_officer):
    block = core.BlockFactory(estate=estate, name="Holly Court")
    inspection = services.start_inspection(officer=patch_officer, estate=estate)
    url = f"/staff/neighbourhoods/inspections/{inspection.pk}/block/{block.pk}/"
    assert staff_client.get(url).status_code == 200
    data = {f"{e.value}_score": "4" for e in InspectionElement}
    data["bins_score"] = "1"
    data["bins_comment"] = "Overflowing"
    data["bins_photo"] = jpeg()
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert InspectionScore.objects.filter(inspection=inspection).count() == len(InspectionElement)
    assert InspectionScore.objects.get(element="bins").photo


def test_the_scoring_page_shows_what_is_missing_and_keeps_what_was_typed(
    staff_client, estate, patch_officer
):
    block = core.BlockFactory(estate=estate)
    inspection = services.start_inspection(officer=patch_officer, estate=estate)
    url = f"/staff/neighbourhoods/inspections/{inspection.pk}/block/{block.pk}/"
    response = staff_client.post(url, {"cleaning_score": "3", "cleaning_comment": "Stairs swept"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Score lighting, from 1 to 5" in page
    assert "Stairs swept" in page
    assert not InspectionScore.objects.exists()


def test_cancelling_a_walkabout_tells_everyone_joining(staff_client, tenant):
    from portal.models import Notification

    walkabout = factories.WalkaboutFactory()
    services.join_walkabout(resident=tenant, walkabout=walkabout)
    url = f"/staff/neighbourhoods/walkabouts/{walkabout.pk}/cancel/"
    assert (
        "Say why the walkabout is cancelled"
        in staff_client.post(url, {"reason": ""}).content.decode()
    )
    assert staff_client.post(url, {"reason": "Storm warning"}).status_code == 302
    walkabout.refresh_from_db()
    assert walkabout.is_cancelled
    assert Notification.objects.filter(resident=tenant, body__contains="Storm warning").exists()
    with pytest.raises(services.NeighbourhoodError):
        services.join_walkabout(
            resident=factories.resident_on(walkabout.estate), walkabout=walkabout
        )


def test_walkabout_reminders_go_once(tenant):
    from portal.models import Notification

    walkabout = factories.WalkaboutFactory(starts_at=timezone.now() + dt.timedelta(hours=20))
    services.join_walkabout(resident=tenant, walkabout=walkabout)
    assert services.send_reminders() == 1
    assert services.send_reminders() == 0
    assert Notification.objects.filter(resident=tenant, subject__startswith="Reminder").count() == 1


def test_the_case_page_links_back_to_the_inspection_and_the_export_holds_bookings(
    staff_client, estate, patch_officer, tenant
):
    from portal.services.subject_access import export_resident_data

    finding = factories.InspectionScoreFactory(
        inspection=factories.InspectionFactory(estate=estate), score=1
    )
    case = services.raise_case_from_finding(
        finding=finding, officer=patch_officer, kind="enquiry", summary="Look at this"
    )
    assert (
        "Found on an estate inspection"
        in staff_client.get(f"/staff/cases/{case.reference}/").content.decode()
    )
    slot = factories.SurgerySlotFactory()
    services.book_surgery_slot(resident=tenant, slot=slot, about="Rent")
    exported = export_resident_data(resident=tenant)["neighbourhoods"][0]
    assert exported["surgery_bookings"][0]["about"] == "Rent"
