"""List pages cost the same number of queries however many complaints there are."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from complaints import services
from complaints.models import Outcome
from portal.models import OfficerRole
from tests import factories
from tests.complaints.builders import acknowledge_at, at, make_complaint_at, respond_at, tenant_in

pytestmark = pytest.mark.django_db


def add_complaints(resident, officer, how_many):
    for n in range(how_many):
        complaint = make_complaint_at(at(2026, 11, 2, 9, n), resident)
        acknowledge_at(at(2026, 11, 3, 9, n), complaint, officer)
        respond_at(
            at(2026, 11, 4, 9, n),
            complaint,
            officer,
            decisions=(Outcome.UPHELD,),
            actions=[(f"Action {n}", date(2026, 12, 1))],
        )
        complaint.refresh_from_db()
        services.record_learning(
            complaint=complaint, officer=officer, category="repairs", root_cause="delay", learning="Learned"
        )
        services.create_learning_entry(
            complaint=complaint, officer=officer, you_said=f"You said {n}", we_did=f"We did {n}"
        )
    from complaints.models import LearningEntry

    LearningEntry.objects.update(published=True, published_at=at(2026, 11, 5))


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/complaints/",
        "/staff/complaints/",
        "/staff/complaints/actions/",
        "/staff/complaints/learning/",
        "/complaints/you-said-we-did/",
        "/staff/complaints/report/?year=2026",
    ],
)
def test_a_list_page_costs_the_same_queries_for_two_complaints_as_for_eight(url, patch, handler, tenant):
    manager = factories.OfficerFactory(role=OfficerRole.MANAGER, patch=None)
    client = Client()
    client.force_login((tenant if not url.startswith("/staff/") else manager).user)
    add_complaints(tenant, handler, 2)
    queries_for(client, url)  # warm the caches (the landlord's settings) first
    few = queries_for(client, url)
    add_complaints(tenant, handler, 6)
    other = tenant_in(patch)
    add_complaints(other, handler, 1)
    many = queries_for(client, url)
    assert many == few


def test_the_resident_complaint_page_costs_a_bounded_number_of_queries(tenant, handler, django_assert_max_num_queries):
    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    acknowledge_at(at(2026, 11, 3), complaint, handler)
    respond_at(
        at(2026, 11, 4),
        complaint,
        handler,
        decisions=(Outcome.UPHELD, Outcome.NOT_UPHELD),
        actions=[("One", date(2026, 12, 1)), ("Two", date(2026, 12, 2))],
    )
    client = Client()
    client.force_login(tenant.user)
    with django_assert_max_num_queries(20):
        assert client.get(f"/complaints/{complaint.reference}/").status_code == 200
