"""What neighbourhood plans and the community fund add to the shared core: menu items, a block on
the resident's home page, and their part of a resident's subject access export."""

from django.utils import timezone

from portal.extensions import (
    ChangeMade,
    HomeSection,
    MenuItem,
    register_change_source,
    register_menu_item,
    register_resident_home_section,
    register_subject_access,
)


def register() -> None:
    # Residents reach the plan and the fund from "Get involved" and their home page: the
    # resident menu keeps to the few places people look first.
    register_menu_item(
        MenuItem(audience="staff", label="Plans", url_name="plans_staff:plans", order=62)
    )
    register_resident_home_section(home_section)
    register_change_source(changes_made)
    register_subject_access("neighbourhood plans and community fund", export_for_resident)


def home_section(resident):
    """Voting open in the resident's neighbourhood, and their fund applications: four queries."""
    from engagement.plans import selectors
    from engagement.plans.models import Ballot

    plan = selectors.open_plan_for_resident(resident)
    voted = plan is not None and Ballot.objects.filter(plan=plan, resident=resident).exists()
    applications = list(selectors.resident_applications(resident)[:3])
    if plan is None and not applications:
        return None
    return HomeSection(
        template="plans/resident/_home_section.html",
        context={"plan": plan, "voted": voted, "applications": applications},
        order=45,
    )


def changes_made():
    """Done actions from published plans, for the landlord-wide "you said, we did" list: the
    priority residents chose and what was done about it (the latest 100)."""
    from django.urls import reverse

    from engagement.plans.models import ActionStatus, PlanAction

    done = (
        PlanAction.objects.filter(status=ActionStatus.DONE, plan__published_at__isnull=False)
        .select_related("plan__neighbourhood", "priority")
        .order_by("-completed_on", "-id")[:100]
    )
    return [
        ChangeMade(
            made_on=action.completed_on,
            you_said=f"Residents of {action.plan.neighbourhood.name} chose {action.priority.title.lower()} "
            "as a priority for their neighbourhood.",
            we_did=action.title + (f", with {action.partner}" if action.partner else "") + ".",
            source=action.plan.title,
            url=reverse("plans:plan", args=[action.plan_id]),
        )
        for action in done
    ]


def export_for_resident(resident):
    from engagement.plans.models import Assessment, Ballot, ProjectApplication, ProjectSupporter

    ballots = (
        Ballot.objects.filter(resident=resident)
        .select_related("plan")
        .prefetch_related("choices__priority")
    )
    applications = (
        ProjectApplication.objects.filter(applicant=resident)
        .select_related("fund")
        .prefetch_related("updates__photos")
    )
    supported = ProjectSupporter.objects.filter(resident=resident).select_related("application")
    assessments = (
        Assessment.objects.filter(resident=resident)
        .select_related("application")
        .prefetch_related("scores__criterion")
    )
    return [
        *(
            {
                "record": "neighbourhood plan vote",
                "plan": b.plan.title,
                "sent_at": timezone.localtime(b.submitted_at).isoformat(),
                "changed_at": timezone.localtime(b.changed_at).isoformat(),
                "choices": [c.priority.title for c in b.choices.all()],
            }
            for b in ballots
        ),
        *(
            {
                "record": "community fund application",
                "reference": a.reference,
                "fund": str(a.fund),
                "applying_as": a.get_applying_as_display(),
                "group_name": a.group_name,
                "title": a.title,
                "what": a.what,
                "where": a.where,
                "who_benefits": a.who_benefits,
                "amount_asked_pence": a.cost_pence,
                "cost_breakdown": a.cost_breakdown,
                "status": a.get_status_display(),
                "decision_reasons": a.decision_reasons,
                "awarded_pence": a.awarded_pence,
                "paid_pence": a.paid_pence,
                "paid_on": a.paid_on,
                "updates": [
                    {
                        "posted_at": timezone.localtime(u.created_at).isoformat(),
                        "update": u.body,
                        "photos": len(u.photos.all()),
                    }
                    for u in a.updates.all()
                ],
            }
            for a in applications
        ),
        *(
            {
                "record": "support for a community project",
                "project": s.application.title,
                "reference": s.application.reference,
                "comment": s.comment,
                "added_at": timezone.localtime(s.added_at).isoformat(),
            }
            for s in supported
        ),
        *(
            {
                "record": "community fund assessment (as a panel member)",
                "application": s.application.reference,
                "comments": s.comments,
                "scores": {score.criterion.title: score.score for score in s.scores.all()},
            }
            for s in assessments
        ),
    ]
