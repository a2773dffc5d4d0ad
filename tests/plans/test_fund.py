"""The community fund: applications, support, scoring by assessors only, decisions within what is
left of the year's budget, payment and progress with photos."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from PIL import Image

from engagement.plans import selectors, services
from engagement.plans.models import (
    ApplicationStatus,
    Assessment,
    ProjectApplication,
    ProjectSupporter,
)
from engagement.plans.photos import PhotoRejected, clean_photo
from portal.models import AuditEntry, Notification
from tests import factories as core
from tests.plans import factories
from tests.plans.conftest import make_panel_member

pytestmark = pytest.mark.django_db


def apply(resident, fund, **fields):
    data = {
        "title": "Planters on Mill Lane",
        "what": "Six planters with bulbs",
        "where": "Outside Ash House",
        "who_benefits": "Everyone walking past",
        "cost_pence": 50_000,
    } | fields
    return services.apply_for_funding(resident=resident, fund=fund, **data)


def scored(application, officer=None):
    officer = officer or core.OfficerFactory()
    scores = {c.pk: 4 for c in application.fund.criteria.all()}
    services.score_application(application=application, officer=officer, scores=scores)
    return application


def test_an_application_gets_a_reference_and_the_applicant_is_told(tenant, fund):
    application = apply(tenant, fund)
    assert application.reference == f"CF-{fund.year}-{application.pk:05d}"
    assert application.neighbourhood.name == "Northgate"
    note = Notification.objects.get(resident=tenant)
    assert note.template == "plans_application_received"
    assert application.reference in note.body


def test_asking_for_more_than_one_project_can_be_given_is_refused(tenant, fund):
    with pytest.raises(services.PlanError, match="most one project can be given is £2,500"):
        apply(tenant, fund, cost_pence=250_001)


def test_other_residents_support_a_project_once_and_not_their_own(tenant, neighbour, fund):
    application = apply(tenant, fund)
    services.support_project(application=application, resident=neighbour)
    services.support_project(application=application, resident=neighbour)
    assert ProjectSupporter.objects.filter(application=application).count() == 1
    with pytest.raises(services.PlanError, match="your own"):
        services.support_project(application=application, resident=tenant)


def test_the_funds_remaining_budget_is_the_budget_less_what_is_awarded(
    tenant, fund, django_assert_num_queries
):
    officer = core.OfficerFactory()
    a = scored(apply(tenant, fund, cost_pence=200_000))
    b = scored(apply(tenant, fund, cost_pence=150_000))
    c = scored(apply(tenant, fund, cost_pence=100_000))
    services.decide_application(
        application=a, officer=officer, approve=True, awarded_pence=180_000, reasons="Good"
    )
    services.decide_application(
        application=b, officer=officer, approve=True, awarded_pence=150_000, reasons="Good"
    )
    services.decide_application(
        application=c, officer=officer, approve=False, reasons="Not for this fund"
    )
    services.record_grant_payment(application=a, officer=officer, paid_on=factories.today())
    with django_assert_num_queries(1):
        figures = selectors.fund_with_figures(fund.pk)
    assert figures.budget_pence == 1_000_000
    assert figures.awarded_total == 330_000
    assert figures.paid_total == 180_000
    assert figures.remaining == 670_000
    assert figures.awarded_count == 2
    assert figures.waiting_count == 0


def test_an_award_over_what_is_left_is_refused(tenant, db):
    fund = factories.fund_with_criteria(budget_pence=300_000, max_award_pence=250_000)
    officer = core.OfficerFactory()
    first = scored(apply(tenant, fund, cost_pence=200_000))
    second = scored(apply(tenant, fund, cost_pence=150_000))
    services.decide_application(
        application=first, officer=officer, approve=True, awarded_pence=200_000, reasons="Yes"
    )
    with pytest.raises(services.PlanError, match="only £1,000 left"):
        services.decide_application(
            application=second, officer=officer, approve=True, awarded_pence=150_000, reasons="Yes"
        )
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    # A smaller award that fits is fine.
    services.decide_application(
        application=second, officer=officer, approve=True, awarded_pence=100_000, reasons="Yes"
    )
    assert selectors.fund_with_figures(fund.pk).remaining == 0


def test_an_award_cannot_exceed_the_amount_asked_for(tenant, fund):
    application = scored(apply(tenant, fund, cost_pence=50_000))
    with pytest.raises(services.PlanError, match="more than the £500 asked for"):
        services.decide_application(
            application=application,
            officer=core.OfficerFactory(),
            approve=True,
            awarded_pence=60_000,
            reasons="Yes",
        )


@pytest.mark.django_db(transaction=True)
def test_two_awards_at_once_cannot_both_spend_the_last_of_the_budget():
    patch = core.NeighbourhoodFactory(name="Northgate")
    tenant = factories.resident_in(patch)
    fund = factories.fund_with_criteria(budget_pence=300_000, max_award_pence=250_000)
    officer = core.OfficerFactory()
    applications = [scored(apply(tenant, fund, cost_pence=200_000), officer) for _ in range(2)]
    outcomes = []
    barrier = threading.Barrier(2)

    def decide(application):
        try:
            barrier.wait()
            services.decide_application(
                application=application,
                officer=officer,
                approve=True,
                awarded_pence=200_000,
                reasons="Yes",
            )
            outcomes.append("awarded")
        except services.PlanError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["awarded", "refused"]
    assert selectors.fund_with_figures(fund.pk).awarded_total == 200_000


def test_only_officers_and_panel_members_may_score(tenant, neighbour, fund):
    application = apply(tenant, fund)
    scores = {c.pk: 3 for c in fund.criteria.all()}
    with pytest.raises(services.PlanError, match="Only members of a resident panel"):
        services.score_application(application=application, resident=neighbour, scores=scores)
    make_panel_member(neighbour)
    assessment = services.score_application(
        application=application, resident=neighbour, scores=scores
    )
    assert assessment.total_score == 6
    services.score_application(
        application=application, officer=core.OfficerFactory(), scores=scores
    )
    assert Assessment.objects.filter(application=application).count() == 2


def test_a_panel_member_cannot_score_their_own_application(tenant, fund):
    make_panel_member(tenant)
    application = apply(tenant, fund)
    with pytest.raises(services.PlanError, match="your own"):
        services.score_application(
            application=application, resident=tenant, scores={c.pk: 3 for c in fund.criteria.all()}
        )


def test_scores_must_cover_every_criterion_within_its_range(tenant, fund):
    application = apply(tenant, fund)
    officer = core.OfficerFactory()
    first, second = fund.criteria.all()
    with pytest.raises(services.PlanError, match="every criterion"):
        services.score_application(application=application, officer=officer, scores={first.pk: 3})
    with pytest.raises(services.PlanError, match="from 0 to 5"):
        services.score_application(
            application=application, officer=officer, scores={first.pk: 3, second.pk: 6}
        )


def test_scoring_again_replaces_the_assessors_scores(tenant, fund):
    application = apply(tenant, fund)
    officer = core.OfficerFactory()
    first, second = fund.criteria.all()
    services.score_application(
        application=application, officer=officer, scores={first.pk: 1, second.pk: 1}
    )
    services.score_application(
        application=application, officer=officer, scores={first.pk: 5, second.pk: 4}
    )
    assessment = Assessment.objects.get(application=application)
    assert assessment.total_score == 9
    assert assessment.scores.count() == 2


def test_an_application_must_be_scored_before_it_is_decided(tenant, fund):
    application = apply(tenant, fund)
    with pytest.raises(services.PlanError, match="Score the application"):
        services.decide_application(
            application=application, officer=core.OfficerFactory(), approve=False, reasons="No"
        )


def test_the_decision_and_its_reasons_go_to_the_applicant_and_leave_an_audit_line(tenant, fund):
    application = scored(apply(tenant, fund))
    officer = core.OfficerFactory()
    services.decide_application(
        application=application,
        officer=officer,
        approve=True,
        awarded_pence=45_000,
        reasons="Scored well on community benefit; compost is already donated.",
    )
    note = Notification.objects.filter(resident=tenant, template="plans_application_decided").get()
    assert "£450" in note.body
    assert "compost is already donated" in note.body
    assert AuditEntry.objects.filter(actor=officer.user, resident=tenant, action="change").exists()
    with pytest.raises(services.PlanError, match="already been decided"):
        services.decide_application(
            application=application, officer=officer, approve=False, reasons="No"
        )


def test_paying_the_grant_records_it_and_tells_the_applicant(tenant, fund):
    application = scored(apply(tenant, fund))
    officer = core.OfficerFactory()
    services.decide_application(
        application=application, officer=officer, approve=True, awarded_pence=50_000, reasons="Yes"
    )
    services.record_grant_payment(
        application=application,
        officer=officer,
        paid_on=factories.today(),
        payment_reference="BACS 1182",
    )
    application.refresh_from_db()
    assert (application.status, application.paid_pence) == (ApplicationStatus.PAID, 50_000)
    assert Notification.objects.filter(resident=tenant, template="plans_grant_paid").exists()
    with pytest.raises(services.PlanError):
        services.record_grant_payment(
            application=application, officer=officer, paid_on=factories.today()
        )


def photo_upload(name="garden.jpg", size=(3000, 2000), fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_progress_photos_are_checked_and_scaled_down(settings):
    cleaned = clean_photo(photo_upload())
    with Image.open(cleaned.content) as image:
        assert max(image.size) == settings.PLANS_PHOTO_MAX_EDGE
    with pytest.raises(PhotoRejected, match="must be a JPG or PNG"):
        clean_photo(
            SimpleUploadedFile("garden.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
        )
    settings.PLANS_PHOTO_MAX_BYTES = 100
    with pytest.raises(PhotoRejected, match="must be smaller than"):
        clean_photo(photo_upload())


def test_only_the_applicant_posts_progress_once_funded(tenant, neighbour, fund):
    application = scored(apply(tenant, fund))
    with pytest.raises(services.PlanError, match="once a project has been funded"):
        services.post_project_update(application=application, resident=tenant, body="Started")
    officer = core.OfficerFactory()
    services.decide_application(
        application=application, officer=officer, approve=True, awarded_pence=50_000, reasons="Yes"
    )
    with pytest.raises(services.PlanError, match="Only the applicant"):
        services.post_project_update(application=application, resident=neighbour, body="Hello")
    services.record_grant_payment(
        application=application, officer=officer, paid_on=factories.today()
    )
    update = services.post_project_update(
        application=application,
        resident=tenant,
        body="The planters are in.",
        photos=[clean_photo(photo_upload())],
        finished=True,
    )
    assert update.photos.get().width == 1600
    assert ProjectApplication.objects.get(pk=application.pk).status == ApplicationStatus.COMPLETED
