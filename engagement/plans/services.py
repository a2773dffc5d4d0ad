"""Every change to neighbourhood plans and the community fund, each one transaction."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement.plans import selectors
from engagement.plans.models import (
    MAX_CHOICES,
    ActionStatus,
    ActionUpdate,
    ApplicationStatus,
    ApplyingAs,
    Assessment,
    Ballot,
    BallotChoice,
    CommunityFund,
    CriterionScore,
    FundCriterion,
    NeighbourhoodPlan,
    PlanAction,
    PlanPriority,
    ProjectApplication,
    ProjectPhoto,
    ProjectSupporter,
    ProjectUpdate,
)
from portal.models import AuditEntry, Resident
from portal.services.audit import record_audit
from portal.services.notify import OutgoingMessage, queue_notification, queue_notifications
from portal.services.refusals import Refused
from portal.workdays import local_date


class PlanError(Refused):
    """A change the rules do not allow. The message is written for the person who asked."""


def _today() -> date:
    return local_date(timezone.now())


def pounds(pence: int) -> str:
    return f"£{pence / 100:,.2f}".replace(".00", "")


# -- neighbourhood plans ------------------------------------------------------------------------------------


@transaction.atomic
def create_plan(
    *,
    officer,
    neighbourhood,
    title,
    introduction="",
    voting_opens_on,
    voting_closes_on,
    priorities,
    submission_token=None,
) -> NeighbourhoodPlan:
    """A draft plan with the priorities residents will choose from: (theme, title, description)."""
    if voting_closes_on < voting_opens_on:
        raise PlanError("Voting must close on or after the day it opens")
    if len(priorities) < 2:
        raise PlanError("Offer residents at least 2 priorities to choose from")
    plan = NeighbourhoodPlan.objects.create(
        neighbourhood=neighbourhood,
        title=title,
        introduction=introduction,
        voting_opens_on=voting_opens_on,
        voting_closes_on=voting_closes_on,
        created_by=officer,
        submission_token=submission_token,
    )
    titles = set()
    for order, (theme, priority_title, description) in enumerate(priorities, start=1):
        if priority_title.lower() in titles:
            raise PlanError(f"The priority {priority_title} is offered twice")
        titles.add(priority_title.lower())
        PlanPriority.objects.create(
            plan=plan, theme=theme, title=priority_title, description=description, order=order
        )
    return plan


@transaction.atomic
def add_priority(*, plan, officer, theme, title, description="") -> PlanPriority:
    plan = NeighbourhoodPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published and plan.voting_state() != "not_open":
        raise PlanError("Voting has started: the priorities cannot change now")
    if plan.priorities.filter(title__iexact=title).exists():
        raise PlanError(f"The plan already offers {title}")
    order = plan.priorities.count() + 1
    return PlanPriority.objects.create(
        plan=plan, theme=theme, title=title, description=description, order=order
    )


@transaction.atomic
def publish_plan(*, plan, officer) -> NeighbourhoodPlan:
    """Publishing puts the plan on the neighbourhood's public page and lets residents vote in its
    window. Publishing is for managers."""
    if not officer.is_manager:
        raise PlanError("Only a manager can publish a neighbourhood plan")
    plan = NeighbourhoodPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_published:
        return plan
    if plan.priorities.count() < 2:
        raise PlanError("Offer residents at least 2 priorities before publishing")
    plan.published_at = timezone.now()
    plan.save(update_fields=["published_at"])
    return plan


@transaction.atomic
def cast_ballot(*, plan, resident, priority_ids) -> Ballot:
    """Record the resident's choices, in order (first choice first). One ballot per resident per
    plan: sending again while voting is open replaces their choices, so a double submit makes one."""
    if not plan.is_published:
        raise PlanError("This plan is not open for voting")
    state = plan.voting_state(_today())
    if state == "not_open":
        raise PlanError(f"Voting opens on {plan.voting_opens_on:%-d %B %Y}")
    if state == "closed":
        raise PlanError(f"Voting closed on {plan.voting_closes_on:%-d %B %Y}")
    if plan.neighbourhood_id not in selectors.resident_neighbourhood_ids(resident):
        raise PlanError("You can only vote on the plan for the neighbourhood you live in")
    priority_ids = [int(pk) for pk in priority_ids if pk]
    if not priority_ids:
        raise PlanError("Choose at least one priority")
    if len(priority_ids) > MAX_CHOICES:
        raise PlanError(f"Choose up to {MAX_CHOICES} priorities")
    if len(set(priority_ids)) != len(priority_ids):
        raise PlanError("Choose each priority only once")
    offered = set(plan.priorities.filter(pk__in=priority_ids).values_list("pk", flat=True))
    if offered != set(priority_ids):
        raise PlanError("Choose from the priorities this plan offers")

    now = timezone.now()
    try:
        with transaction.atomic():
            ballot, created = Ballot.objects.get_or_create(
                plan=plan, resident=resident, defaults={"submitted_at": now, "changed_at": now}
            )
    except IntegrityError:  # the same vote sent twice at once: the other request made the ballot
        created = False
    # The row lock makes two sends of the same form take turns, so the second replaces the first.
    ballot = Ballot.objects.select_for_update().get(plan=plan, resident=resident)
    if not created:
        ballot.changed_at = now
        ballot.save(update_fields=["changed_at"])
    ballot.choices.all().delete()
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot=ballot, priority_id=pk, rank=rank)
            for rank, pk in enumerate(priority_ids, start=1)
        ]
    )
    return ballot


# -- telling residents that voting is open ------------------------------------------------------------------

ANNOUNCEMENT_BATCH = 1000


def announce_open_plans() -> int:
    """Start telling residents about every published plan whose voting opened and who have not been
    told: the beat calls this; each plan is claimed under a row lock, so two sweeps start it once."""
    today = _today()
    due = NeighbourhoodPlan.objects.filter(
        published_at__isnull=False,
        announcement_started_at__isnull=True,
        voting_opens_on__lte=today,
        voting_closes_on__gte=today,
    ).values_list("pk", flat=True)
    return sum(1 for pk in due if start_voting_announcement(plan_id=pk))


@transaction.atomic
def start_voting_announcement(*, plan_id: int) -> bool:
    plan = NeighbourhoodPlan.objects.select_for_update(skip_locked=True).filter(pk=plan_id).first()
    if plan is None or plan.announcement_started_at is not None:
        return False
    plan.announcement_started_at = timezone.now()
    plan.save(update_fields=["announcement_started_at"])
    transaction.on_commit(lambda: _enqueue_voting_notices(plan_id))
    return True


def _enqueue_voting_notices(plan_id: int) -> None:
    from engagement.plans.tasks import send_voting_notices

    send_voting_notices.delay(plan_id)


@transaction.atomic
def send_next_voting_notices(*, plan_id: int, batch: int | None = None) -> bool:
    """Queue the next batch of "voting is open" messages, in resident order from where the last
    batch stopped, in one transaction with the cursor: a batch run twice tells nobody twice.
    Returns whether residents are left to tell."""
    batch = batch or ANNOUNCEMENT_BATCH
    plan = (
        NeighbourhoodPlan.objects.select_for_update()
        .select_related("neighbourhood")
        .get(pk=plan_id)
    )
    if plan.announcement_finished_at is not None or plan.voting_state(_today()) != "open":
        return False
    residents = list(
        Resident.objects.filter(
            pk__gt=plan.announced_through_resident_id,
            tenancies__end_date__isnull=True,
            tenancies__home__neighbourhood_id=plan.neighbourhood_id,
        )
        .distinct()
        .order_by("pk")[:batch]
    )
    queue_notifications(
        [
            OutgoingMessage(template="plans_voting_open", context={"plan": plan}, resident=r)
            for r in residents
        ]
    )
    more = len(residents) == batch
    if residents:
        plan.announced_through_resident_id = residents[-1].pk
    if not more:
        plan.announcement_finished_at = timezone.now()
    plan.save(update_fields=["announced_through_resident_id", "announcement_finished_at"])
    if more:
        transaction.on_commit(lambda: _enqueue_voting_notices(plan_id))
    return more


@transaction.atomic
def add_action(
    *,
    plan,
    officer,
    priority,
    title,
    description="",
    owner,
    partner="",
    due_on,
    submission_token=None,
) -> PlanAction:
    """Turn one of the priorities residents chose into an action with an owner and a date."""
    if priority.plan_id != plan.pk:
        raise PlanError("Choose a priority from this plan")
    if not plan.is_published or plan.voting_state(_today()) != "closed":
        raise PlanError(
            "Actions are added once voting has closed and residents have chosen their priorities"
        )
    if not owner.is_active:
        raise PlanError(f"{owner.name} is not an active member of staff")
    return PlanAction.objects.create(
        plan=plan,
        priority=priority,
        title=title,
        description=description,
        owner=owner,
        partner=partner,
        due_on=due_on,
        submission_token=submission_token,
    )


@transaction.atomic
def record_action_progress(*, action, officer, body, status, submission_token=None) -> ActionUpdate:
    """A published progress note on an action, and its new status."""
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    if status not in ActionStatus.values:
        raise PlanError("Choose the action's status")
    update = ActionUpdate.objects.create(
        action=action, written_by=officer, body=body, submission_token=submission_token
    )
    action.status = status
    action.completed_on = _today() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "completed_on"])
    return update


# -- the community fund -------------------------------------------------------------------------------------


@transaction.atomic
def create_fund(
    *,
    officer,
    year,
    name,
    introduction="",
    budget_pence,
    max_award_pence,
    opens_on,
    closes_on,
    criteria,
) -> CommunityFund:
    """A financial year's fund with its published criteria: (title, description, max_score)."""
    if not officer.is_manager:
        raise PlanError("Only a manager can set up a fund")
    if CommunityFund.objects.filter(year=year).exists():
        raise PlanError("There is already a fund for that year")
    if max_award_pence > budget_pence:
        raise PlanError("The most one project can be given cannot be more than the budget")
    if not criteria:
        raise PlanError("Publish at least one criterion applications are scored against")
    fund = CommunityFund.objects.create(
        year=year,
        name=name,
        introduction=introduction,
        budget_pence=budget_pence,
        max_award_pence=max_award_pence,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    FundCriterion.objects.bulk_create(
        [
            FundCriterion(
                fund=fund, title=title, description=description, max_score=max_score, order=order
            )
            for order, (title, description, max_score) in enumerate(criteria, start=1)
        ]
    )
    return fund


@transaction.atomic
def apply_for_funding(
    *,
    resident,
    fund,
    title,
    what,
    where,
    who_benefits,
    cost_pence,
    cost_breakdown="",
    applying_as=ApplyingAs.RESIDENT,
    group_name="",
    submission_token=None,
) -> ProjectApplication:
    if not fund.is_open_for_applications(_today()):
        raise PlanError(f"The {fund.year_label} fund is not taking applications")
    neighbourhood = selectors.resident_neighbourhood(resident)
    if neighbourhood is None:
        raise PlanError("Link your home to your account before you apply")
    if cost_pence <= 0:
        raise PlanError("Enter how much you are asking for")
    if cost_pence > fund.max_award_pence:
        raise PlanError(f"The most one project can be given is {pounds(fund.max_award_pence)}")
    if applying_as == ApplyingAs.GROUP and not group_name:
        raise PlanError("Enter the name of your group")
    application = ProjectApplication.objects.create(
        fund=fund,
        applicant=resident,
        neighbourhood=neighbourhood,
        applying_as=applying_as,
        group_name=group_name if applying_as == ApplyingAs.GROUP else "",
        title=title,
        what=what,
        where=where,
        who_benefits=who_benefits,
        cost_pence=cost_pence,
        cost_breakdown=cost_breakdown,
        submission_token=submission_token,
    )
    application.reference = f"CF-{fund.year}-{application.pk:05d}"
    application.save(update_fields=["reference"])
    queue_notification(
        template="plans_application_received",
        context={"application": application, "amount": pounds(cost_pence)},
        resident=resident,
    )
    return application


@transaction.atomic
def support_project(*, application, resident, comment="") -> ProjectSupporter:
    """Add a resident's support to an application. Supporting twice keeps one."""
    if application.applicant_id == resident.pk:
        raise PlanError("You cannot support your own application")
    if not application.is_open_for_support:
        raise PlanError("This application has been decided: it no longer needs support")
    existing = ProjectSupporter.objects.filter(application=application, resident=resident).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return ProjectSupporter.objects.create(
                application=application, resident=resident, comment=comment
            )
    except IntegrityError:
        return ProjectSupporter.objects.get(application=application, resident=resident)


@transaction.atomic
def score_application(
    *, application, scores, comments="", officer=None, resident=None
) -> Assessment:
    """An assessor's scores against each of the fund's criteria. Officers, and residents on an
    active panel, assess; nobody assesses their own application. Scoring again replaces the scores."""
    if (officer is None) == (resident is None):
        raise ValueError("An assessment is by exactly one officer or one resident")
    if resident is not None:
        if not selectors.is_assessor_resident(resident):
            raise PlanError("Only members of a resident panel can assess applications")
        if application.applicant_id == resident.pk:
            raise PlanError("You cannot assess your own application")
    elif not officer.is_active:
        raise PlanError("Only active staff can assess applications")
    application = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise PlanError("This application has been decided: it can no longer be scored")
    criteria = {c.pk: c for c in application.fund.criteria.all()}
    if set(scores) != set(criteria):
        raise PlanError("Score the application against every criterion")
    for pk, score in scores.items():
        if not 0 <= score <= criteria[pk].max_score:
            raise PlanError(f"Score {criteria[pk].title} from 0 to {criteria[pk].max_score}")
    who = {"officer": officer} if officer is not None else {"resident": resident}
    assessment, _ = Assessment.objects.update_or_create(
        application=application,
        **who,
        defaults={
            "comments": comments,
            "total_score": sum(scores.values()),
            "submitted_at": timezone.now(),
        },
    )
    assessment.scores.all().delete()
    CriterionScore.objects.bulk_create(
        [
            CriterionScore(assessment=assessment, criterion_id=pk, score=score)
            for pk, score in scores.items()
        ]
    )
    return assessment


@transaction.atomic
def decide_application(
    *, application, officer, approve: bool, reasons: str, awarded_pence: int = 0
):
    """Approve (with the amount awarded) or decline, with reasons the applicant is sent. The fund's
    row is locked first, so two awards at once cannot both spend the same money."""
    fund = CommunityFund.objects.select_for_update().get(pk=application.fund_id)
    application = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.SUBMITTED:
        raise PlanError("This application has already been decided")
    if not reasons.strip():
        raise PlanError("Give the reasons for the decision")
    if not application.assessments.exists():
        raise PlanError("Score the application against the criteria before deciding")
    if approve:
        if awarded_pence <= 0:
            raise PlanError("Enter the amount awarded")
        if awarded_pence > application.cost_pence:
            raise PlanError(
                f"The award cannot be more than the {pounds(application.cost_pence)} asked for"
            )
        if awarded_pence > fund.max_award_pence:
            raise PlanError(f"The most one project can be given is {pounds(fund.max_award_pence)}")
        left = fund.budget_pence - selectors.awarded_total(fund)
        if awarded_pence > left:
            raise PlanError(f"The fund has only {pounds(max(left, 0))} left")
        application.status = ApplicationStatus.APPROVED
        application.awarded_pence = awarded_pence
    else:
        application.status = ApplicationStatus.DECLINED
        application.awarded_pence = 0
    application.decided_at = timezone.now()
    application.decided_by = officer
    application.decision_reasons = reasons.strip()
    application.save(
        update_fields=["status", "awarded_pence", "decided_at", "decided_by", "decision_reasons"]
    )
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        resident=application.applicant,
        subject=f"community fund application {application.reference}",
        detail={"decision": application.status, "awarded_pence": application.awarded_pence},
    )
    queue_notification(
        template="plans_application_decided",
        context={"application": application, "amount": pounds(application.awarded_pence)},
        resident=application.applicant,
    )
    return application


@transaction.atomic
def record_grant_payment(
    *, application, officer, paid_on, payment_reference=""
) -> ProjectApplication:
    application = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.APPROVED:
        raise PlanError("Only an approved grant that has not been paid can be paid")
    application.status = ApplicationStatus.PAID
    application.paid_pence = application.awarded_pence
    application.paid_on = paid_on
    application.payment_reference = payment_reference
    application.save(update_fields=["status", "paid_pence", "paid_on", "payment_reference"])
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        resident=application.applicant,
        subject=f"community fund grant {application.reference} paid",
        detail={"paid_pence": application.paid_pence, "paid_on": paid_on.isoformat()},
    )
    queue_notification(
        template="plans_grant_paid",
        context={"application": application, "amount": pounds(application.paid_pence)},
        resident=application.applicant,
    )
    return application


@transaction.atomic
def post_project_update(
    *, application, resident, body, photos=(), finished=False, submission_token=None
) -> ProjectUpdate:
    """The applicant's progress on a funded project, with photos already checked by
    photos.clean_photo. Saying it is finished closes the project."""
    application = ProjectApplication.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != resident.pk:
        raise PlanError("Only the applicant can post progress on this project")
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.PAID):
        raise PlanError(
            "Progress can be posted once a project has been funded, until it is finished"
        )
    if finished and application.status != ApplicationStatus.PAID:
        raise PlanError("A project can be marked finished once its grant has been paid")
    update = ProjectUpdate.objects.create(
        application=application, body=body, submission_token=submission_token
    )
    for photo in photos:
        ProjectPhoto.objects.create(
            update=update, image=photo.content, content_type=photo.content_type
        )
    if finished:
        application.status = ApplicationStatus.COMPLETED
        application.completed_at = timezone.now()
        application.save(update_fields=["status", "completed_at"])
    return update
