"""Managers setting up where to find us and what inspections score: service centres and their
drop-in hours, contractors and the estates they hold, open spaces. Each change is a service in
one transaction with an audit entry; bad answers are refused in words for the manager."""

import datetime as dt
import uuid

import pytest

from engagement.neighbourhoods import services
from engagement.neighbourhoods.models import (
    ContractorAssignment,
    ContractService,
    DropInHours,
    OpenSpace,
    ServiceCentre,
    Weekday,
)
from portal.models import AuditEntry, OfficerRole
from tests import factories as core
from tests.neighbourhoods import factories

pytestmark = pytest.mark.django_db

T = dt.time


@pytest.fixture
def manager(db):
    return core.OfficerFactory(role=OfficerRole.MANAGER, patch=None, name="Marcus Reid")


def details(**changes):
    fields = {
        "name": "Northgate Hub",
        "kind": ServiceCentre.Kind.COMMUNITY_HUB,
        "address": " 2 Castle Street \n\nMillbrook ",
        "postcode": "mb2 4qq ",
        "helps_with": "Rent\n\n Repairs ",
        "phone": " 01632 960001",
        "email": "hub@example.com",
        "access_information": "Step-free",
        "neighbourhoods": (),
    }
    fields.update(changes)
    return services.CentreDetails(**fields)


def audits(subject_part):
    return AuditEntry.objects.filter(subject__contains=subject_part)


# -- service centres ---------------------------------------------------------------------------------------------


def test_a_manager_adds_a_centre_once_however_often_the_form_is_sent(manager):
    patch = core.NeighbourhoodFactory(name="Northgate")
    token = uuid.uuid4()
    centre = services.add_service_centre(
        officer=manager, details=details(neighbourhoods=(patch,)), token=token
    )
    again = services.add_service_centre(officer=manager, details=details(), token=str(token))
    assert again.pk == centre.pk and ServiceCentre.objects.count() == 1
    assert centre.address == "2 Castle Street\nMillbrook" and centre.postcode == "MB2 4QQ"
    assert centre.help_list == ["Rent", "Repairs"] and centre.phone == "01632 960001"
    assert list(centre.neighbourhoods.all()) == [patch]
    entry = audits(f"service centre {centre.pk} added").get()
    assert entry.actor == manager.user and entry.action == AuditEntry.Action.CREATE


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "Enter the name of the centre"),
        ({"name": "millbrook centre"}, "name", "There is already a centre called millbrook centre"),
        ({"kind": "castle"}, "kind", "Choose what kind of place it is"),
        ({"address": "\n"}, "address", "Enter the address"),
        ({"postcode": ""}, "postcode", "Enter the postcode"),
        ({"helps_with": " "}, "helps_with", "Enter what residents can get help with"),
    ],
)
def test_a_centre_needs_its_details_and_a_name_of_its_own(manager, changes, field, message):
    factories.ServiceCentreFactory(name="Millbrook Centre")
    with pytest.raises(services.SetupError, match=message) as refused:
        services.add_service_centre(officer=manager, details=details(**changes))
    assert refused.value.field == field
    assert ServiceCentre.objects.count() == 1 and not AuditEntry.objects.exists()


def test_changing_a_centre_keeps_its_own_name_and_records_the_old_one(manager):
    centre = factories.ServiceCentreFactory(name="Old Hall")
    patch = core.NeighbourhoodFactory()
    services.change_service_centre(
        centre=centre, officer=manager, details=details(name="Old Hall", neighbourhoods=(patch,))
    )
    services.change_service_centre(centre=centre, officer=manager, details=details())
    centre.refresh_from_db()
    assert centre.name == "Northgate Hub" and centre.kind == ServiceCentre.Kind.COMMUNITY_HUB
    assert not centre.neighbourhoods.exists()
    renamed = audits(f"service centre {centre.pk} changed: Northgate Hub").get()
    assert renamed.detail == {"was_called": "Old Hall"}


def test_closing_and_reopening_a_centre_keeps_it_and_its_hours(manager):
    hours = factories.DropInHoursFactory()
    centre = services.close_service_centre(centre=hours.centre, officer=manager)
    services.close_service_centre(centre=centre, officer=manager)  # a second click changes nothing
    assert not centre.is_active and DropInHours.objects.filter(pk=hours.pk).exists()
    assert audits("closed").count() == 1
    assert services.reopen_service_centre(centre=centre, officer=manager).is_active
    assert audits("reopened").count() == 1


# -- drop-in hours -----------------------------------------------------------------------------------------------


def test_drop_in_hours_are_added_once_changed_and_removed(manager):
    centre = factories.ServiceCentreFactory(name="Hub")
    token = uuid.uuid4()
    hours = services.add_drop_in_hours(
        centre=centre,
        officer=manager,
        weekday=Weekday.MONDAY,
        opens=T(9),
        closes=T(12),
        note=" Money advice only ",
        token=token,
    )
    services.add_drop_in_hours(
        centre=centre, officer=manager, weekday=0, opens=T(9), closes=T(12), token=token
    )
    assert centre.drop_in_hours.count() == 1 and hours.note == "Money advice only"
    services.change_drop_in_hours(
        hours=hours, officer=manager, weekday=Weekday.MONDAY, opens=T(10), closes=T(12, 30)
    )
    hours.refresh_from_db()
    assert (hours.opens, hours.closes) == (T(10), T(12, 30))
    services.remove_drop_in_hours(hours=hours, officer=manager)
    services.remove_drop_in_hours(hours=hours, officer=manager)
    assert not centre.drop_in_hours.exists()
    assert [e.action for e in AuditEntry.objects.order_by("at", "id")] == [
        AuditEntry.Action.CREATE,
        AuditEntry.Action.CHANGE,
        AuditEntry.Action.CHANGE,
    ]
    assert "Hub: Monday 09:00 to 12:00" in audits("drop-in hours added").get().subject


def test_hours_must_end_after_they_start(manager):
    centre = factories.ServiceCentreFactory()
    for closes in (T(9), T(8, 59)):
        with pytest.raises(services.SetupError, match="closing time must be after") as refused:
            services.add_drop_in_hours(
                centre=centre, officer=manager, weekday=0, opens=T(9), closes=closes
            )
        assert refused.value.field == "closes"
    assert not DropInHours.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes"), [(T(11), T(13)), (T(8), T(10)), (T(9, 30), T(10)), (T(8), T(14))]
)
def test_hours_cannot_overlap_other_hours_the_same_day(manager, opens, closes):
    hours = factories.DropInHoursFactory(weekday=Weekday.TUESDAY, opens=T(9), closes=T(12))
    with pytest.raises(services.SetupError, match="already open from 09:00 to 12:00 on Tuesdays"):
        services.add_drop_in_hours(
            centre=hours.centre, officer=manager, weekday=1, opens=opens, closes=closes
        )
    assert hours.centre.drop_in_hours.count() == 1


def test_hours_that_touch_or_fall_on_another_day_are_fine(manager):
    hours = factories.DropInHoursFactory(weekday=Weekday.TUESDAY, opens=T(9), closes=T(12))
    services.add_drop_in_hours(
        centre=hours.centre, officer=manager, weekday=1, opens=T(12), closes=T(14)
    )
    services.add_drop_in_hours(
        centre=hours.centre, officer=manager, weekday=2, opens=T(9), closes=T(12)
    )
    # Changing hours does not clash with themselves; moving onto others does.
    services.change_drop_in_hours(
        hours=hours, officer=manager, weekday=1, opens=T(8, 30), closes=T(12)
    )
    with pytest.raises(services.SetupError):
        services.change_drop_in_hours(
            hours=hours, officer=manager, weekday=1, opens=T(8, 30), closes=T(12, 30)
        )
    assert hours.centre.drop_in_hours.count() == 3


# -- contractors -------------------------------------------------------------------------------------------------


def test_a_manager_adds_a_contractor_once_and_names_are_their_own(manager):
    token = uuid.uuid4()
    first = services.add_contractor(
        officer=manager, name=" Brightway Cleaning ", service="cleaning", token=token
    )
    again = services.add_contractor(
        officer=manager, name="Brightway Cleaning", service="cleaning", token=token
    )
    assert first.pk == again.pk and first.name == "Brightway Cleaning"
    with pytest.raises(services.SetupError, match="already a contractor called") as refused:
        services.add_contractor(officer=manager, name="brightway cleaning", service="grounds")
    assert refused.value.field == "name"
    with pytest.raises(services.SetupError, match="Choose what they do"):
        services.add_contractor(officer=manager, name="Someone", service="windows")
    assert audits(f"contractor {first.pk} added").count() == 1


def test_what_a_contractor_does_cannot_change_once_they_have_held_an_estate(manager):
    contractor = factories.ContractorFactory(name="Sparkle")
    services.change_contractor(
        contractor=contractor, officer=manager, name="Sparkle Ltd", service="grounds"
    )
    factories.ContractorAssignmentFactory(contractor=contractor)
    with pytest.raises(services.SetupError, match="cannot change") as refused:
        services.change_contractor(
            contractor=contractor, officer=manager, name="Sparkle Ltd", service="cleaning"
        )
    assert refused.value.field == "service"
    contractor.refresh_from_db()
    assert contractor.service == ContractService.GROUNDS
    assert audits(f"contractor {contractor.pk} changed").get().detail == {"was_called": "Sparkle"}


def test_giving_an_estate_to_a_new_contractor_ends_the_last_one_the_day_before(manager, estate):
    old = factories.ContractorAssignmentFactory(estate=estate, starts_on=dt.date(2024, 4, 1))
    newcomer = factories.ContractorFactory(name="Brightway")
    token = uuid.uuid4()
    assignment = services.assign_contractor(
        contractor=newcomer,
        estate=estate,
        starts_on=dt.date(2026, 4, 1),
        officer=manager,
        token=token,
    )
    services.assign_contractor(
        contractor=newcomer,
        estate=estate,
        starts_on=dt.date(2026, 4, 1),
        officer=manager,
        token=token,
    )
    old.refresh_from_db()
    assert old.ends_on == dt.date(2026, 3, 31)
    assert ContractorAssignment.objects.filter(contractor=newcomer).count() == 1
    assert assignment.service == ContractService.CLEANING
    assert (
        services.responsible_contractors(estate, dt.date(2026, 3, 31))["cleaning"] == old.contractor
    )
    assert services.responsible_contractors(estate, dt.date(2026, 4, 1))["cleaning"] == newcomer
    entry = audits("Brightway holds Hollybank for cleaning from 2026-04-01").get()
    assert entry.detail["replaced"] == old.contractor_id


def test_an_assignment_must_start_after_the_current_one_and_not_repeat_it(manager, estate):
    current = factories.ContractorAssignmentFactory(estate=estate, starts_on=dt.date(2025, 1, 1))
    other = factories.ContractorFactory()
    with pytest.raises(services.SetupError, match="must start after that") as refused:
        services.assign_contractor(
            contractor=other, estate=estate, starts_on=dt.date(2025, 1, 1), officer=manager
        )
    assert refused.value.field == "starts_on"
    with pytest.raises(services.SetupError, match="already holds Hollybank") as refused:
        services.assign_contractor(
            contractor=current.contractor,
            estate=estate,
            starts_on=dt.date(2026, 1, 1),
            officer=manager,
        )
    assert refused.value.field == "estate"
    current.refresh_from_db()
    assert current.ends_on is None and ContractorAssignment.objects.count() == 1


def test_a_contractor_not_in_use_cannot_be_given_an_estate(manager, estate):
    contractor = factories.ContractorFactory(is_active=False)
    with pytest.raises(services.NeighbourhoodError, match="not in use"):
        services.assign_contractor(
            contractor=contractor, estate=estate, starts_on=dt.date(2026, 1, 1), officer=manager
        )


def test_ending_an_assignment_needs_a_last_day_after_it_started(manager, estate):
    assignment = factories.ContractorAssignmentFactory(estate=estate, starts_on=dt.date(2025, 6, 1))
    with pytest.raises(services.SetupError, match="on or after the day it started, 1 June 2025"):
        services.end_assignment(
            assignment=assignment, officer=manager, ends_on=dt.date(2025, 5, 31)
        )
    services.end_assignment(assignment=assignment, officer=manager, ends_on=dt.date(2025, 6, 1))
    assignment.refresh_from_db()
    assert assignment.ends_on == dt.date(2025, 6, 1)
    with pytest.raises(services.NeighbourhoodError, match="already ended on 1 June 2025"):
        services.end_assignment(assignment=assignment, officer=manager, ends_on=dt.date(2025, 7, 1))
    assert audits("ends on 2025-06-01").count() == 1


def test_stopping_a_contractor_ends_their_estates_and_withdraws_contracts_not_begun(manager):
    contractor = factories.ContractorFactory(name="Sparkle")
    holding = factories.ContractorAssignmentFactory(
        contractor=contractor, starts_on=dt.date(2024, 1, 1)
    )
    ended = factories.ContractorAssignmentFactory(
        contractor=contractor, starts_on=dt.date(2023, 1, 1), ends_on=dt.date(2023, 12, 31)
    )
    factories.ContractorAssignmentFactory(contractor=contractor, starts_on=dt.date(2027, 1, 1))
    scored = factories.InspectionScoreFactory(contractor=contractor)
    services.stop_using_contractor(
        contractor=contractor, officer=manager, last_day=dt.date(2026, 6, 30)
    )
    contractor.refresh_from_db()
    holding.refresh_from_db()
    ended.refresh_from_db()
    assert not contractor.is_active
    assert holding.ends_on == dt.date(2026, 6, 30) and ended.ends_on == dt.date(2023, 12, 31)
    assert contractor.assignments.count() == 2
    assert contractor.scores.get() == scored
    entry = audits(f"contractor {contractor.pk} no longer used from 2026-06-30").get()
    assert entry.detail["estates_ended"] == [holding.estate.name]
    assert len(entry.detail["contracts_withdrawn"]) == 1
    with pytest.raises(services.NeighbourhoodError, match="already not in use"):
        services.stop_using_contractor(
            contractor=contractor, officer=manager, last_day=dt.date(2026, 7, 1)
        )
    assert services.use_contractor_again(contractor=contractor, officer=manager).is_active
    assert audits("in use again").count() == 1


# -- open spaces -------------------------------------------------------------------------------------------------


def test_open_spaces_are_added_once_renamed_and_named_once_per_estate(manager, estate):
    token = uuid.uuid4()
    space = services.add_open_space(estate=estate, name=" Play area ", officer=manager, token=token)
    assert services.add_open_space(estate=estate, name="x", officer=manager, token=token) == space
    assert space.name == "Play area" and OpenSpace.objects.count() == 1
    with pytest.raises(services.SetupError, match="Hollybank already has an open space called"):
        services.add_open_space(estate=estate, name="PLAY AREA", officer=manager)
    services.add_open_space(estate=core.EstateFactory(), name="Play area", officer=manager)
    services.rename_open_space(space=space, name="Play area", officer=manager)  # its own name
    services.rename_open_space(space=space, name="Toddler play area", officer=manager)
    space.refresh_from_db()
    assert space.name == "Toddler play area"
    with pytest.raises(services.SetupError, match="Enter the name") as refused:
        services.rename_open_space(space=space, name=" ", officer=manager)
    assert refused.value.field == "name"
    assert audits(f"open space {space.pk} renamed: Toddler play area").get().detail == {
        "was_called": "Play area"
    }


def test_a_retired_open_space_keeps_its_scores_and_new_inspections_leave_it_out(
    manager, estate, patch_officer
):
    space = factories.OpenSpaceFactory(estate=estate, name="Car park")
    old = factories.InspectionScoreFactory(
        inspection=factories.InspectionFactory(estate=estate), block=None, open_space=space
    )
    services.retire_open_space(space=space, officer=manager)
    services.retire_open_space(space=space, officer=manager)
    space.refresh_from_db()
    assert not space.is_active and audits("retired").count() == 1
    old.refresh_from_db()  # still there
    inspection = services.start_inspection(officer=patch_officer, estate=estate)
    with pytest.raises(services.NeighbourhoodError, match="Car park is no longer inspected"):
        services.record_place_scores(
            inspection=inspection,
            officer=patch_officer,
            open_space=space,
            scores=[services.ElementScore(element="cleaning", score=3)],
        )
    services.bring_back_open_space(space=space, officer=manager)
    services.record_place_scores(
        inspection=inspection,
        officer=patch_officer,
        open_space=space,
        scores=[services.ElementScore(element="cleaning", score=3)],
    )
    assert inspection.scores.filter(open_space=space).count() == 1
    assert audits("inspected again").count() == 1
