"""The Tenant Satisfaction Measures in a real browser: a manager imports a contractor's responses
(a bad file first, rejected with every problem listed), enters two phone interviews, writes the
summary of approach, reviews and publishes, then corrects an interview and withdraws a duplicate
(the published figures stay, the staff page says the live ones differ); the public page shows the measures, charts and CSV
without signing in; a tenant answers the online survey once and cannot answer twice. axe-core
checks the public pages and the survey."""

from pathlib import Path

import pytest
from django.utils import timezone

from charter.satisfaction import measures
from charter.satisfaction.models import Publication, SurveyResponse
from tests import factories
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    demo_home,
    demo_manager,
    demo_tenant,
    follow,
    millbrook,
)
from tests.satisfaction.factories import InvitationFactory, SurveyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = (
    "respondent,tenure,collected_on,method,had_repair,made_complaint,has_communal,"
    "TP01,TP02,TP03,TP04,TP05,TP06,TP07,TP08,TP09,TP10,TP11,TP12"
)


def contractor_file(year: int, *, bad: bool = False) -> bytes:
    day = f"{year}-05-12"
    lines = [HEADER]
    answers = ["very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied"]
    for n in range(12):
        a = answers[n % 4]
        lines.append(
            f"C-{n:03d},LCRA,{day},phone,yes,no,yes,{a},{a},{a},{a},{a},{a},{a},agree,,{a},{a},dont_know"
        )
    for n in range(4):
        lines.append(
            f"S-{n:03d},LCHO,{day},online,,,,fairly_satisfied,,,neither,neither,neither,neither,agree,,,,"
        )
    if bad:
        lines.append(f"C-001,LCRA,{day},phone,no,no,no,neither,very_satisfied,,,,,,,,,,")
        lines.append(f"C-099,LCRA,{year - 1}-05-12,carrier_pigeon,,,,neither,,,,,,,,,,,")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def people():
    from portal.models import Tenure

    millbrook()
    manager = demo_manager()
    year = measures.year_of(timezone.localdate())
    survey = SurveyFactory(
        year=year,
        opens_on=measures.year_bounds(year)[0],
        closes_on=measures.year_bounds(year)[1],
        timing="",
        collection_methods="",
        sample_method="",
        representativeness="",
    )
    home = demo_home()
    tenant = demo_tenant(home)
    InvitationFactory(survey=survey, resident=tenant, home=home)
    interviewed = []
    for reference, name in (("T-200001", "Grace Okafor"), ("T-200002", "Tom Reilly")):
        first, last = name.split()
        resident = factories.ResidentFactory(first_name=first, last_name=last)
        factories.TenancyFactory(
            reference=reference,
            home=factories.HomeFactory(tenure=Tenure.SOCIAL_RENT),
            residents=[resident],
        )
        interviewed.append(reference)
    for _ in range(40):
        factories.HomeFactory(tenure=Tenure.SOCIAL_RENT)
    for _ in range(10):
        factories.HomeFactory(tenure=Tenure.SHARED_OWNERSHIP)
    return {"year": year, "manager": manager, "tenant": tenant, "interviewed": interviewed}


def choose(page, name, position=1):
    """Tick the answer at `position` (1 is the first) of question `name` (tp01, had_repair...)."""
    page.check(f"#id_{name}" if position == 1 else f"#id_{name}_{position}")


def test_a_manager_imports_interviews_and_publishes_and_a_tenant_answers_once(
    open_tab, site, people, screenshots
):
    year, label = people["year"], measures.year_label(people["year"])
    page = open_tab("manager@example.com")

    # A file with problems is rejected whole, every problem listed by line.
    page.goto(f"{site}/staff/satisfaction/{year}/import/")
    page.set_input_files(
        "input[name=file]",
        files=[
            {"name": "wave1.csv", "mimeType": "text/csv", "buffer": contractor_file(year, bad=True)}
        ],
    )
    follow(page.get_by_role("button", name="Check and import the file"))
    problems = page.locator("#problems").inner_text()
    assert "Line 18: respondent C-001 is also on line 3" in problems
    assert "Line 18: TP02 is answered but had_repair is no" in problems
    assert "Line 19: collected_on" in problems and "carrier_pigeon" in problems
    assert page.locator(".govuk-error-summary").is_visible()
    screenshots(page, "import_rejected")
    assert not SurveyResponse.objects.exists()

    # The corrected file goes in.
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "wave1.csv", "mimeType": "text/csv", "buffer": contractor_file(year)}],
    )
    follow(page.get_by_role("button", name="Check and import the file"))
    assert (
        "Imported 16 responses from wave1.csv (12 social rent, 4 shared ownership)"
        in page.content()
    )

    # Two phone interviews, found by tenancy reference.
    for position, reference in enumerate(people["interviewed"], start=1):
        page.goto(f"{site}/staff/satisfaction/{year}/interviews/")
        page.fill("input[name=household]", reference)
        follow(page.get_by_role("button", name="Find the household"))
        page.check("#id_interview-method_1")
        today = timezone.localdate()
        page.fill("input[name=interview-collected_on_0]", str(today.day))
        page.fill("input[name=interview-collected_on_1]", str(today.month))
        page.fill("input[name=interview-collected_on_2]", str(today.year))
        choose(page, "tp01", position)
        choose(page, "had_repair", 1)
        choose(page, "tp02", 2)
        choose(page, "tp03", 3)
        for name in ("tp04", "tp05", "tp06", "tp07", "tp08", "tp11"):
            choose(page, name, 2)
        choose(page, "tp12", 6)  # an unprompted don't know
        choose(page, "made_complaint", 2)
        choose(page, "has_communal", 2)
        if position == 1:
            screenshots(page, "interview")
        follow(page.get_by_role("button", name="Save the answers"))
        assert "are recorded" in page.content()
    assert SurveyResponse.objects.filter(source="staff", method="phone").count() == 2

    # The summary of approach, then review and publish.
    page.goto(f"{site}/staff/satisfaction/{year}/")
    screenshots(page, "staff_year")
    page.goto(f"{site}/staff/satisfaction/{year}/publish/")
    follow(page.get_by_role("button", name="Publish the measures"))
    assert "Write the summary of approach first" in page.content()
    page.goto(f"{site}/staff/satisfaction/{year}/approach/")
    page.fill("textarea[name=timing]", "May to November")
    page.fill("textarea[name=collection_methods]", "Phone interviews by our contractor and online")
    page.fill("textarea[name=sample_method]", "A random sample of each tenure")
    page.fill("textarea[name=representativeness]", "Checked against area and age")
    page.fill("textarea[name=weighting]", "None")
    page.get_by_role("button", name="Save the summary of approach").click()
    page.goto(f"{site}/staff/satisfaction/{year}/publish/")
    screenshots(page, "publish")
    follow(page.get_by_role("button", name="Publish the measures"))
    publication_figures = Publication.objects.get(year=year, revision=1).figures
    assert Publication.objects.filter(year=year, revision=1).exists()

    # After publishing: the second interview's TP01 was keyed wrongly, and a contractor's line is
    # a duplicate household. The published figures stay; the year's page says the live ones differ.
    keyed = SurveyResponse.objects.filter(source="staff").order_by("pk").last()
    page.goto(f"{site}/staff/satisfaction/{year}/responses/")
    follow(page.get_by_role("link", name=f"View the response from {keyed.home.short_address}"))
    assert_accessible(page)
    follow(page.get_by_role("link", name="Correct the answers"))
    assert page.locator("#id_tp01_2").is_checked()
    choose(page, "tp01", 3)
    follow(page.get_by_role("button", name="Save the correction"))
    assert "Say why the answers are being corrected" in page.content()
    assert page.locator("#id_tp01_3").is_checked()  # nothing chosen is lost
    assert_accessible(page)
    page.fill(
        "textarea[name=correction-reason]", "TP01 keyed as fairly satisfied; she said neither"
    )
    follow(page.get_by_role("button", name="Save the correction"))
    assert "The correction is saved" in page.content()
    assert "she said neither" in page.content()
    screenshots(page, "response_corrected")
    page.goto(f"{site}/staff/satisfaction/{year}/responses/")
    page.get_by_role("link", name="View the response from C-000").click()
    page.get_by_role("link", name="Withdraw the response").click()
    page.fill("textarea[name=reason]", "Duplicate of the phone interview with the same household")
    screenshots(page, "withdraw")
    follow(page.get_by_role("button", name="Withdraw the response"))
    assert "The response is withdrawn" in page.content()
    assert_accessible(page)
    page.goto(f"{site}/staff/satisfaction/{year}/")
    assert "The live figures differ from the published ones (revision 1)" in page.content()
    screenshots(page, "staff_year_differs")
    assert Publication.objects.get(year=year, revision=1).figures == publication_figures

    # The public page, signed out: every measure, a chart with a table, the CSV.
    page = open_tab()
    page.goto(f"{site}/satisfaction/")
    assert_accessible(page)
    follow(page.get_by_role("link", name=label))
    assert page.get_by_role("heading", name=f"Tenant satisfaction measures {label}").is_visible()
    # 12 LCRA answers (3 very, 3 fairly, 3 neither, 3 fairly dissatisfied) and 2 interviews (very, fairly): 8 of 14.
    overall = page.locator("#measure-TP01").locator("xpath=..")
    assert "57.1%" in overall.inner_text() and "14 valid responses" in overall.inner_text()
    assert page.locator("svg.ds-chart__image").count() >= 22
    assert page.locator("svg.ds-chart__image title").first.text_content().startswith("BS01")
    assert_accessible(page)
    screenshots(page, "public_year")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these measures (CSV)").click()
    text = Path(download.value.path()).read_text()
    assert "TP01,Overall satisfaction,,LCRA,57.1,%,14" in text

    # The tenant answers once; a second visit is told the household has answered.
    page = open_tab("tenant@example.com", PHONE)
    page.goto(f"{site}/satisfaction/survey/")
    assert_accessible(page)
    follow(page.get_by_role("button", name="Send my answers"))
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Answer the first question" in page.content()
    assert_accessible(page)
    choose(page, "tp01", 1)
    choose(page, "had_repair", 1)
    assert page.locator("#id_tp02").is_visible()
    choose(page, "tp02", 1)
    choose(page, "had_repair", 2)  # no after all: TP02 is hidden and not kept
    assert not page.locator("#id_tp02").is_visible()
    choose(page, "tp08", 2)
    screenshots(page, "survey")
    follow(page.get_by_role("button", name="Send my answers"))
    assert page.get_by_role("heading", name="Thank you for your answers").is_visible()
    answer = SurveyResponse.objects.get(resident=people["tenant"])
    assert (answer.tp01, answer.tp02, answer.tp08, answer.method) == (
        "very_satisfied",
        "",
        "agree",
        "online",
    )
    page.goto(f"{site}/satisfaction/survey/")
    assert page.get_by_role(
        "heading", name=f"Your household has already answered the {label} survey"
    ).is_visible()
    assert_accessible(page)
    assert SurveyResponse.objects.filter(resident=people["tenant"]).count() == 1
