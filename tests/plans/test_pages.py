"""The pages: who sees what, forms that keep what was typed, and query counts that do not grow."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from engagement.plans import services
from engagement.plans.models import ActionStatus, ApplicationStatus, ProjectApplication
from portal.models import AuditEntry
from tests import factories as core
from tests.plans import factories
from tests.plans.conftest import make_panel_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(tenant, fund):
    return factories.ApplicationFactory(
        fund=fund, applicant=tenant, group_name="Friends of Hollybank", applying_as="group"
    )


def text(response):
    return response.content.decode()


# -- residents see only their own application's private details --------------------------------------


def test_the_applicant_sees_their_application_and_its_decision(client, tenant, application):
    application.status = ApplicationStatus.DECLINED
    application.decision_reasons = "The land is due to be built on next year."
    application.decided_at = application.submitted_at
    application.save()
    client.force_login(tenant.user)
    page = text(client.get(reverse("plans:application", args=[application.reference])))
    assert "Hollybank community garden" in page
    assert "The land is due to be built on next year." in page


def test_another_resident_cannot_open_someone_elses_application(client, neighbour, application):
    client.force_login(neighbour.user)
    assert client.get(reverse("plans:application", args=[application.reference])).status_code == 404
    assert client.get(reverse("plans:post_update", args=[application.reference])).status_code == 404
    assert (
        client.get(reverse("plans:applications")).content.decode().count(application.reference) == 0
    )


def test_the_public_project_page_shows_the_project_but_not_who_applied(
    client, tenant, neighbour, application
):
    client.force_login(neighbour.user)
    page = text(client.get(reverse("plans:project", args=[application.reference])))
    assert "Hollybank community garden" in page
    assert "Friends of Hollybank" in page
    assert tenant.last_name not in page
    assert tenant.email not in page
    assert "Add your support" in page
    assert f'action="{reverse("plans:support", args=[application.reference])}"' in page


def test_a_declined_application_is_not_public(client, application):
    application.status = ApplicationStatus.DECLINED
    application.save()
    assert client.get(reverse("plans:project", args=[application.reference])).status_code == 404


def test_a_resident_supports_a_project_from_its_page(client, neighbour, application):
    client.force_login(neighbour.user)
    response = client.post(
        reverse("plans:support", args=[application.reference]), {"comment": "Yes please"}
    )
    assert response.status_code == 302
    assert application.supporters.get().resident == neighbour
    assert "You support this project" in text(
        client.get(reverse("plans:project", args=[application.reference]))
    )


# -- applying --------------------------------------------------------------------------------------------------


def application_form(**fields):
    return {
        "applying_as": "resident",
        "group_name": "",
        "title": "Mill Lane planters",
        "what": "Six planters",
        "where": "Outside Ash House",
        "who_benefits": "Everyone",
        "cost": "£1,250.50",
        "cost_breakdown": "",
        "submission_token": str(uuid.uuid4()),
    } | fields


def test_a_double_submitted_application_makes_one(client, tenant, fund):
    client.force_login(tenant.user)
    data = application_form()
    first = client.post(reverse("plans:apply"), data)
    second = client.post(reverse("plans:apply"), data)
    assert first.status_code == second.status_code == 302
    application = ProjectApplication.objects.get()
    assert application.cost_pence == 125_050
    assert second["Location"] == reverse("plans:application", args=[application.reference])


def test_a_bad_application_shows_errors_and_keeps_what_was_typed(client, tenant, fund):
    client.force_login(tenant.user)
    response = client.post(
        reverse("plans:apply"),
        application_form(applying_as="group", cost="lots", what="Six planters and bulbs"),
    )
    page = text(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the name of your group" in page
    assert "Enter how much you are asking for in pounds" in page
    assert "Six planters and bulbs" in page
    assert not ProjectApplication.objects.exists()


def test_applying_is_closed_outside_the_funds_dates(client, tenant):
    factories.fund_with_criteria(
        opens_on=factories.today() + dt.timedelta(days=3),
        closes_on=factories.today() + dt.timedelta(days=30),
    )
    client.force_login(tenant.user)
    assert "not taking applications" in text(client.get(reverse("plans:apply")))


# -- assessors -------------------------------------------------------------------------------------------------


def test_only_panel_members_reach_the_assessment_pages(client, neighbour, application):
    client.force_login(neighbour.user)
    assert client.get(reverse("plans:assess_list")).status_code == 403
    assert client.get(reverse("plans:assess", args=[application.reference])).status_code == 403
    make_panel_member(neighbour)
    assert client.get(reverse("plans:assess_list")).status_code == 200
    page = text(client.get(reverse("plans:assess", args=[application.reference])))
    assert "Benefits the community" in page
    assert application.applicant.last_name not in page  # assessors do not see who applied
    criteria = list(application.fund.criteria.all())
    data = {f"criterion_{c.pk}": "4" for c in criteria}
    assert (
        client.post(reverse("plans:assess", args=[application.reference]), data).status_code == 302
    )
    assert application.assessments.get().resident == neighbour


def test_a_panel_member_does_not_assess_their_own_application(client, tenant, application):
    make_panel_member(tenant)
    client.force_login(tenant.user)
    assert client.get(reverse("plans:assess", args=[application.reference])).status_code == 404


# -- staff -----------------------------------------------------------------------------------------------------


def test_staff_pages_need_a_staff_account(client, tenant, application):
    client.force_login(tenant.user)
    assert client.get(reverse("plans_staff:plans")).status_code == 403
    assert (
        client.get(reverse("plans_staff:application", args=[application.reference])).status_code
        == 403
    )


def test_an_officer_scores_and_approves_and_the_view_is_audited(client, application):
    officer = core.OfficerFactory()
    client.force_login(officer.user)
    url = reverse("plans_staff:application", args=[application.reference])
    assert application.applicant.full_name in text(client.get(url))
    assert AuditEntry.objects.filter(
        actor=officer.user, action="view", resident=application.applicant
    ).exists()
    data = {f"criterion_{c.pk}": "5" for c in application.fund.criteria.all()}
    assert (
        client.post(reverse("plans_staff:score", args=[application.reference]), data).status_code
        == 302
    )
    response = client.post(
        reverse("plans_staff:decide", args=[application.reference]),
        {"decision": "approve", "amount": "900", "reasons": "Strong support from neighbours."},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.awarded_pence) == (ApplicationStatus.APPROVED, 90_000)


def test_an_award_over_budget_shows_as_an_error_on_the_decision_form(client, tenant):
    fund = factories.fund_with_criteria(budget_pence=100_000, max_award_pence=100_000)
    application = factories.ApplicationFactory(fund=fund, applicant=tenant, cost_pence=100_000)
    factories.ApplicationFactory(
        fund=fund,
        applicant=tenant,
        cost_pence=80_000,
        awarded_pence=80_000,
        status=ApplicationStatus.APPROVED,
    )
    officer = core.OfficerFactory()
    services.score_application(
        application=application, officer=officer, scores={c.pk: 3 for c in fund.criteria.all()}
    )
    client.force_login(officer.user)
    response = client.post(
        reverse("plans_staff:decide", args=[application.reference]),
        {"decision": "approve", "amount": "500", "reasons": "Good"},
    )
    assert response.status_code == 200
    assert "The fund has only £200 left" in text(response)


def test_only_a_manager_publishes_a_plan_or_sets_up_a_fund(client, patch, manager):
    plan, _ = factories.plan_with_priorities(neighbourhood=patch, published_at=None)
    officer = core.OfficerFactory(patch=patch)
    client.force_login(officer.user)
    client.post(reverse("plans_staff:publish_plan", args=[plan.pk]))
    plan.refresh_from_db()
    assert not plan.is_published
    assert client.get(reverse("plans_staff:new_fund")).status_code == 403
    client.force_login(manager.user)
    client.post(reverse("plans_staff:publish_plan", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.is_published


def test_an_officer_drafts_a_plan_with_the_usual_priorities(client, patch):
    officer = core.OfficerFactory(patch=patch)
    client.force_login(officer.user)
    today = factories.today()
    response = client.post(
        reverse("plans_staff:new_plan"),
        {
            "neighbourhood": patch.pk,
            "title": "Northgate plan",
            "voting_opens_on_0": today.day,
            "voting_opens_on_1": today.month,
            "voting_opens_on_2": today.year,
            "voting_closes_on_0": today.day,
            "voting_closes_on_1": today.month,
            "voting_closes_on_2": today.year + 1,
            "themes": ["safety", "cleanliness", "asb", "community_spaces"],
            "other_priorities": "Better lighting on Canal Walk",
        },
    )
    assert response.status_code == 302, text(response)
    plan = patch.plans.get()
    assert [p.title for p in plan.priorities.all()] == [
        "Safety",
        "Cleanliness",
        "Anti-social behaviour",
        "Community spaces",
        "Better lighting on Canal Walk",
    ]


def test_actions_and_progress_appear_on_the_neighbourhood_page(client, patch, tenant):
    plan, (safety, *_) = factories.plan_with_priorities(
        neighbourhood=patch,
        voting_opens_on=factories.today() - dt.timedelta(days=60),
        voting_closes_on=factories.today() - dt.timedelta(days=30),
    )
    officer = core.OfficerFactory(patch=patch, name="Priya Shah")
    action = services.add_action(
        plan=plan,
        officer=officer,
        priority=safety,
        title="New lights on Canal Walk",
        owner=officer,
        partner="Millbrook Council",
        due_on=factories.today() + dt.timedelta(days=30),
    )
    services.record_action_progress(
        action=action, officer=officer, body="Six lamps fitted.", status=ActionStatus.DONE
    )
    page = text(client.get(reverse("plans:neighbourhood", args=[patch.pk])))
    assert "New lights on Canal Walk" in page
    assert "Priya Shah, with Millbrook Council" in page
    assert "Six lamps fitted." in page
    assert "1 of 1 action done" in page


def test_actions_wait_until_voting_has_closed(patch):
    plan, (safety, *_) = factories.plan_with_priorities(neighbourhood=patch)
    officer = core.OfficerFactory(patch=patch)
    with pytest.raises(services.PlanError, match="once voting has closed"):
        services.add_action(
            plan=plan,
            officer=officer,
            priority=safety,
            title="X",
            owner=officer,
            due_on=factories.today(),
        )


# -- pages do not grow with data -----------------------------------------------------------------------------


def test_the_public_plan_page_does_not_grow_with_actions(
    client, patch, django_assert_max_num_queries
):
    plan, priorities = factories.plan_with_priorities(
        neighbourhood=patch,
        voting_opens_on=factories.today() - dt.timedelta(days=60),
        voting_closes_on=factories.today() - dt.timedelta(days=30),
    )
    officer = core.OfficerFactory(patch=patch)
    for i in range(12):
        action = services.add_action(
            plan=plan,
            officer=officer,
            priority=priorities[i % 4],
            title=f"A{i}",
            owner=officer,
            due_on=factories.today(),
        )
        services.record_action_progress(
            action=action, officer=officer, body="Going", status="in_progress"
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("plans:plan", args=[plan.pk])).status_code == 200


def test_the_staff_fund_page_does_not_grow_with_applications(
    client, fund, patch, django_assert_max_num_queries
):
    for _ in range(15):
        factories.ApplicationFactory(fund=fund, applicant=factories.resident_in(patch))
    client.force_login(core.OfficerFactory().user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("plans_staff:fund")).status_code == 200


def test_the_public_projects_list_does_not_grow(client, fund, patch, django_assert_max_num_queries):
    for _ in range(15):
        factories.ApplicationFactory(fund=fund, applicant=factories.resident_in(patch))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("plans:projects")).status_code == 200


def test_panel_members_are_pointed_to_assessing_from_the_fund_page(client, neighbour, fund):
    client.force_login(neighbour.user)
    assert "Assess applications waiting for a decision" not in text(
        client.get(reverse("plans:fund"))
    )
    make_panel_member(neighbour)
    assert "Assess applications waiting for a decision" in text(client.get(reverse("plans:fund")))


def closed_plan(patch):
    return factories.plan_with_priorities(
        neighbourhood=patch,
        voting_opens_on=factories.today() - dt.timedelta(days=60),
        voting_closes_on=factories.today() - dt.timedelta(days=30),
    )


def test_double_submitted_staff_forms_make_one_plan_one_action_and_one_update(client, patch):
    from engagement.plans.models import ActionUpdate, NeighbourhoodPlan, PlanAction

    officer = core.OfficerFactory(patch=patch)
    client.force_login(officer.user)
    today = factories.today()
    plan_form = {
        "neighbourhood": patch.pk,
        "title": "Northgate plan",
        "voting_opens_on_0": today.day,
        "voting_opens_on_1": today.month,
        "voting_opens_on_2": today.year,
        "voting_closes_on_0": today.day,
        "voting_closes_on_1": today.month,
        "voting_closes_on_2": today.year + 1,
        "themes": ["safety", "cleanliness"],
        "submission_token": str(uuid.uuid4()),
    }
    for _ in range(2):
        assert client.post(reverse("plans_staff:new_plan"), plan_form).status_code == 302
    assert NeighbourhoodPlan.objects.count() == 1

    plan, (safety, *_) = closed_plan(patch)
    action_form = {
        "priority": safety.pk,
        "title": "New lights",
        "owner": officer.pk,
        "due_on_0": today.day,
        "due_on_1": today.month,
        "due_on_2": today.year + 1,
        "submission_token": str(uuid.uuid4()),
    }
    for _ in range(2):
        assert (
            client.post(reverse("plans_staff:add_action", args=[plan.pk]), action_form).status_code
            == 302
        )
    action = PlanAction.objects.get()
    progress_form = {
        "body": "Ordered",
        "status": "in_progress",
        "submission_token": str(uuid.uuid4()),
    }
    for _ in range(2):
        response = client.post(
            reverse("plans_staff:action_progress", args=[action.pk]), progress_form
        )
        assert response.status_code == 302
    assert ActionUpdate.objects.count() == 1


def test_a_double_submitted_progress_update_is_published_once(client, tenant, fund):
    from engagement.plans.models import ProjectUpdate

    application = factories.ApplicationFactory(
        fund=fund,
        applicant=tenant,
        status=ApplicationStatus.PAID,
        awarded_pence=50_000,
        paid_pence=50_000,
    )
    client.force_login(tenant.user)
    data = {"body": "The planters are in.", "submission_token": str(uuid.uuid4())}
    for _ in range(2):
        response = client.post(reverse("plans:post_update", args=[application.reference]), data)
        assert response.status_code == 302
    assert ProjectUpdate.objects.filter(application=application).count() == 1
