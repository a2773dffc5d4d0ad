"""Publishing a year: a manager freezes the 22 measures with the summary of approach; later data
does not change what was published; a correction is a new revision with a note, and both stay
visible. The public pages need no sign-in and show every measure with a chart, a table and a CSV."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from charter.satisfaction import selectors, services
from charter.satisfaction.models import Publication, PublicationChanged
from portal.models import OfficerRole
from portal.workdays import LONDON
from tests import factories
from tests.satisfaction.factories import SurveyFactory, responses

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_2026(time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 10, 10, 0, tzinfo=LONDON), tick=False)


@pytest.fixture
def manager():
    return factories.OfficerFactory(role=OfficerRole.MANAGER, patch=None)


@pytest.fixture
def year_with_answers():
    SurveyFactory(year=2025)
    responses(2, tp01="very_satisfied")
    responses(1, tp01="very_dissatisfied")
    return 2025


def rows_for(rows, code, tenure="LCRA"):
    return [row for row in rows if row["code"] == code and row["tenure"] == tenure]


def test_publishing_freezes_all_22_measures(manager, year_with_answers):
    publication = services.publish_year(year=2025, officer=manager)
    assert publication.revision == 1
    codes = {row["code"] for row in publication.figures}
    assert len(codes) == 22
    tp01 = rows_for(publication.figures, "TP01")[0]
    assert (tp01["value"], tp01["valid"]) == ("66.7", 3)
    assert rows_for(publication.figures, "TP02", "LCHO") == []
    assert publication.approach["responses"] == 3
    assert publication.approach["sample_method"] == "A random sample of each tenure"


def test_later_answers_do_not_change_a_published_year(manager, year_with_answers):
    services.publish_year(year=2025, officer=manager)
    responses(5, tp01="very_dissatisfied")
    measures = selectors.published_measures(2025)
    tp01 = [m for m in measures if m["code"] == "TP01" and m["tenure"] == "LCRA"][0]
    assert tp01["percent"] == Decimal("66.7") and tp01["valid"] == 3


def test_a_published_year_cannot_be_edited_only_revised_with_a_note(manager, year_with_answers):
    first = services.publish_year(year=2025, officer=manager)
    with pytest.raises(services.SurveyError, match="already published and cannot be changed"):
        services.publish_year(year=2025, officer=manager)
    first.note = "sneaky"
    with pytest.raises(PublicationChanged):
        first.save()
    with pytest.raises(PublicationChanged):
        Publication.objects.filter(pk=first.pk).update(note="sneaky")
    with pytest.raises(PublicationChanged):
        first.delete()

    responses(1, tp01="fairly_satisfied")
    second = services.publish_year(
        year=2025, officer=manager, note="A late batch of phone interviews added"
    )
    assert second.revision == 2
    first.refresh_from_db()
    assert rows_for(first.figures, "TP01")[0]["value"] == "66.7"
    assert rows_for(second.figures, "TP01")[0]["value"] == "75.0"
    assert selectors.published_measures(2025)[0]["code"] == "BS01"
    assert [m for m in selectors.published_measures(2025) if m["code"] == "TP01"][0][
        "percent"
    ] == Decimal("75.0")


def test_only_managers_publish(year_with_answers):
    officer = factories.OfficerFactory()
    with pytest.raises(services.SurveyError, match="Only a manager"):
        services.publish_year(year=2025, officer=officer)


def test_publishing_needs_the_summary_of_approach(manager):
    SurveyFactory(year=2025, representativeness="")
    with pytest.raises(services.SurveyError, match="summary of approach first: representativeness"):
        services.publish_year(year=2025, officer=manager)


def test_an_unpublished_year_has_no_published_measures():
    assert selectors.published_measures(2025) is None


def test_the_public_page_shows_every_measure_chart_table_and_revisions(
    client, manager, year_with_answers
):
    services.publish_year(year=2025, officer=manager)
    services.publish_year(
        year=2025, officer=manager, note="Corrected TP01 after a duplicate was removed"
    )
    page = client.get(reverse("satisfaction:year", args=[2025]))
    html = page.content.decode()
    assert page.status_code == 200
    for code in ("TP01", "TP12", "BS01", "BS05", "CH01", "CH02", "NM01", "RP01", "RP02"):
        assert f'id="measure-{code}"' in html
    assert (
        "Proportion of respondents who report that they are satisfied with the overall service"
        in html
    )
    assert '<svg class="ds-chart__image"' in html and '<desc id="chart-tp01-' in html
    assert "66.7" in html and "3 valid responses" in html
    assert "Corrected TP01 after a duplicate was removed" in html
    assert reverse("satisfaction:revision", args=[2025, 1]) in html
    earlier = client.get(reverse("satisfaction:revision", args=[2025, 1])).content.decode()
    assert "replaced by a later revision" in earlier
    listing = client.get(reverse("satisfaction:index")).content.decode()
    assert "2025/26" in listing


def test_the_csv_has_every_measure_line(client, manager, year_with_answers):
    services.publish_year(year=2025, officer=manager)
    response = client.get(reverse("satisfaction:year_csv", args=[2025]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    tp01 = [r for r in rows if r["code"] == "TP01" and r["tenure"] == "LCRA"][0]
    assert (tp01["value"], tp01["base"], tp01["year"]) == ("66.7", "3", "2025/26")
    assert len({r["code"] for r in rows}) == 22


def test_an_unpublished_year_is_not_found(client):
    assert client.get(reverse("satisfaction:year", args=[2025])).status_code == 404


def test_the_public_page_query_count_does_not_grow_with_years(
    client, manager, django_assert_max_num_queries
):
    for year in (2023, 2024, 2025):
        SurveyFactory(year=year)
        responses(3, year=year)
        services.publish_year(year=year, officer=manager)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("satisfaction:year", args=[2025])).status_code == 200


def test_the_staff_review_page_query_count_does_not_grow_with_responses(
    client, manager, year_with_answers, django_assert_max_num_queries
):
    client.force_login(manager.user)
    url = reverse("satisfaction_staff:year", args=[2025])
    client.get(url)
    responses(40, tp01="neither", tenure="LCHO")
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("satisfaction_staff:publish", args=[2025])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("satisfaction_staff:responses", args=[2025])).status_code == 200


def test_a_manager_publishes_from_the_staff_pages(client, manager, year_with_answers):
    client.force_login(manager.user)
    response = client.post(reverse("satisfaction_staff:publish", args=[2025]), {})
    assert response.status_code == 302 and Publication.objects.count() == 1
    again = client.post(reverse("satisfaction_staff:publish", args=[2025]), {}).content.decode()
    assert "Say what this revision corrects" in again
    assert Publication.objects.count() == 1


def test_officers_cannot_publish(client, year_with_answers):
    officer = factories.OfficerFactory()
    client.force_login(officer.user)
    assert client.post(reverse("satisfaction_staff:publish", args=[2025]), {}).status_code == 403
