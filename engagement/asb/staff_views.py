"""Officers' ASB pages: the list, the case page (action plan, risk assessment, contacts, diary of
incidents), the steps taken on a case, and NM01 for the year.

Victims' and witnesses' details are sensitive: every staff page that shows a case leaves an audit
entry of the view, for each resident who reported it; each change leaves one through its service.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engagement.asb import forms, risk, selectors, services
from engagement.asb.charts import MonthChart
from engagement.asb.models import Action, AsbCase, ContactWith
from portal.forms import posted
from portal.models import AuditEntry, Estate, Resident, Tenancy
from portal.services.audit import record_audit
from portal.views.access import officer_required
from portal.views.actions import submit_form
from portal.workdays import LONDON


def _audit_view(request, asb_case: AsbCase, what: str) -> None:
    reporters = {report.reporter for report in asb_case.reports.all() if report.reporter_id}
    if asb_case.case.resident_id:
        reporters.add(asb_case.case.resident)
    for resident in sorted(reporters, key=lambda r: r.pk):
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            resident=resident,
            subject=f"ASB case {asb_case.case.reference}: {what}",
        )


def _case(reference: str) -> AsbCase:
    asb_case = selectors.case_for_staff(reference)
    if asb_case is None:
        raise Http404("No such case")
    return asb_case


def _case_url(asb_case: AsbCase) -> str:
    return reverse("asb_staff:detail", kwargs={"reference": asb_case.case.reference})


def _step(
    request,
    reference,
    form_class,
    *,
    title,
    intro="",
    on_valid,
    form_kwargs=None,
    initial=None,
    extra=None,
    asb_case=None,
):
    """The shape of every step on a case: a form; when valid, the service, then back to the case.
    A view that has already loaded the case passes it in, so the case is read once."""
    asb_case = asb_case or _case(reference)
    form = form_class(
        posted(request), initial=initial, **(form_kwargs(asb_case) if form_kwargs else {})
    )
    if request.method != "POST" or not form.is_valid():
        _audit_view(request, asb_case, title.lower())
    return submit_form(
        request,
        form,
        lambda data: on_valid(asb_case, data, form),
        success_url=_case_url(asb_case),
    ) or render(
        request,
        "asb/staff/step.html",
        {
            "asb_case": asb_case,
            "case": asb_case.case,
            "form": form,
            "title": title,
            "intro": intro,
            **(extra or {}),
        },
    )


# -- lists -------------------------------------------------------------------------------------------


@officer_required
def case_list(request):
    show = request.GET.get("show", "open")
    if show not in selectors.STAFF_FILTERS and show != "all":
        show = "open"
    estate_id = request.GET.get("estate", "")
    estate_id = int(estate_id) if estate_id.isdigit() else None
    cases = selectors.staff_cases(
        "" if show == "all" else show, officer=request.officer, estate_id=estate_id
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    filters = [(key, label) for key, (label, _) in selectors.STAFF_FILTERS.items()] + [
        ("all", "Everything")
    ]
    return render(
        request,
        "asb/staff/list.html",
        {
            "page": page,
            "show": show,
            "filters": filters,
            "estates": Estate.objects.filter(asb_cases__isnull=False).distinct().order_by("name"),
            "estate_id": estate_id,
            "my_actions": selectors.open_actions_for(request.officer)[:10],
            "today": timezone.localdate(),
        },
    )


@officer_required
def nm01_page(request):
    today = timezone.now().astimezone(LONDON).date()
    this_year = selectors.financial_year_of(today)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= this_year + 1 else this_year
    label = selectors.financial_year_label(year)
    compared = selectors.nm01_compared(year=year, today=today)
    return render(
        request,
        "asb/staff/nm01.html",
        {
            "year": year,
            "label": label,
            "label_before": selectors.financial_year_label(year - 1),
            "bounds": selectors.financial_year_bounds(year),
            "figures": compared["year"],
            "compared": compared,
            "chart": MonthChart(
                title=f"Anti-social behaviour cases opened each month, {label}",
                months=selectors.nm01_by_month(year=year, today=today),
            ),
            "by_estate": list(selectors.nm01_by_estate(year=year)[:100]),
            "years": [
                (y, selectors.financial_year_label(y)) for y in range(this_year, this_year - 5, -1)
            ],
            "is_current": year == this_year,
        },
    )


# -- logging a report ---------------------------------------------------------------------------------


@officer_required
def find_reporter(request):
    form = forms.FindTenancyForm(request.GET or None)
    form.helper.form_method = "get"
    tenancy = None
    if request.GET and form.is_valid():
        tenancy = (
            Tenancy.objects.filter(reference__iexact=form.cleaned_data["tenancy_reference"].strip())
            .select_related("home")
            .prefetch_related("residents")
            .first()
        )
        if tenancy is None:
            form.add_error("tenancy_reference", "No tenancy has that reference")
    return render(request, "asb/staff/find_reporter.html", {"form": form, "tenancy": tenancy})


@officer_required
@require_http_methods(["GET", "POST"])
def log_report(request, resident_id):
    resident = get_object_or_404(Resident, pk=resident_id)
    form = forms.LogReportForm(posted(request))
    if request.method != "POST" or not form.is_valid():
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            resident=resident,
            subject="logging an ASB report",
        )

    def log(data):
        report = services.make_report(
            reporter=resident,
            category=data["category"],
            what_happened=data["what_happened"],
            where=data["where"],
            happened_on=data["happened_on"],
            happened_at_time=data["happened_at_time"],
            is_ongoing=data["is_ongoing"],
            people=form.people(),
            hate_motivations=data["hate_motivations"],
            risk_answers={key: True for key in data["risk_answers"]},
            channel=data["channel"],
            logged_by=request.officer,
            submission_token=data["submission_token"],
        )
        joined = " It joined an open case about the same people." if report.joined_existing else ""
        return (
            f"Report logged on {report.asb_case.case.reference}.{joined}",
            _case_url(report.asb_case),
        )

    return submit_form(request, form, log) or render(
        request, "asb/staff/log.html", {"form": form, "resident": resident}
    )


# -- one case ----------------------------------------------------------------------------------------


@officer_required
def case_detail(request, reference):
    asb_case = _case(reference)
    _audit_view(request, asb_case, "case page")
    case = asb_case.case
    assessments = list(asb_case.risk_assessments.all())
    latest = assessments[0] if assessments else None
    now = timezone.now()
    deadlines = list(case.deadlines.all())
    return render(
        request,
        "asb/staff/detail.html",
        {
            "asb_case": asb_case,
            "case": case,
            "reports": list(asb_case.reports.all()),
            "people": list(asb_case.people.all()),
            "incidents": list(asb_case.incidents.all()),
            "actions": list(asb_case.actions.all()),
            "assessments": assessments,
            "latest": latest,
            "latest_answers": risk.answered_questions(latest.answers) if latest else [],
            "contacts": list(asb_case.contacts.all()),
            "deadlines": deadlines,
            "running": [d for d in deadlines if d.is_running],
            "events": list(case.events.all()),
            "now": now,
            "today": timezone.localdate(),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def risk_assessment(request, reference):
    def run(asb_case, data, form):
        result = services.record_risk_assessment(
            asb_case=asb_case,
            officer=request.officer,
            answers={key: True for key in data["answers"]},
            notes=data["notes"],
        )
        return f"Risk assessed as {result.get_level_display().lower()}."

    asb_case = _case(reference)
    latest = asb_case.risk_assessments.all()[:1]
    initial = {"answers": [k for k, v in latest[0].answers.items() if v]} if latest else None
    return _step(
        request,
        reference,
        forms.RiskAssessmentForm,
        asb_case=asb_case,
        title="Assess the risk",
        intro=(
            "Ask the victim these questions. Violence or the fear of harm makes the risk high. "
            "A higher level brings forward the first contact with each person who reported it."
        ),
        on_valid=run,
        initial=initial,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def add_action(request, reference):
    def run(asb_case, data, form):
        services.add_action(
            asb_case=asb_case,
            officer=request.officer,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
        )
        return "Action added to the plan."

    return _step(
        request,
        reference,
        forms.ActionForm,
        title="Add an action to the plan",
        on_valid=run,
        initial={"owner": request.officer.pk},
    )


@officer_required
@require_POST
def complete_action(request, pk):
    action = get_object_or_404(Action.objects.select_related("asb_case__case"), pk=pk)
    services.complete_action(action=action, officer=request.officer)
    messages.success(request, f"Action done: {action.description}")
    return redirect(_case_url(action.asb_case))


@officer_required
@require_http_methods(["GET", "POST"])
def record_contact(request, reference):
    def run(asb_case, data, form):
        services.record_contact(
            asb_case=asb_case,
            officer=request.officer,
            with_whom=data["with_whom"],
            method=data["method"],
            reached=data["reached"],
            note=data["note"],
            report=data["report"],
        )
        return "Contact recorded."

    return _step(
        request,
        reference,
        forms.ContactForm,
        title="Record a contact",
        intro="Reaching the person who reported it keeps our promise to contact them.",
        on_valid=run,
        form_kwargs=lambda asb_case: {"reports": list(asb_case.reports.all())},
        initial={"with_whom": ContactWith.REPORTER},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def add_incident(request, reference):
    def run(asb_case, data, form):
        services.add_incident(
            asb_case=asb_case,
            officer=request.officer,
            happened_on=data["happened_on"],
            what_happened=data["what_happened"],
            where=data["where"],
        )
        return "Added to the diary of incidents."

    return _step(
        request, reference, forms.IncidentForm, title="Add an incident to the diary", on_valid=run
    )


@officer_required
@require_http_methods(["GET", "POST"])
def add_person(request, reference):
    def run(asb_case, data, form):
        services.add_person(asb_case=asb_case, officer=request.officer, person=form.person())
        return "Person added."

    return _step(request, reference, forms.PersonForm, title="Add a person involved", on_valid=run)


@officer_required
@require_http_methods(["GET", "POST"])
def send_update(request, reference):
    def run(asb_case, data, form):
        updates = services.send_update(
            asb_case=asb_case, officer=request.officer, message=data["message"], report=data["to"]
        )
        return f"Update sent to {len(updates)} reporter{'s' if len(updates) != 1 else ''}."

    return _step(
        request,
        reference,
        forms.UpdateForm,
        title="Update the people who reported it",
        intro="Each reporter sees only their own report and the updates you send them.",
        on_valid=run,
        form_kwargs=lambda asb_case: {
            "reports": [r for r in asb_case.reports.all() if r.reporter_id]
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def record_review(request, reference):
    def run(asb_case, data, form):
        deadline = services.record_review(
            asb_case=asb_case, officer=request.officer, note=data["note"]
        )
        return f"Review recorded. Next review by {deadline.due_at.astimezone(LONDON):%-d %B %Y}."

    return _step(request, reference, forms.ReviewForm, title="Review the case", on_valid=run)


@officer_required
@require_http_methods(["GET", "POST"])
def hate_incident(request, reference):
    def run(asb_case, data, form):
        services.set_hate_incident(
            asb_case=asb_case, officer=request.officer, motivations=data["motivations"]
        )
        return (
            "Hate incident recorded." if data["motivations"] else "Recorded as not a hate incident."
        )

    asb_case = _case(reference)
    return _step(
        request,
        reference,
        forms.HateForm,
        asb_case=asb_case,
        title="Hate incident",
        intro=(
            "A hate incident is one the victim or anyone else thinks was motivated by hostility to "
            "disability, race, religion, sexual orientation or transgender identity."
        ),
        on_valid=run,
        initial={"motivations": asb_case.hate_motivations},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def change_owner(request, reference):
    def run(asb_case, data, form):
        services.reassign(asb_case=asb_case, officer=request.officer, owner=data["owner"])
        return f"{data['owner'].name} now has this case."

    asb_case = _case(reference)
    return _step(
        request,
        reference,
        forms.OwnerForm,
        asb_case=asb_case,
        title="Change the officer",
        on_valid=run,
        initial={"owner": asb_case.case.owner_id},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def close_case(request, reference):
    def run(asb_case, data, form):
        services.close_case(
            asb_case=asb_case,
            officer=request.officer,
            outcome=data["outcome"],
            note_to_reporters=data["note_to_reporters"],
            note=data["note"],
        )
        return "Case closed. The people who reported it have been told."

    return _step(request, reference, forms.CloseForm, title="Close the case", on_valid=run)


@officer_required
@require_http_methods(["GET", "POST"])
def move_report(request, reference, pk):
    asb_case = _case(reference)
    report = next((r for r in asb_case.reports.all() if r.pk == pk), None)
    if report is None:
        raise Http404("No such report on this case")

    def run(asb_case, data, form):
        to_case = None
        if data["destination"] == "existing":
            to_case = (
                AsbCase.objects.select_related("case")
                .filter(case__reference=data["reference"].strip())
                .first()
            )
            if to_case is None:
                raise services.AsbError("There is no ASB case with that reference")
        target = services.move_report(report=report, officer=request.officer, to_case=to_case)
        return f"The report is now on {target.case.reference}."

    return _step(
        request,
        reference,
        forms.MoveReportForm,
        asb_case=asb_case,
        title="Join or split this report",
        intro=(
            "Join it to another open case about the same people, or split it out into a case of its own "
            "when it is about different people."
        ),
        on_valid=run,
        extra={"report": report},
    )
