"""After the repair: one question, five points and a comment, once per repair, kept for the
charter's measures."""

from datetime import date, datetime

import pytest
import time_machine

from portal.models import Notification
from portal.workdays import LONDON
from repairs import services
from repairs.models import RepairSatisfaction, SatisfactionScore
from repairs.selectors import repair_satisfaction
from tests.repairs.conftest import home_in_block, report, resident_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(tenant, repairs_officer):
    repair = report(tenant)
    services.complete_repair(repair=repair, officer=repairs_officer, note="Tap replaced.")
    return repair


def test_the_question_is_sent_in_the_residents_channel_with_a_link(finished, tenant):
    message = Notification.objects.get(template="repair_satisfaction", resident=tenant)
    assert "How satisfied are you with this repair?" in message.body
    assert f"/repairs/{finished.case.reference}/satisfaction/" in message.body


def test_the_resident_answers_once_on_the_repair_page(client, finished, tenant):
    client.force_login(tenant.user)
    page = client.get(f"/repairs/{finished.case.reference}/satisfaction/").content.decode()
    for point in [
        "Very satisfied",
        "Fairly satisfied",
        "Neither satisfied nor dissatisfied",
        "Fairly dissatisfied",
        "Very dissatisfied",
    ]:
        assert point in page
    client.post(
        f"/repairs/{finished.case.reference}/satisfaction/",
        {"score": "4", "comment": "Quick and tidy"},
    )
    answer = RepairSatisfaction.objects.get()
    assert (answer.score, answer.comment, answer.resident) == (
        SatisfactionScore.FAIRLY_SATISFIED,
        "Quick and tidy",
        tenant,
    )
    # Asked again: the page goes back to the repair, and a second answer is refused.
    assert client.get(f"/repairs/{finished.case.reference}/satisfaction/").status_code == 302
    client.post(f"/repairs/{finished.case.reference}/satisfaction/", {"score": "1"})
    assert RepairSatisfaction.objects.get().score == 4
    with pytest.raises(services.RepairError):
        services.answer_satisfaction(repair=finished, resident=tenant, score=1)
    assert (
        "You told us you were fairly satisfied"
        in client.get(f"/repairs/{finished.case.reference}/").content.decode()
    )


def test_an_answer_is_required(client, finished, tenant):
    client.force_login(tenant.user)
    page = client.post(f"/repairs/{finished.case.reference}/satisfaction/", {}).content.decode()
    assert "Select how satisfied you are with this repair" in page


def test_the_question_is_not_asked_before_the_repair_is_complete(client, tenant):
    repair = report(tenant)
    with pytest.raises(services.RepairError):
        services.answer_satisfaction(repair=repair, resident=tenant, score=5)
    client.force_login(tenant.user)
    assert (
        client.get(f"/repairs/{repair.case.reference}/satisfaction/").url
        == f"/repairs/{repair.case.reference}/"
    )


def test_only_the_resident_who_reported_it_can_answer(client, finished):
    neighbour = resident_in(home_in_block())
    with pytest.raises(services.RepairError):
        services.answer_satisfaction(repair=finished, resident=neighbour, score=5)
    client.force_login(neighbour.user)
    assert (
        client.post(f"/repairs/{finished.case.reference}/satisfaction/", {"score": "5"}).status_code
        == 404
    )


def test_the_answers_are_summed_up_for_the_charter_measures(tenant, repairs_officer):
    for score in [5, 4, 3, 1]:
        repair = report(tenant)
        services.complete_repair(repair=repair, officer=repairs_officer)
        with time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=LONDON), tick=False):
            services.answer_satisfaction(repair=repair, resident=tenant, score=score)
    summary = repair_satisfaction(start=date(2026, 4, 1), end=date(2027, 4, 1))
    assert summary["responses"] == 4
    assert summary["satisfied"] == 2
    assert summary["share_satisfied"] == 50.0
    assert summary["by_score"]["Neither satisfied nor dissatisfied"] == 1
