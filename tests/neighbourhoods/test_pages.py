"""The pages: public where to find us, residents seeing their own officer and estate first,
booking and joining, staff scheduling and logging, who may see what, and query counts that do not
grow with the data."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from engagement.neighbourhoods import services
from engagement.neighbourhoods.models import (
    OfficerProfile,
    Surgery,
    SurgeryBooking,
    WalkaboutSignup,
)
from tests import factories as core
from tests.neighbourhoods import factories
from tests.neighbourhoods.factories import in_days

pytestmark = pytest.mark.django_db


def png(size=(30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (10, 90, 80)).save(out, format="PNG")
    return SimpleUploadedFile("me.png", out.getvalue(), content_type="image/png")


def surgery_with_slots(estate, officer, days=3, places=1):
    return services.schedule_surgery(
        estate=estate,
        venue="Community room",
        starts_at=in_days(days, 10),
        ends_at=in_days(days, 11),
        officer=officer,
        scheduled_by=officer,
        places_per_slot=places,
    )


def test_anyone_can_see_where_to_find_us(client):
    centre = factories.DropInHoursFactory().centre
    page = client.get("/neighbourhood/").content.decode()
    assert centre.name in page
    assert "Tuesday: 9:30am to 12:30pm" in page


def test_a_resident_sees_their_officer_and_next_surgery_on_their_estate_first(
    tenant_client, estate, patch_officer
):
    elsewhere = core.EstateFactory(name="Wharf Side")
    factories.SurgeryFactory(estate=elsewhere, starts_at=in_days(1, 9))
    mine = surgery_with_slots(estate, patch_officer, days=6)
    page = tenant_client.get("/neighbourhood/").content.decode()
    assert "Your housing officer" in page and "Priya Shah" in page
    assert f"/neighbourhood/surgeries/{mine.pk}/" in page
    listing = tenant_client.get("/neighbourhood/surgeries/").content.decode()
    assert listing.index("Hollybank") < listing.index("Wharf Side")


def test_the_resident_home_page_shows_their_neighbourhood(tenant_client, estate, patch_officer):
    surgery_with_slots(estate, patch_officer)
    page = tenant_client.get("/").content.decode()
    assert "Your neighbourhood" in page and "Priya Shah" in page


def test_a_resident_books_a_time_through_the_page(tenant_client, tenant, estate, patch_officer):
    surgery = surgery_with_slots(estate, patch_officer)
    slot = surgery.slots.first()
    page = tenant_client.get(f"/neighbourhood/surgeries/{surgery.pk}/").content.decode()
    assert "Book this time" in page
    response = tenant_client.post(
        f"/neighbourhood/surgeries/{surgery.pk}/book/", {"slot": slot.pk, "about": "Rent"}
    )
    assert response.status_code == 302
    assert SurgeryBooking.objects.get(resident=tenant).slot == slot
    assert (
        "You are booked in"
        in tenant_client.get(f"/neighbourhood/surgeries/{surgery.pk}/").content.decode()
    )


def test_booking_without_choosing_a_time_shows_an_error_and_keeps_the_words(
    tenant_client, estate, patch_officer
):
    surgery = surgery_with_slots(estate, patch_officer)
    response = tenant_client.post(
        f"/neighbourhood/surgeries/{surgery.pk}/book/", {"about": "Noise at night"}
    )
    page = response.content.decode()
    assert "There is a problem" in page and "Choose a time" in page and "Noise at night" in page


def test_a_time_taken_meanwhile_is_refused_with_a_message(tenant_client, estate, patch_officer):
    surgery = surgery_with_slots(estate, patch_officer)
    slot = surgery.slots.first()
    services.book_surgery_slot(resident=factories.resident_on(estate), slot=slot)
    response = tenant_client.post(f"/neighbourhood/surgeries/{surgery.pk}/book/", {"slot": slot.pk})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_a_resident_cannot_cancel_someone_elses_booking(tenant_client, estate, patch_officer):
    surgery = surgery_with_slots(estate, patch_officer)
    theirs = services.book_surgery_slot(
        resident=factories.resident_on(estate), slot=surgery.slots.first()
    )
    assert (
        tenant_client.post(f"/neighbourhood/your-bookings/surgery/{theirs.pk}/cancel/").status_code
        == 404
    )
    assert SurgeryBooking.objects.get(pk=theirs.pk).cancelled_at is None


def test_a_resident_joins_a_walkabout_from_its_page(tenant_client, tenant, estate):
    walkabout = factories.WalkaboutFactory(estate=estate)
    assert (
        "Join this walkabout"
        in tenant_client.get(f"/neighbourhood/walkabouts/{walkabout.pk}/").content.decode()
    )
    tenant_client.post(f"/neighbourhood/walkabouts/{walkabout.pk}/join/")
    assert WalkaboutSignup.objects.filter(resident=tenant, walkabout=walkabout).exists()
    assert (
        "You are joining"
        in tenant_client.get(f"/neighbourhood/walkabouts/{walkabout.pk}/").content.decode()
    )


def test_staff_pages_need_a_staff_account(tenant_client):
    assert tenant_client.get("/staff/neighbourhoods/surgeries/").status_code == 403


def test_an_officer_schedules_a_surgery_and_a_double_submit_makes_one(
    staff_client, estate, patch_officer
):
    day = dt.date.today() + dt.timedelta(days=9)
    form = {
        "estate": estate.pk,
        "venue": "Holly Court community room",
        "day_0": day.day,
        "day_1": day.month,
        "day_2": day.year,
        "starts": "10:00",
        "ends": "12:00",
        "officer": patch_officer.pk,
        "slot_minutes": "20",
        "places_per_slot": "2",
        "drop_in_welcome": "on",
        "notes": "",
        "submission_token": "8d1f7c1e-8c4a-4d55-9b0e-3f6f6b1f0a11",
    }
    assert staff_client.post("/staff/neighbourhoods/surgeries/new/", form).status_code == 302
    assert staff_client.post("/staff/neighbourhoods/surgeries/new/", form).status_code == 302
    surgery = Surgery.objects.get()
    assert surgery.slots.count() == 6


def test_scheduling_with_the_end_before_the_start_explains_the_error(
    staff_client, estate, patch_officer
):
    day = dt.date.today() + dt.timedelta(days=9)
    response = staff_client.post(
        "/staff/neighbourhoods/surgeries/new/",
        {
            "estate": estate.pk,
            "venue": "Hall",
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "starts": "12:00",
            "ends": "10:00",
            "officer": patch_officer.pk,
            "slot_minutes": "15",
            "places_per_slot": "1",
        },
    )
    page = response.content.decode()
    assert "The end time must be after the start time" in page and "Hall" in page
    assert not Surgery.objects.exists()


def test_an_officer_logs_a_visit_and_opens_a_case_from_it(
    staff_client, tenant, estate, patch_officer
):
    surgery = factories.SurgeryFactory(
        estate=estate, officer=patch_officer, starts_at=in_days(0, 0, 5)
    )
    slot = factories.SurgerySlotFactory(surgery=surgery, starts_at=in_days(1, 9))
    booking = services.book_surgery_slot(resident=tenant, slot=slot)
    url = f"/staff/neighbourhoods/surgeries/{surgery.pk}/"
    staff_client.post(
        url, {"booking": booking.pk, "raised": "Wants a bigger home", "submission_token": ""}
    )
    visit = surgery.visits.get()
    response = staff_client.post(
        f"{url}visits/{visit.pk}/case/",
        {"kind": "enquiry", "summary": "Transfer request", "details": ""},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.case.summary == "Transfer request"
    assert visit.case.reference in staff_client.get(url).content.decode()


def test_an_officer_uploads_a_photo_and_a_file_that_is_not_one_is_refused(
    staff_client, patch_officer
):
    bad = SimpleUploadedFile("me.jpg", b"not a picture", content_type="image/jpeg")
    response = staff_client.post(
        "/staff/neighbourhoods/your-details/", {"phone": "07700 900123", "photo": bad}
    )
    assert "must be a JPEG, PNG or HEIC photo" in response.content.decode()
    assert not OfficerProfile.objects.exists()
    staff_client.post(
        "/staff/neighbourhoods/your-details/",
        {"phone": "07700 900123", "photo": png(), "photo_description": "Priya"},
    )
    profile = OfficerProfile.objects.get()
    assert profile.photo_content_type == "image/png"
    photo = staff_client.get(f"/neighbourhood/officers/{patch_officer.pk}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


def test_a_photo_that_is_too_big_is_refused(staff_client, settings):
    settings.NEIGHBOURHOODS_PHOTO_MAX_BYTES = 100
    response = staff_client.post("/staff/neighbourhoods/your-details/", {"photo": png((200, 200))})
    assert "must be smaller than" in response.content.decode()


# -- query counts: the list pages do not grow with the data --------------------------------------------------


def _lots(estate, officer):
    for days in range(1, 8):
        surgery = surgery_with_slots(estate, officer, days=days, places=2)
        services.book_surgery_slot(
            resident=factories.resident_on(estate), slot=surgery.slots.first()
        )
        walkabout = factories.WalkaboutFactory(
            estate=estate, starts_at=in_days(days, 15), officer=officer
        )
        services.join_walkabout(resident=factories.resident_on(estate), walkabout=walkabout)
        services.schedule_doorstep_day(
            estate=estate, starts_at=in_days(days, 9), ends_at=in_days(days, 16), officer=officer
        )
        factories.DropInHoursFactory()
        core.OfficerFactory(patch=core.NeighbourhoodFactory())
        contractor = factories.ContractorFactory()
        factories.InspectionScoreFactory(
            inspection=factories.InspectionFactory(
                estate=estate, inspected_on=dt.date.today() - dt.timedelta(days=40 * days)
            ),
            contractor=contractor,
        )


PUBLIC_PAGES = [
    "/neighbourhood/",
    "/neighbourhood/officers/",
    "/neighbourhood/surgeries/",
    "/neighbourhood/walkabouts/",
    "/neighbourhood/doorstep-days/",
    "/neighbourhood/estate-inspections/",
    "/neighbourhood/your-bookings/",
]
STAFF_PAGES = [
    "/staff/neighbourhoods/",
    "/staff/neighbourhoods/surgeries/",
    "/staff/neighbourhoods/surgeries/?show=past",
    "/staff/neighbourhoods/walkabouts/",
    "/staff/neighbourhoods/inspections/",
    "/staff/neighbourhoods/contractors/",
]


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_and_resident_lists_use_a_fixed_number_of_queries(
    tenant_client, estate, patch_officer, url, django_assert_max_num_queries
):
    _lots(estate, patch_officer)
    with django_assert_max_num_queries(20):
        assert tenant_client.get(url).status_code == 200
    before = _queries(tenant_client, url)
    _lots(estate, patch_officer)
    assert _queries(tenant_client, url) == before


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_lists_use_a_fixed_number_of_queries(
    client, estate, patch_officer, url, django_assert_max_num_queries
):
    client.force_login(patch_officer.user)
    _lots(estate, patch_officer)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
    before = _queries(client, url)
    _lots(estate, patch_officer)
    assert _queries(client, url) == before


def test_a_drop_in_is_found_by_tenancy_reference_so_it_can_become_a_complaint(
    staff_client, tenant, estate, patch_officer
):
    surgery = factories.SurgeryFactory(
        estate=estate, officer=patch_officer, starts_at=in_days(0, 0, 5)
    )
    url = f"/staff/neighbourhoods/surgeries/{surgery.pk}/"
    reference = tenant.tenancies.get().reference
    response = staff_client.post(
        url, {"booking": "", "tenancy_reference": "T-NOPE", "raised": "Unhappy"}
    )
    assert "No current tenancy has that reference" in response.content.decode()
    staff_client.post(
        url,
        {"booking": "", "tenancy_reference": reference.lower(), "raised": "Unhappy with repairs"},
    )
    visit = surgery.visits.get()
    assert visit.resident == tenant
    staff_client.post(
        f"{url}visits/{visit.pk}/case/", {"kind": "complaint", "summary": "Repairs complaint"}
    )
    visit.refresh_from_db()
    assert visit.case.kind == "complaint" and visit.case.resident == tenant


def test_a_centre_serving_two_neighbourhoods_is_listed_once_and_the_residents_first(
    tenant_client, estate
):
    other = core.NeighbourhoodFactory(name="Riverside")
    both = factories.ServiceCentreFactory(name="Both centre")
    both.neighbourhoods.set([estate.neighbourhood, other])
    factories.ServiceCentreFactory(name="Another centre")
    page = tenant_client.get("/neighbourhood/").content.decode()
    assert page.count("Both centre") == 1
    assert page.index("Both centre") < page.index("Another centre")
