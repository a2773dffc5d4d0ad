"""Public and residents' pages: neighbourhood plans (read, vote) and the community fund (apply,
support, follow an application, post progress, assess as a panel member)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from engagement.plans import forms, selectors, services
from engagement.plans.models import (
    ApplicationStatus,
    Ballot,
    NeighbourhoodPlan,
    ProjectApplication,
    ProjectPhoto,
    ProjectSupporter,
    ProjectUpdate,
)
from portal import charts
from portal.forms import posted
from portal.models import Neighbourhood
from portal.uploads import stored_file_response
from portal.views.access import resident_required
from portal.workdays import local_date


def _viewer_resident(request):
    user = request.user
    return user.resident_or_none if user.is_authenticated else None


# -- neighbourhood plans -----------------------------------------------------------------------------------


def plans_index(request):
    page = Paginator(selectors.neighbourhoods_with_latest_plan(), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "plans/public/index.html", {"page": page})


def _plan_context(request, plan: NeighbourhoodPlan) -> dict:
    resident = _viewer_resident(request)
    lives_here = (
        resident is not None
        and plan.neighbourhood_id in selectors.resident_neighbourhood_ids(resident)
    )
    ballot = None
    if lives_here:
        ballot = (
            Ballot.objects.filter(plan=plan, resident=resident)
            .prefetch_related("choices__priority")
            .first()
        )
    state = plan.voting_state()
    results = list(selectors.priority_results(plan)) if state == "closed" else None
    return {
        "plan": plan,
        "neighbourhood": plan.neighbourhood,
        "state": state,
        "results": results,
        "chart": results_chart(results) if results else None,
        "priorities": list(plan.priorities.all()) if state != "closed" else None,
        "ballot_count": plan.ballots.count(),
        "actions": list(selectors.plan_actions(plan)) if state == "closed" else [],
        "progress": selectors.action_progress(plan),
        "lives_here": lives_here,
        "ballot": ballot,
        "funded_projects": list(
            selectors.public_projects(
                status=ApplicationStatus.awarded_values(), neighbourhood_id=plan.neighbourhood_id
            )[:6]
        ),
        "other_plans": list(
            selectors.published_plans()
            .filter(neighbourhood_id=plan.neighbourhood_id)
            .exclude(pk=plan.pk)[:10]
        ),
    }


def results_chart(results) -> charts.Chart:
    """Points for each priority as bars, most first, scaled to the highest."""
    return charts.bar_chart(
        chart_id="results-chart",
        title="Points for each priority, most first",
        summary="; ".join(f"{row.title}: {_points(row.points)}" for row in results)
        + ". The same figures are in the table.",
        bars=[charts.Bar(row.title, row.points, _points(row.points)) for row in results],
    )


def _points(points: int) -> str:
    return f"{points:,} point{'' if points == 1 else 's'}"


def neighbourhood_page(request, neighbourhood_id):
    neighbourhood = get_object_or_404(Neighbourhood, pk=neighbourhood_id)
    plan = selectors.latest_published_plan(neighbourhood)
    if plan is None:
        return render(request, "plans/public/no_plan.html", {"neighbourhood": neighbourhood})
    context = _plan_context(request, plan)
    if context["state"] != "closed":
        # While residents choose this year's priorities, last year's actions still matter to them.
        previous = selectors.latest_closed_plan(neighbourhood, before=plan)
        if previous is not None:
            context["previous"] = previous
            context["previous_actions"] = list(selectors.plan_actions(previous))
            context["previous_progress"] = selectors.action_progress(previous)
    return render(request, "plans/public/plan.html", context)


def plan_page(request, pk):
    plan = get_object_or_404(selectors.published_plans(), pk=pk)
    return render(request, "plans/public/plan.html", _plan_context(request, plan))


@resident_required
def your_neighbourhood(request):
    neighbourhood = selectors.resident_neighbourhood(request.resident)
    if neighbourhood is None:
        return redirect("plans:index")
    return redirect("plans:neighbourhood", neighbourhood_id=neighbourhood.pk)


@resident_required
@require_http_methods(["GET", "POST"])
def vote(request, pk):
    plan = get_object_or_404(selectors.published_plans(), pk=pk)
    if plan.neighbourhood_id not in selectors.resident_neighbourhood_ids(request.resident):
        return render(request, "plans/resident/vote_refused.html", {"plan": plan}, status=403)
    if not plan.voting_is_open:
        return render(
            request, "plans/resident/vote_closed.html", {"plan": plan, "state": plan.voting_state()}
        )
    priorities = list(plan.priorities.all())
    ballot = (
        Ballot.objects.filter(plan=plan, resident=request.resident)
        .prefetch_related("choices")
        .first()
    )
    initial = (
        {f"choice_{c.rank}": str(c.priority_id) for c in ballot.choices.all()} if ballot else {}
    )
    form = forms.BallotForm(posted(request), priorities=priorities, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.cast_ballot(
                plan=plan, resident=request.resident, priority_ids=form.cleaned_data["priority_ids"]
            )
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                "Thank you: your vote has been counted."
                if ballot is None
                else "Your vote has been changed.",
            )
            return redirect("plans:plan", pk=plan.pk)
    return render(
        request,
        "plans/resident/vote.html",
        {"plan": plan, "form": form, "priorities": priorities, "ballot": ballot},
    )


# -- the community fund -----------------------------------------------------------------------------------------


def fund_page(request):
    fund = selectors.current_fund()
    resident = _viewer_resident(request)
    recent = []
    if fund is not None:
        recent = list(
            selectors.public_projects(status=ApplicationStatus.awarded_values()).filter(fund=fund)[
                :6
            ]
        )
    return render(
        request,
        "plans/public/fund.html",
        {
            "fund": fund,
            "criteria": list(fund.criteria.all()) if fund else [],
            "funded": recent,
            "is_open": fund is not None and fund.is_open_for_applications(),
            "today": local_date(timezone.now()),
            "is_assessor": resident is not None and selectors.is_assessor_resident(resident),
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def apply(request):
    fund = selectors.current_fund()
    if fund is None or not fund.is_open_for_applications():
        return render(request, "plans/resident/fund_closed.html", {"fund": fund})
    form = forms.ApplicationForm(posted(request), fund=fund)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = data["submission_token"]
        try:
            application = services.apply_for_funding(
                resident=request.resident,
                fund=fund,
                applying_as=data["applying_as"],
                group_name=data["group_name"],
                title=data["title"],
                what=data["what"],
                where=data["where"],
                who_benefits=data["who_benefits"],
                cost_pence=data["cost"],
                cost_breakdown=data["cost_breakdown"],
                submission_token=token,
            )
        except IntegrityError:
            # The same form sent twice: the first one made the application.
            application = ProjectApplication.objects.filter(
                submission_token=token, applicant=request.resident
            ).first()
            if application is None:
                raise
        except services.PlanError as error:
            form.add_error(None, str(error))
            application = None
        if application is not None:
            messages.success(
                request,
                f"We have received your application. Your reference is {application.reference}.",
            )
            return redirect("plans:application", reference=application.reference)
    return render(request, "plans/resident/apply.html", {"form": form, "fund": fund})


@resident_required
def your_applications(request):
    page = Paginator(selectors.resident_applications(request.resident), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "plans/resident/applications.html", {"page": page})


def _own_application(request, reference) -> ProjectApplication:
    application = selectors.application_for_applicant(request.resident, reference)
    if application is None:
        raise Http404("No such application")  # the same whether it is missing or someone else's
    return application


@resident_required
def application_detail(request, reference):
    application = _own_application(request, reference)
    can_post = application.status in (ApplicationStatus.APPROVED, ApplicationStatus.PAID)
    return render(
        request,
        "plans/resident/application.html",
        {
            "application": application,
            "updates": list(application.updates.all()),
            "can_post": can_post,
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def post_update(request, reference):
    application = _own_application(request, reference)
    form = forms.ProjectUpdateForm(
        posted(request),
        posted(request, files=True),
        can_finish=application.status == ApplicationStatus.PAID,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.post_project_update(
                application=application,
                resident=request.resident,
                body=data["body"],
                photos=data["photos"],
                finished=data.get("finished", False),
                submission_token=data["submission_token"],
            )
        except IntegrityError:
            # The same update sent twice: the first one is published.
            if not ProjectUpdate.objects.filter(submission_token=data["submission_token"]).exists():
                raise
            return redirect("plans:application", reference=reference)
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your update is published on the project's page.")
            return redirect("plans:application", reference=reference)
    return render(
        request, "plans/resident/post_update.html", {"application": application, "form": form}
    )


def projects(request):
    show = request.GET.get("show", "")
    status = {
        "seeking": [ApplicationStatus.SUBMITTED],
        "funded": ApplicationStatus.awarded_values(),
    }.get(show)
    if status is None:
        show = ""
    page = Paginator(selectors.public_projects(status=status), 20).get_page(request.GET.get("page"))
    return render(request, "plans/public/projects.html", {"page": page, "show": show})


def project_page(request, reference):
    project = selectors.public_project(reference)
    if project is None:
        raise Http404("No such project")
    resident = _viewer_resident(request)
    form = None
    if resident is not None and project.is_open_for_support:
        form = forms.SupportForm()
        form.helper.form_action = reverse("plans:support", args=[reference])
    supported = (
        resident is not None
        and ProjectSupporter.objects.filter(application=project, resident=resident).exists()
    )
    return render(
        request,
        "plans/public/project.html",
        {
            "project": project,
            "updates": list(project.updates.all()),
            "is_applicant": resident is not None and resident.pk == project.applicant_id,
            "supported": supported,
            "form": form,
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def support(request, reference):
    project = selectors.public_project(reference)
    if project is None:
        raise Http404("No such project")
    form = forms.SupportForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.support_project(
                application=project, resident=request.resident, comment=form.cleaned_data["comment"]
            )
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Thank you: your support has been added.")
            return redirect("plans:project", reference=reference)
    return render(request, "plans/resident/support.html", {"project": project, "form": form})


def photo(request, public_id):
    """A progress photo: public, like the project page it belongs to."""
    found = (
        ProjectPhoto.objects.filter(
            public_id=public_id, update__application__status__in=ApplicationStatus.awarded_values()
        )
        .only("image", "content_type")
        .first()
    )
    if found is None:
        raise Http404("No such photo")
    return stored_file_response(
        found.image, content_type=found.content_type, cache_control="public, max-age=86400"
    )


# -- resident panel members assess applications ------------------------------------------------------------------


def _assessor(request):
    if not selectors.is_assessor_resident(request.resident):
        raise PermissionDenied("Only members of a resident panel can assess applications")


@resident_required
def assess_list(request):
    _assessor(request)
    page = Paginator(
        selectors.applications_to_assess().exclude(applicant=request.resident), 20
    ).get_page(request.GET.get("page"))
    mine = set(
        request.resident.project_assessments.filter(
            application__in=[a.pk for a in page.object_list]
        ).values_list("application_id", flat=True)
    )
    return render(request, "plans/resident/assess_list.html", {"page": page, "mine": mine})


@resident_required
@require_http_methods(["GET", "POST"])
def assess(request, reference):
    _assessor(request)
    application = (
        selectors.applications_to_assess()
        .exclude(applicant=request.resident)
        .filter(reference=reference)
        .first()
    )
    if application is None:
        raise Http404("No such application to assess")
    criteria = list(application.fund.criteria.all())
    existing = (
        request.resident.project_assessments.filter(application=application)
        .prefetch_related("scores")
        .first()
    )
    initial = {}
    if existing:
        initial = {f"criterion_{s.criterion_id}": str(s.score) for s in existing.scores.all()}
        initial["comments"] = existing.comments
    form = forms.ScoreForm(posted(request), criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_application(
                application=application,
                resident=request.resident,
                scores=form.scores(),
                comments=form.cleaned_data["comments"],
            )
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Your scores for {application.reference} are saved.")
            return redirect("plans:assess_list")
    return render(
        request,
        "plans/resident/assess.html",
        {"application": application, "form": form, "criteria": criteria},
    )
