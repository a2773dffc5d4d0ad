"""The results of a closed vote, drawn as the shared bar chart beside the table of the same
figures."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.urls import reverse

from engagement.plans import services
from engagement.plans.models import NeighbourhoodPlan
from engagement.plans.views import results_chart
from tests.plans import factories


def test_the_bars_are_in_proportion_to_the_most_points_and_say_their_points():
    rows = [
        SimpleNamespace(title="Anti-social behaviour", points=6),
        SimpleNamespace(title="Safety", points=3),
        SimpleNamespace(title="Cleanliness", points=1),
        SimpleNamespace(title="Community spaces", points=0),
    ]
    chart = results_chart(rows)
    most, half, one = chart.rects  # no bar for no points
    assert most.width == pytest.approx(half.width * 2, abs=0.1)
    assert most.width == pytest.approx(one.width * 6, abs=0.5)
    words = [shape.text for shape in chart.shapes if shape.kind == "text"]
    assert words == [
        "Anti-social behaviour",
        "6 points",
        "Safety",
        "3 points",
        "Cleanliness",
        "1 point",
        "Community spaces",
        "0 points",
    ]
    assert chart.summary == (
        "Anti-social behaviour: 6 points; Safety: 3 points; Cleanliness: 1 point; "
        "Community spaces: 0 points. The same figures are in the table."
    )


@pytest.mark.django_db
def test_a_closed_plan_shows_the_chart_and_the_table(client, patch):
    plan, (safety, clean, asb, spaces) = factories.plan_with_priorities(neighbourhood=patch)
    services.cast_ballot(
        plan=plan, resident=factories.resident_in(patch), priority_ids=[asb.pk, clean.pk]
    )
    today = factories.today()
    NeighbourhoodPlan.objects.filter(pk=plan.pk).update(
        voting_opens_on=today - dt.timedelta(days=60),
        voting_closes_on=today - dt.timedelta(days=30),
    )
    html = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    chart = html[html.index('<figure class="ds-chart') : html.index("</figure>")]
    assert 'role="img" aria-labelledby="results-chart-title results-chart-desc"' in chart
    assert ">Points for each priority, most first</title>" in chart
    assert "Anti-social behaviour: 3 points; Cleanliness: 2 points; Safety: 0 points" in chart
    assert ">3 points</text>" in chart
    assert '<th scope="row" class="govuk-table__header">Anti-social behaviour</th>' in html
