"""Officers' pages: draft, publish and follow neighbourhood plans; assess, decide and pay community
fund applications. Publishing plans and setting up funds need a manager."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engagement.plans import forms, selectors, services
from engagement.plans.models import (
    ActionUpdate,
    ApplicationStatus,
    NeighbourhoodPlan,
    PlanAction,
    financial_year_of,
)
from portal.forms import posted
from portal.models import AuditEntry, Neighbourhood
from portal.services.audit import record_audit
from portal.views.access import manager_required, officer_required
from portal.views.actions import carry_out, submit_form
from portal.workdays import local_date


def _form_page(request, form, *, template, context, on_valid, success_url, made=None):
    """A form; when valid, the service. `made` is the model a one-off form creates: the same form
    sent twice goes to the page the first one went to."""
    return submit_form(request, form, on_valid, success_url=success_url, made=made) or render(
        request, template, {"form": form, **context}
    )


# -- plans ------------------------------------------------------------------------------------------------------


@officer_required
def plan_list(request):
    neighbourhoods = list(Neighbourhood.objects.order_by("name"))
    chosen = request.GET.get("neighbourhood", "")
    chosen_id = int(chosen) if chosen.isdigit() else None
    page = Paginator(selectors.staff_plans(chosen_id), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/staff/plans.html",
        {"page": page, "neighbourhoods": neighbourhoods, "chosen_id": chosen_id},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def new_plan(request):
    initial = {"neighbourhood": request.officer.patch_id}
    form = forms.PlanForm(posted(request), initial=initial)

    def run(data):
        plan = services.create_plan(
            officer=request.officer,
            neighbourhood=data["neighbourhood"],
            title=data["title"],
            introduction=data["introduction"],
            voting_opens_on=data["voting_opens_on"],
            voting_closes_on=data["voting_closes_on"],
            priorities=data["priorities"],
            submission_token=data["submission_token"],
        )
        return (
            "The draft plan is saved. A manager publishes it to open voting.",
            reverse("plans_staff:plan", args=[plan.pk]),
        )

    try:
        created = submit_form(request, form, run)
    except IntegrityError:
        # The same form sent twice: the first one made the plan.
        plan = NeighbourhoodPlan.objects.filter(
            submission_token=form.cleaned_data["submission_token"]
        ).first()
        if plan is None:
            raise
        return redirect("plans_staff:plan", pk=plan.pk)
    return created or render(request, "plans/staff/new_plan.html", {"form": form})


def _plan(pk) -> NeighbourhoodPlan:
    return get_object_or_404(
        NeighbourhoodPlan.objects.select_related("neighbourhood", "created_by"), pk=pk
    )


@officer_required
def plan_detail(request, pk):
    plan = _plan(pk)
    return render(
        request,
        "plans/staff/plan.html",
        {
            "plan": plan,
            "state": plan.voting_state(),
            "results": list(selectors.priority_results(plan)),
            "ballot_count": plan.ballots.count(),
            "actions": list(selectors.plan_actions(plan)),
            "progress": selectors.action_progress(plan),
            "can_publish": request.officer.is_manager,
            "today": local_date(timezone.now()),
        },
    )


@officer_required
@require_POST
def publish_plan(request, pk):
    plan = _plan(pk)

    def run():
        services.publish_plan(plan=plan, officer=request.officer)
        return "The plan is published on the neighbourhood's page."

    return carry_out(request, run, then=reverse("plans_staff:plan", args=[plan.pk]))


@officer_required
@require_http_methods(["GET", "POST"])
def add_priority(request, pk):
    plan = _plan(pk)
    form = forms.PriorityForm(posted(request))

    def run(data):
        priority = services.add_priority(
            plan=plan,
            officer=request.officer,
            theme=data["theme"],
            title=data["title"],
            description=data["description"],
        )
        return f"{priority.title} is added to the plan."

    return _form_page(
        request,
        form,
        template="plans/staff/plan_form.html",
        context={"plan": plan, "title": "Add a priority"},
        on_valid=run,
        success_url=reverse("plans_staff:plan", args=[plan.pk]),
    )


@officer_required
@require_http_methods(["GET", "POST"])
def add_action(request, pk):
    plan = _plan(pk)
    initial = {"owner": request.officer.pk}
    first = selectors.priority_results(plan).first()
    if first is not None:
        initial["priority"] = first.pk
    form = forms.ActionForm(posted(request), plan=plan, initial=initial)

    def run(data):
        action = services.add_action(
            plan=plan,
            officer=request.officer,
            priority=data["priority"],
            title=data["title"],
            description=data["description"],
            owner=data["owner"],
            partner=data["partner"],
            due_on=data["due_on"],
            submission_token=data["submission_token"],
        )
        return f"The action is added and published: {action.title}."

    return _form_page(
        request,
        form,
        template="plans/staff/plan_form.html",
        context={
            "plan": plan,
            "title": "Add an action",
            "intro": "Turn a priority residents chose into an action with an owner and a date. "
            "It is published on the neighbourhood's page.",
        },
        on_valid=run,
        success_url=reverse("plans_staff:plan", args=[plan.pk]),
        made=PlanAction,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def action_progress(request, pk):
    action = get_object_or_404(PlanAction.objects.select_related("plan__neighbourhood"), pk=pk)
    form = forms.ActionProgressForm(posted(request), initial={"status": action.status})

    def run(data):
        services.record_action_progress(
            action=action,
            officer=request.officer,
            body=data["body"],
            status=data["status"],
            submission_token=data["submission_token"],
        )
        return "The update is published on the neighbourhood's page."

    return _form_page(
        request,
        form,
        template="plans/staff/plan_form.html",
        context={"plan": action.plan, "title": f"Update: {action.title}", "action": action},
        on_valid=run,
        success_url=reverse("plans_staff:plan", args=[action.plan_id]),
        made=ActionUpdate,
    )


# -- the fund ---------------------------------------------------------------------------------------------------


@officer_required
def fund_overview(request):
    funds = list(selectors.funds_with_figures().order_by("-year"))
    year = request.GET.get("year", "")
    fund = next((f for f in funds if str(f.year) == year), None)
    if fund is None:
        this_year = financial_year_of(local_date(timezone.now()))
        fund = next((f for f in funds if f.year == this_year), funds[0] if funds else None)
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values:
        status = ""
    page = None
    if fund is not None:
        page = Paginator(selectors.staff_applications(fund=fund, status=status), 50).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "plans/staff/fund.html",
        {
            "funds": funds,
            "fund": fund,
            "page": page,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "can_set_up": request.officer.is_manager,
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def new_fund(request):
    year = financial_year_of(local_date(timezone.now()))
    form = forms.FundForm(posted(request), initial={"year": year})

    def run(data):
        fund = services.create_fund(
            officer=request.officer,
            year=data["year"],
            name=data["name"],
            introduction=data["introduction"],
            budget_pence=data["budget"],
            max_award_pence=data["max_award"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            criteria=data["criteria_list"],
        )
        return f"The {fund.year_label} fund is set up and published."

    return _form_page(
        request,
        form,
        template="plans/staff/fund_form.html",
        context={},
        on_valid=run,
        success_url=reverse("plans_staff:fund"),
    )


def _application(reference):
    application = selectors.staff_application(reference)
    if application is None:
        raise Http404("No such application")
    return application


@officer_required
def application_detail(request, reference):
    application = _application(reference)
    record_audit(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        resident=application.applicant,
        subject=f"community fund application {application.reference}",
    )
    fund = selectors.fund_with_figures(application.fund_id)
    return render(
        request,
        "plans/staff/application.html",
        {
            "application": application,
            "fund": fund,
            "assessments": list(application.assessments.all()),
            "summary": selectors.assessment_summary(application),
            "supporters": list(application.supporters.select_related("resident")[:50]),
            "updates": list(application.updates.all()),
            "mine": next(
                (a for a in application.assessments.all() if a.officer_id == request.officer.pk),
                None,
            ),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def score(request, reference):
    application = _application(reference)
    criteria = list(application.fund.criteria.all())
    mine = next(
        (a for a in application.assessments.all() if a.officer_id == request.officer.pk), None
    )
    initial = {}
    if mine:
        initial = {f"criterion_{s.criterion_id}": str(s.score) for s in mine.scores.all()}
        initial["comments"] = mine.comments
    form = forms.ScoreForm(posted(request), criteria=criteria, initial=initial)

    def run(data):
        services.score_application(
            application=application,
            officer=request.officer,
            scores=form.scores(),
            comments=data["comments"],
        )
        return "Your scores are saved."

    return _form_page(
        request,
        form,
        template="plans/staff/application_form.html",
        context={"application": application, "title": "Score against the criteria"},
        on_valid=run,
        success_url=reverse("plans_staff:application", args=[application.reference]),
    )


@officer_required
@require_http_methods(["GET", "POST"])
def decide(request, reference):
    application = _application(reference)
    fund = selectors.fund_with_figures(application.fund_id)
    form = forms.DecisionForm(posted(request))

    def run(data):
        approve = data["decision"] == "approve"
        services.decide_application(
            application=application,
            officer=request.officer,
            approve=approve,
            awarded_pence=data["amount"] or 0,
            reasons=data["reasons"],
        )
        return (
            "Approved. The applicant has been told."
            if approve
            else "Declined. The applicant has been told why."
        )

    return _form_page(
        request,
        form,
        template="plans/staff/application_form.html",
        context={
            "application": application,
            "fund": fund,
            "title": "Decide the application",
            "summary": selectors.assessment_summary(application),
        },
        on_valid=run,
        success_url=reverse("plans_staff:application", args=[application.reference]),
    )


@officer_required
@require_http_methods(["GET", "POST"])
def record_payment(request, reference):
    application = _application(reference)
    form = forms.PaymentForm(posted(request))

    def run(data):
        services.record_grant_payment(
            application=application,
            officer=request.officer,
            paid_on=data["paid_on"],
            payment_reference=data["payment_reference"],
        )
        return "The payment is recorded. The applicant has been told."

    return _form_page(
        request,
        form,
        template="plans/staff/application_form.html",
        context={"application": application, "title": "Record the grant payment"},
        on_valid=run,
        success_url=reverse("plans_staff:application", args=[application.reference]),
    )
