"""Reporting a repair: one question a page, emergencies recognised from the answers, leaseholders
kept to the shared areas, check your answers, and one repair however often the form is sent."""

from datetime import date, datetime

import pytest
import time_machine

from portal.models import CaseKind, DeadlineKind, Notification, Tenure
from portal.workdays import LONDON
from repairs import catalogue, services
from repairs.models import RepairRequest
from tests import factories
from tests.repairs.conftest import home_in_block, report, resident_in, slots_for

pytestmark = pytest.mark.django_db

P = catalogue.PROBLEMS_BY_CODE


# -- recognising an emergency ------------------------------------------------------------------------------


def test_a_smell_of_gas_is_always_an_emergency():
    assert catalogue.recognise_emergency(P["smell_gas"], {}).code == "gas"


@pytest.mark.parametrize("problem", ["no_heating_or_hot_water", "no_heating", "no_hot_water"])
def test_no_heating_or_hot_water_with_a_child_under_5_or_someone_vulnerable_is_an_emergency(
    problem,
):
    assert catalogue.recognise_emergency(
        P[problem], {"smell_gas": False, "vulnerable": True}
    ).code == ("no_heat_vulnerable")
    assert (
        catalogue.recognise_emergency(P[problem], {"smell_gas": False, "vulnerable": False}) is None
    )


def test_a_boiler_fault_with_a_smell_of_gas_is_a_gas_emergency_whatever_else_is_true():
    emergency = catalogue.recognise_emergency(
        P["no_heating"], {"smell_gas": True, "vulnerable": True}
    )
    assert emergency.code == "gas"


def test_water_through_the_ceiling_is_an_emergency_only_near_electrics():
    assert (
        catalogue.recognise_emergency(P["ceiling_leak"], {"near_electrics": True}).code
        == "water_electrics"
    )
    assert catalogue.recognise_emergency(P["ceiling_leak"], {"near_electrics": False}) is None


def test_a_leak_nobody_can_stop_is_an_emergency():
    assert (
        catalogue.recognise_emergency(P["pipe_leak"], {"can_stop_water": False}).code
        == "uncontrolled_leak"
    )
    assert catalogue.recognise_emergency(P["pipe_leak"], {"can_stop_water": True}) is None


@pytest.mark.parametrize(
    "text",
    [
        "I can smell gas in the kitchen",
        "There's a gas leak I think",
        "It smells of gas",
        "leaking gas",
    ],
)
def test_gas_in_the_description_is_recognised(text):
    assert catalogue.recognise_emergency(P["radiator"], {}, text).code == "gas"


@pytest.mark.parametrize(
    "text", ["The gas meter cupboard door is broken", "Gas fire needs a service", ""]
)
def test_the_word_gas_alone_is_not_an_emergency(text):
    assert catalogue.recognise_emergency(P["radiator"], {}, text) is None


def test_the_questions_stop_at_the_first_answer_that_shows_an_emergency():
    assert catalogue.next_question(P["no_heating"], {}).code == "smell_gas"
    assert catalogue.next_question(P["no_heating"], {"smell_gas": True}) is None
    assert catalogue.next_question(P["no_heating"], {"smell_gas": False}).code == "vulnerable"


def test_an_emergency_is_raised_with_the_emergency_priority_and_a_24_hour_target(tenant):
    with time_machine.travel(datetime(2026, 11, 27, 22, 0, tzinfo=LONDON), tick=False):
        repair = report(
            tenant,
            location="kitchen",
            category="leaks",
            problem="ceiling_leak",
            answers={"near_electrics": True},
        )
    assert repair.emergency == "water_electrics"
    assert repair.priority.code == "emergency"
    target = repair.case.deadlines.get(kind=DeadlineKind.REPAIR_TARGET)
    assert target.due_at == datetime(2026, 11, 28, 22, 0, tzinfo=LONDON)
    assert repair.case.events.filter(
        message__startswith="Raised as an emergency", visible_to_resident=True
    ).exists()


# -- the pages ---------------------------------------------------------------------------------------------


def start(client):
    response = client.post("/repairs/report/")
    assert response.status_code == 302
    return client.session["repairs:report"]["token"]


def answer(client, url, token, **data):
    response = client.post(url, {"token": token, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


@time_machine.travel(datetime(2026, 11, 27, 15, 0, tzinfo=LONDON), tick=False)
def test_a_tenant_reports_a_repair_through_every_page_and_is_told_what_happens_next(
    client, tenant, team
):
    slots_for(team, date(2026, 11, 30), days=7)
    client.force_login(tenant.user)
    assert "If you can smell gas" in client.get("/repairs/report/").content.decode()
    token = start(client)
    steps = [
        ("/repairs/report/where/", {"where": "bathroom"}),
        ("/repairs/report/what/", {"answer": "leaks"}),
        ("/repairs/report/problem/", {"answer": "pipe_leak"}),
        ("/repairs/report/question/can_stop_water/", {"answer": "yes"}),
        (
            "/repairs/report/describe/",
            {"description": "The pipe under the basin drips all the time."},
        ),
        ("/repairs/report/photos/", {"submit": ""}),
        (
            "/repairs/report/access/",
            {"access_notes": "Key safe code 1234", "contact_phone": "07700 900123"},
        ),
    ]
    for index, (url, data) in enumerate(steps):
        page = client.get(url)
        assert page.status_code == 200
        assert "Report a repair" in page.content.decode()
        following = answer(client, url, token, **data)
        expected = steps[index + 1][0] if index + 1 < len(steps) else "/repairs/report/check/"
        assert following == expected

    check = client.get("/repairs/report/check/").content.decode()
    assert "Check your answers before reporting the repair" in check
    for text in [
        "Bathroom or toilet",
        "Leaking pipe, tap or radiator",
        "Can you stop the water?",
        "The pipe under the basin drips all the time.",
        "Key safe code 1234",
        "07700 900123",
        "We will treat this as <strong>urgent</strong>",
    ]:
        assert text in check
    assert 'href="/repairs/report/where/?change=1"' in check

    done = client.post("/repairs/report/check/", {"token": token})
    repair = RepairRequest.objects.get()
    assert done.url == f"/repairs/{repair.case.reference}/reported/"
    confirmation = client.get(done.url).content.decode()
    assert "Repair reported" in confirmation
    assert repair.case.reference in confirmation
    assert "Urgent" in confirmation
    assert "Friday 4 December 2026" in confirmation  # five working days from Friday 27 November
    assert "What happens next" in confirmation
    assert "Choose an appointment" in confirmation
    assert repair.access_notes == "Key safe code 1234"
    assert repair.answers == {"can_stop_water": True}
    assert "repairs:report" not in client.session


def test_sending_the_report_twice_makes_one_repair(client, tenant):
    client.force_login(tenant.user)
    token = start(client)
    for url, data in [
        ("/repairs/report/where/", {"where": "kitchen"}),
        ("/repairs/report/what/", {"answer": "kitchen"}),
        ("/repairs/report/problem/", {"answer": "cupboard"}),
        ("/repairs/report/describe/", {"description": "Hinge broken"}),
        ("/repairs/report/photos/", {"submit": ""}),
        ("/repairs/report/access/", {"contact_phone": "07700 900123"}),
    ]:
        answer(client, url, token, **data)
    first = client.post("/repairs/report/check/", {"token": token})
    second = client.post("/repairs/report/check/", {"token": token})
    assert first.url == second.url
    assert RepairRequest.objects.count() == 1


def test_the_same_token_given_to_the_service_twice_makes_one_repair(tenant):
    token = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    first = report(tenant, token=token)
    second = report(tenant, token=token)
    assert first.pk == second.pk
    assert RepairRequest.objects.count() == 1


def test_answering_yes_to_a_smell_of_gas_raises_an_emergency_at_once_and_gives_the_gas_number(
    client, tenant
):
    client.force_login(tenant.user)
    token = start(client)
    answer(client, "/repairs/report/where/", token, where="whole_home")
    answer(client, "/repairs/report/what/", token, answer="heating")
    assert answer(client, "/repairs/report/problem/", token, answer="no_heating") == (
        "/repairs/report/question/smell_gas/"
    )
    raised = answer(client, "/repairs/report/question/smell_gas/", token, answer="yes")

    repair = RepairRequest.objects.get()
    assert repair.emergency == "gas"
    assert repair.priority.is_emergency
    assert raised == f"/repairs/{repair.case.reference}/reported/"
    page = client.get(raised).content.decode()
    assert "Emergency repair reported" in page
    assert "Leave your home now" in page
    assert "0800 111 999" in page
    assert 'href="tel:0800111999"' in page
    assert "Do not use light switches" in page


def test_no_heating_with_someone_vulnerable_at_home_is_raised_as_an_emergency(client, tenant):
    client.force_login(tenant.user)
    token = start(client)
    answer(client, "/repairs/report/where/", token, where="whole_home")
    answer(client, "/repairs/report/what/", token, answer="heating")
    answer(client, "/repairs/report/problem/", token, answer="no_heating_or_hot_water")
    assert answer(client, "/repairs/report/question/smell_gas/", token, answer="no") == (
        "/repairs/report/question/vulnerable/"
    )
    answer(client, "/repairs/report/question/vulnerable/", token, answer="yes")
    repair = RepairRequest.objects.get()
    assert (repair.emergency, repair.priority.code) == ("no_heat_vulnerable", "emergency")
    assert (
        "Keep everyone warm"
        in client.get(f"/repairs/{repair.case.reference}/reported/").content.decode()
    )


def test_gas_mentioned_in_the_description_raises_a_gas_emergency(client, tenant):
    client.force_login(tenant.user)
    token = start(client)
    answer(client, "/repairs/report/where/", token, where="kitchen")
    answer(client, "/repairs/report/what/", token, answer="kitchen")
    answer(client, "/repairs/report/problem/", token, answer="worktop")
    answer(
        client,
        "/repairs/report/describe/",
        token,
        description="Worktop cracked, and I can smell gas by the cooker",
    )
    repair = RepairRequest.objects.get()
    assert repair.emergency == "gas"


def test_an_unanswered_question_is_an_error_with_a_summary_at_the_top(client, tenant):
    client.force_login(tenant.user)
    token = start(client)
    page = client.post("/repairs/report/where/", {"token": token}).content.decode()
    assert "There is a problem" in page
    assert "Select where the problem is" in page
    assert "<title>Error: Where is the problem?" in page


def test_pages_cannot_be_skipped(client, tenant):
    client.force_login(tenant.user)
    start(client)
    assert client.get("/repairs/report/check/").url == "/repairs/report/where/"
    assert client.get("/repairs/report/question/smell_gas/").url == "/repairs/report/where/"


def test_a_page_without_a_started_report_goes_back_to_the_start(client, tenant):
    client.force_login(tenant.user)
    assert client.get("/repairs/report/what/").url == "/repairs/report/"


def test_changing_where_the_problem_is_forgets_answers_that_no_longer_fit(client, tenant):
    client.force_login(tenant.user)
    token = start(client)
    answer(client, "/repairs/report/where/", token, where="kitchen")
    answer(client, "/repairs/report/what/", token, answer="kitchen")
    answer(client, "/repairs/report/problem/", token, answer="cupboard")
    answer(client, "/repairs/report/describe/", token, description="Hinge")
    answer(client, "/repairs/report/photos/", token, submit="")
    answer(client, "/repairs/report/access/", token, contact_phone="07700 900123")
    # A lift is not in a kitchen: the category and problem must be asked again.
    following = answer(client, "/repairs/report/where/?change=1", token, where="communal_lift")
    assert following == "/repairs/report/what/"
    assert "category" not in client.session["repairs:report"]
    # Changing the description alone goes straight back to the check page.
    answer(client, "/repairs/report/what/", token, answer="lifts")
    answer(client, "/repairs/report/problem/", token, answer="lift_not_working")
    assert answer(
        client, "/repairs/report/describe/?change=1", token, description="Stuck on 3"
    ) == ("/repairs/report/check/")


def test_the_confirmation_is_sent_in_the_residents_preferred_channel(tenant):
    tenant.preferred_channel = "text"
    tenant.save()
    with time_machine.travel(datetime(2026, 11, 27, 15, 0, tzinfo=LONDON), tick=False):
        repair = report(
            tenant,
            location="kitchen",
            category="leaks",
            problem="pipe_leak",
            answers={"can_stop_water": True},
        )
    message = Notification.objects.get(resident=tenant, template="repair_reported")
    assert message.channel == "text"
    assert message.to == tenant.phone
    assert repair.case.reference in message.body
    assert "by the end of Friday 4 December" in message.body


# -- who may report what ------------------------------------------------------------------------------------


def test_a_leaseholder_is_refused_a_repair_inside_their_flat(leaseholder):
    with pytest.raises(services.RepairNotAllowed):
        report(leaseholder, location="kitchen", category="kitchen", problem="kitchen_tap")
    assert not RepairRequest.objects.exists()


def test_a_leaseholder_can_report_a_repair_to_the_shared_areas(leaseholder):
    repair = report(
        leaseholder, location="communal_stairs", category="communal", problem="communal_lights"
    )
    assert repair.is_communal
    assert repair.block == leaseholder.tenancies.get().home.block


def test_a_leaseholder_is_offered_only_shared_areas_and_told_why(client, leaseholder):
    client.force_login(leaseholder.user)
    start_page = client.get("/repairs/report/").content.decode()
    assert "As a leaseholder, you are responsible for repairs inside your home" in start_page
    token = start(client)
    page = client.get("/repairs/report/where/").content.decode()
    assert "Shared stairs, landings or corridors" in page
    assert 'value="kitchen"' not in page
    refused = client.post("/repairs/report/where/", {"token": token, "where": "kitchen"})
    assert refused.status_code == 200
    assert "Select where the problem is" in refused.content.decode()


def test_a_shared_owner_in_a_house_with_no_shared_areas_is_told_why_they_cannot_report(client):
    owner = factories.resident_with_home(tenure=Tenure.SHARED_OWNERSHIP)
    client.force_login(owner.user)
    page = client.get("/repairs/report/").content.decode()
    assert "As a shared owner, you are responsible for repairs inside your home" in page
    assert "Start now" not in page
    assert client.post("/repairs/report/").status_code == 200  # no report is started
    assert "repairs:report" not in client.session


def test_a_resident_cannot_report_a_repair_to_someone_elses_home(tenant):
    other_home = home_in_block()
    resident_in(other_home)
    with pytest.raises(services.RepairNotAllowed):
        services.report_repair(
            resident=tenant,
            home=other_home,
            location="kitchen",
            category="kitchen",
            problem="cupboard",
        )


def test_a_damp_and_mould_report_is_a_repair_with_the_awaab_clocks(tenant):
    repair = report(tenant, location="bedroom", category="damp_mould", problem="mould")
    assert repair.case.kind == CaseKind.REPAIR
    kinds = set(repair.case.deadlines.values_list("kind", flat=True))
    assert kinds == {DeadlineKind.REPAIR_TARGET, DeadlineKind.HAZARD_INVESTIGATION}
