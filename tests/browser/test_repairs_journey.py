"""A tenant reports a repair on a phone through every page, chooses an evening appointment and
sees it with the target; an officer completes it; the tenant says how satisfied they are. Each
page of the journey is checked with axe-core, and screenshots go to /tmp for a person to look at."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image

from portal.models import OfficerRole, Tenure
from portal.workdays import local_date
from repairs import services
from repairs.models import OperativeTeam, RepairRequest, RepairSatisfaction
from tests import factories
from tests.browser.conftest import (
    PHONE,
    describe,
    follow,
    millbrook,
    serious_accessibility_violations,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/repairs-journey"


@pytest.fixture
def estate():
    services.ensure_default_priorities()  # a transactional test starts from a flushed database
    millbrook()
    patch = factories.NeighbourhoodFactory(name="Northgate")
    team = OperativeTeam.objects.create(name="Millbrook Homes repairs team")
    team.neighbourhoods.add(patch)
    services.create_slots(
        team=team, start=local_date(timezone.now()) + timedelta(days=1), days=21, capacity=2
    )
    return patch


@pytest.fixture
def tenant(estate):
    estate_row = factories.EstateFactory(neighbourhood=estate, name="Northgate Estate")
    block = factories.BlockFactory(estate=estate_row, name="Alder House")
    home = factories.HomeFactory(
        estate=estate_row,
        block=block,
        address_line_1="Flat 12, Alder House",
        postcode="MB4 2QT",
        tenure=Tenure.SOCIAL_RENT,
        has_communal_areas=True,
    )
    resident = factories.ResidentFactory(
        first_name="Grace", last_name="Adeyemi", email="tenant@example.com", phone="07700 900123"
    )
    factories.TenancyFactory(home=home, residents=[resident])
    resident.user = factories.UserFactory(email=resident.email)
    resident.save()
    return resident


@pytest.fixture
def officer(estate):
    return factories.OfficerFactory(
        user=factories.UserFactory(email="officer@example.com"),
        name="Dev Patel",
        role=OfficerRole.OFFICER,
        patch=estate,
    )


def photo_of_a_leak() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (70, 110, 160)).save(buffer, format="JPEG")
    return buffer.getvalue()


class Journey:
    """Checks every page it arrives at and keeps a screenshot of each."""

    def __init__(self, page, name):
        self.page = page
        self.name = name
        self.count = 0

    def check(self, label, heading=None):
        page = self.page
        page.wait_for_load_state("load")
        if heading is not None:
            assert heading in page.get_by_role("heading", level=1).first.inner_text()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{label}: the page is {overflow}px wider than the screen"
        violations = serious_accessibility_violations(page)
        assert not violations, (
            f"{label}: axe-core found serious or critical problems:\n" + describe(violations)
        )
        self.count += 1
        page.screenshot(path=f"{SHOTS}-{self.name}-{self.count:02d}-{label}.png", full_page=True)

    def next(self, button="Continue"):
        self.page.get_by_role("button", name=button, exact=True).click()


@pytest.mark.parametrize("page", [pytest.param(PHONE, id="phone")], indirect=True)
def test_a_tenant_reports_a_repair_books_an_evening_slot_and_rates_it_after_an_officer_completes_it(
    page, open_tab, site, tenant, officer
):
    journey = Journey(page, "tenant")
    sign_in(page, site, "tenant@example.com", factories.PASSWORD)

    page.goto(f"{site}/repairs/")
    journey.check("your-repairs", "Your repairs")
    follow(page.get_by_role("button", name="Report a repair"))
    journey.check("start", "Report a repair")
    assert "0800 111 999" in page.locator("main").inner_text()
    follow(page.get_by_role("button", name="Start now"))

    journey.check("where", "Where is the problem?")
    page.get_by_label("Bathroom or toilet").check()
    journey.next()
    journey.check("what", "What is the problem with?")
    page.get_by_label("Leaks and water").check()
    journey.next()
    journey.check("problem", "Leaks and water: what is wrong?")
    page.get_by_label("Leaking pipe, tap or radiator").check()
    journey.next()
    journey.check("question", "Can you stop the water?")
    page.get_by_label("Yes").check()
    journey.next()
    journey.check("describe", "Describe the problem")
    page.get_by_label("Describe the problem").fill("The pipe under the basin drips all the time.")
    journey.next()

    journey.check("photos", "Add photos of the problem")
    page.get_by_label("Choose photos").set_input_files(
        files=[{"name": "leak.jpg", "mimeType": "image/jpeg", "buffer": photo_of_a_leak()}]
    )
    journey.next("Upload photos")
    journey.check("photo-added", "Add photos of the problem")
    assert page.get_by_role("img", name="Photo 1 you added").is_visible()
    journey.next()

    journey.check("access", "Getting in to do the repair")
    page.get_by_label("Anything we need to know to get in?").fill(
        "Please knock loudly: the bell is broken."
    )
    journey.next()
    journey.check("check-answers", "Check your answers")
    # Change an answer, and come straight back.
    follow(page.get_by_role("link", name="Change the description"))
    journey.check("change-description", "Describe the problem")
    page.get_by_label("Describe the problem").fill(
        "The pipe under the bathroom basin drips all the time."
    )
    journey.next()
    assert "Check your answers" in page.get_by_role("heading", level=1).inner_text()
    assert "under the bathroom basin" in page.locator("main").inner_text()
    journey.next("Report the repair")

    journey.check("reported", "Repair reported")
    repair = RepairRequest.objects.get()
    reference = repair.case.reference
    main = page.locator("main").inner_text()
    assert reference in main
    assert "Urgent" in main
    target = repair.case.deadlines.get(kind="repair_target").due_at
    from portal.templatetags.doorstep import govuk_date

    assert govuk_date(target, True) in main
    assert "What happens next" in main
    assert repair.photos.count() == 1

    follow(page.get_by_role("button", name="Choose an appointment"))
    journey.check("choose-day", "Which day suits you")
    page.locator(".govuk-radios__item", has_text=re.compile("evening")).first.locator(
        "input"
    ).check()
    journey.next()
    journey.check("choose-time", "What time on")
    page.get_by_label("Evening, 5pm to 8pm").check()
    journey.next("Book this appointment")

    journey.check("repair-booked", repair.problem_label)
    main = page.locator("main").inner_text()
    assert "Your appointment is booked for" in main
    assert "Evening, 5pm to 8pm" in main
    assert (
        f"We will complete the repair by end of {govuk_date(target, True).rsplit(' ', 1)[0]}"
        in main
    )

    # The officer completes it, on a phone too.
    staff_page = open_tab("officer@example.com", PHONE)
    staff = Journey(staff_page, "officer")
    staff_page.goto(f"{site}/staff/repairs/")
    staff.check("repairs-list", "Repairs")
    follow(staff_page.get_by_role("link", name=reference))
    staff.check("repair", repair.problem_label)
    staff_page.get_by_text("Complete the repair", exact=True).click()
    staff_page.get_by_label("What was done").last.fill(
        "Replaced the trap and the washer under the basin."
    )
    follow(staff_page.get_by_role("button", name="Mark the repair complete"))
    staff.check("completed", repair.problem_label)
    assert "Repair completed" in staff_page.locator("main").inner_text()

    # The tenant sees it is done and answers the question.
    page.goto(f"{site}/repairs/{reference}/")
    journey.check("repair-complete", repair.problem_label)
    assert "Completed" in page.locator("main").inner_text()
    follow(page.get_by_role("button", name="Tell us how satisfied you are"))
    journey.check("satisfaction", "Your repair is complete")
    page.get_by_label("Very satisfied").check()
    page.get_by_label("Tell us more (optional)").fill("Quick, tidy and on time.")
    journey.next("Send your answer")
    journey.check("thank-you", repair.problem_label)
    assert "You told us you were very satisfied" in page.locator("main").inner_text()
    answer = RepairSatisfaction.objects.get()
    assert (answer.score, answer.comment) == (5, "Quick, tidy and on time.")


@pytest.mark.parametrize("page", [pytest.param(PHONE, id="phone")], indirect=True)
def test_a_tenant_who_smells_gas_is_told_at_once_to_leave_and_given_the_number(page, site, tenant):
    journey = Journey(page, "gas")
    sign_in(page, site, "tenant@example.com", factories.PASSWORD)
    page.goto(f"{site}/repairs/report/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("All over your home").check()
    journey.next()
    page.get_by_label("Heating, hot water and gas").check()
    journey.next()
    page.get_by_label("No heating", exact=True).check()
    journey.next()
    journey.check("smell-gas", "Can you smell gas?")
    page.get_by_label("Yes").check()
    journey.next()

    journey.check("emergency", "Emergency repair reported")
    alert = page.get_by_role("alert").first.inner_text()
    assert "Leave your home now" in alert
    assert "0800 111 999" in alert
    assert page.get_by_role("link", name="0800 111 999").get_attribute("href") == "tel:0800111999"
    repair = RepairRequest.objects.get()
    assert (repair.emergency, repair.priority.code) == ("gas", "emergency")


def test_an_officer_books_moves_and_cancels_an_appointment_for_a_tenant_who_phoned(
    page, open_tab, site, tenant, officer
):
    import uuid

    from repairs.models import Appointment, AppointmentStatus

    home = tenant.tenancies.get().home
    repair = services.report_repair(
        resident=tenant,
        home=home,
        location="kitchen",
        category="kitchen",
        problem="kitchen_tap",
        answers={},
        description="The kitchen tap is loose and wobbles.",
        access_notes="",
        contact_phone="07700 900123",
        token=uuid.uuid4(),
    )
    reference = repair.case.reference
    journey = Journey(page, "staff-booking")
    sign_in(page, site, "officer@example.com", factories.PASSWORD)

    page.goto(f"{site}/staff/repairs/{reference}/")
    follow(page.get_by_role("link", name="Book an appointment"))
    journey.check("slots", "Book an appointment")
    follow(page.get_by_role("button", name="Continue"))
    journey.check("no-slot-chosen", "Book an appointment")
    assert "Select a slot" in page.get_by_role("alert").inner_text()
    page.get_by_label(re.compile(r"evening, 5pm to 8pm")).first.check()
    follow(page.get_by_role("button", name="Continue"))
    journey.check("confirm", "Check the appointment before booking it")
    follow(page.get_by_role("button", name="Book the appointment"))
    assert "The resident has been told" in page.locator("main").inner_text()
    first = Appointment.objects.get(repair=repair)

    follow(page.get_by_role("link", name="Change the appointment"))
    journey.check("change", "Change the appointment")
    page.get_by_label(re.compile(r"morning, 8am to midday")).first.check()
    follow(page.get_by_role("button", name="Continue"))
    journey.check("confirm-move", "Check the appointment before booking it")
    follow(page.get_by_role("button", name="Move the appointment"))
    first.refresh_from_db()
    assert first.status == AppointmentStatus.RESCHEDULED

    follow(page.get_by_role("link", name="Cancel the appointment"))
    journey.check("cancel", "Cancel the appointment")
    follow(page.get_by_role("button", name="Cancel the appointment"))
    journey.check("cancel-no-reason", "Cancel the appointment")
    page.get_by_label("Why is the appointment being cancelled?").fill(
        "Ms Adeyemi rang: she is in hospital that week."
    )
    follow(page.get_by_role("button", name="Cancel the appointment"))
    assert "Appointment cancelled" in page.locator("main").inner_text()
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()
