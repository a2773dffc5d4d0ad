"""Officers' complaint pages: log, acknowledge, extend, answer, escalate, refuse, learn, report."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from complaints import forms, rules, selectors, services, texts
from complaints.models import (
    AnnualReport,
    Complaint,
    ComplaintDocument,
    LearningEntry,
    RemedyAction,
    Stage,
)
from complaints.self_assessment import answered_items
from complaints.views import (
    report_csv_response,
    response_context,
    serve_document,
)
from portal.forms import posted
from portal.models import AuditEntry, Case, CaseKind, Resident, Tenancy
from portal.services.audit import record_audit
from portal.views.access import manager_required, officer_required
from portal.views.actions import carry_out, submit_form
from portal.workdays import LONDON, local_date


def _complaint(reference) -> Complaint:
    complaint = selectors.complaint_for_staff(reference)
    if complaint is None:
        raise Http404("No such complaint")
    return complaint


def _detail_url(complaint) -> str:
    return reverse("complaints_staff:detail", kwargs={"reference": complaint.reference})


def _form_page(
    request, complaint, form, *, title, intro="", on_valid, template="complaints/staff/action.html", extra=None
):
    """The shape of every action page: a form; when it is valid, the service, then the complaint."""
    context = {"complaint": complaint, "form": form, "title": title, "intro": intro, **(extra or {})}
    return submit_form(request, form, on_valid, success_url=_detail_url(complaint)) or render(
        request, template, context
    )


# -- lists ---------------------------------------------------------------------------------------------------


@officer_required
def complaint_list(request):
    show = request.GET.get("show", "")
    if show not in selectors.STAFF_FILTERS:
        show = ""
    page = Paginator(selectors.staff_complaints(show), 50).get_page(request.GET.get("page"))
    filters = [(key, label) for key, (label, _) in selectors.STAFF_FILTERS.items()]
    return render(request, "complaints/staff/list.html", {"page": page, "show": show, "filters": filters})


@officer_required
def open_actions(request):
    page = Paginator(selectors.open_actions(), 50).get_page(request.GET.get("page"))
    return render(request, "complaints/staff/actions.html", {"page": page, "today": local_date(timezone.now())})


@officer_required
def learning_entries(request):
    page = Paginator(
        LearningEntry.objects.select_related("complaint__case").order_by("-created_at", "-id"), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/staff/learning.html",
        {"page": page, "can_publish": services.can_publish(request.officer)},
    )


@officer_required
@require_POST
def publish_learning_entry(request, pk):
    entry = get_object_or_404(LearningEntry, pk=pk)
    publish = request.POST.get("publish") == "1"
    try:
        services.set_learning_entry_published(entry=entry, officer=request.officer, published=publish)
    except services.ComplaintError as error:
        raise PermissionDenied(str(error)) from None
    messages.success(request, "The entry is published." if publish else "The entry is no longer published.")
    return redirect(
        request.POST.get("next") if request.POST.get("next", "").startswith("/staff/") else "complaints_staff:learning"
    )


# -- logging a complaint -----------------------------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def log_complaint(request):
    resident = None
    if request.GET.get("resident", "").isdigit():
        resident = get_object_or_404(Resident, pk=request.GET["resident"])
    if resident is None:
        find = forms.FindTenancyForm(request.GET or None)
        tenancy = None
        if request.GET and find.is_valid():
            tenancy = (
                Tenancy.objects.filter(reference__iexact=find.cleaned_data["tenancy_reference"].strip())
                .select_related("home")
                .prefetch_related("residents")
                .first()
            )
            if tenancy is None:
                find.add_error("tenancy_reference", "No tenancy has that reference")
        find.helper.form_method = "get"
        return render(request, "complaints/staff/find_resident.html", {"form": find, "tenancy": tenancy})

    form = forms.LogComplaintForm(posted(request), posted(request, files=True))

    def log(data):
        received_on = data["received_on"]
        now = timezone.now()
        # Logged today: now. Received earlier (a letter): that day, so the clock starts from it.
        received_at = (
            now if received_on == local_date(now) else datetime.combine(received_on, time(9, 0), tzinfo=LONDON)
        )
        complaint = services.make_complaint(
            resident=resident,
            what_happened=data["what_happened"],
            outcome_wanted=data["outcome_wanted"],
            events_began_on=data["events_began_on"],
            channel=data["channel"],
            logged_by=request.officer,
            received_at=received_at,
            made_by=data["made_by"],
            representative_name=data["representative_name"],
            representative_role=data["representative_role"],
            representative_contact=data["representative_contact"],
            representative_consent=data["representative_consent"],
            representative_consent_note=data["representative_consent_note"],
            documents=data["documents"],
        )
        return (
            f"Complaint {complaint.reference} logged. The resident has been told.",
            _detail_url(complaint),
        )

    return submit_form(request, form, log) or render(
        request, "complaints/staff/log.html", {"form": form, "resident": resident}
    )


@officer_required
@require_http_methods(["GET", "POST"])
def raise_from_case(request, reference):
    case = get_object_or_404(Case.objects.select_related("resident", "home"), reference=reference)
    if case.kind == CaseKind.COMPLAINT:
        raise Http404("This is already a complaint")
    form = forms.RaiseFromCaseForm(posted(request))

    def raise_complaint(data):
        complaint = services.raise_complaint_from_case(
            case=case,
            officer=request.officer,
            what_happened=data["what_happened"],
            outcome_wanted=data["outcome_wanted"],
            channel=data["channel"],
        )
        return (
            f"Stage 1 complaint {complaint.reference} opened. {case.reference} carries on.",
            _detail_url(complaint),
        )

    return submit_form(request, form, raise_complaint) or render(
        request, "complaints/staff/raise_from_case.html", {"form": form, "case": case}
    )


# -- one complaint --------------------------------------------------------------------------------------------------


@officer_required
def complaint_detail(request, reference):
    complaint = _complaint(reference)
    case = complaint.case
    if case.resident_id:
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            resident=case.resident,
            subject=f"complaint {case.reference}",
        )
    stages = list(complaint.stages.all())
    current = next((s for s in stages if s.stage == complaint.stage), None)
    officer = request.officer
    excluded = services.stage1_handlers(complaint) if complaint.stage == Stage.STAGE_2 else set()
    return render(
        request,
        "complaints/staff/detail.html",
        {
            "complaint": complaint,
            "case": case,
            "stages": stages,
            "current": current,
            "deadlines": list(case.deadlines.all()),
            "events": list(case.events.all()),
            "may_handle": officer.pk not in excluded,
            "can_publish": services.can_publish(officer),
            "paid_pence": sum(p.amount_pence for p in complaint.payments.all()),
            "offered_pence": sum(s.compensation_pence for s in stages),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def acknowledge(request, reference):
    complaint = _complaint(reference)
    initial = {"understanding": complaint.what_happened, "outcome_sought": complaint.outcome_wanted}
    form = forms.AcknowledgeForm(posted(request), initial=initial)

    def run(data):
        record = services.acknowledge_complaint(
            complaint=complaint,
            officer=request.officer,
            understanding=data["understanding"],
            outcome_sought=data["outcome_sought"],
        )
        return f"Acknowledged. The response is due by {record.response_due_on:%A %-d %B %Y}."

    return _form_page(
        request,
        complaint,
        form,
        title=f"Acknowledge the stage {complaint.stage} complaint",
        intro=(
            "Define the complaint as you understand it and the outcome the resident wants. The resident is sent this."
        ),
        on_valid=run,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def extend(request, reference):
    complaint = _complaint(reference)
    current = complaint.stages.get(stage=complaint.stage)
    form = forms.ExtendForm(posted(request), days_left=current.extension_days_left)

    def run(data):
        record = services.extend_response_deadline(
            complaint=complaint, officer=request.officer, working_days=data["working_days"], reason=data["reason"]
        )
        return (
            f"Extended. The response is now due by {record.response_due_on:%A %-d %B %Y}. The resident has been told."
        )

    return _form_page(
        request,
        complaint,
        form,
        title="Extend the response deadline",
        intro=(
            f"At stage {current.stage} the response can be extended by at most {current.rules.max_extension} "
            f"working days in all. {current.extension_days_left} left."
        ),
        on_valid=run,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def respond(request, reference):
    complaint = _complaint(reference)
    current = complaint.stages.get(stage=complaint.stage)
    initial = {
        "definition": current.understanding or complaint.what_happened,
        "how_to_escalate": texts.how_to_escalate(stage=current.stage, reference=complaint.reference),
    }
    form = forms.ResponseForm(posted(request), initial=initial, stage=current.stage)

    def run(data):
        services.respond_to_complaint(
            complaint=complaint,
            officer=request.officer,
            definition=data["definition"],
            points=[services.PointDecision(point=p, decision=d, reasons=r) for p, d, r in data["points"]],
            reasons=data["reasons"],
            apology=data["apology"],
            actions=[services.PromisedAction(description=t, due_on=d) for t, d in data["actions"]],
            compensation_pence=data["compensation"],
            how_to_escalate=data["how_to_escalate"],
        )
        return "Response sent to the resident in their preferred way."

    return _form_page(
        request,
        complaint,
        form,
        title=f"{'Final ' if current.stage == Stage.STAGE_2 else ''}Stage {current.stage} response",
        intro="Fill in a decision for each point the resident raised. Leave unused points and actions blank.",
        on_valid=run,
        template="complaints/staff/respond.html",
        extra={"current": current},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def refuse(request, reference):
    complaint = _complaint(reference)
    stage1 = complaint.stages.get(stage=Stage.STAGE_1)
    form = forms.RefuseForm(
        posted(request), received_on=stage1.requested_on, initial={"events_began_on": complaint.events_began_on}
    )

    def run(data):
        services.refuse_complaint(
            complaint=complaint,
            officer=request.officer,
            ground=data["ground"],
            reason=data["reason"],
            events_began_on=data["events_began_on"],
        )
        return "The complaint was refused. The resident has been told why, and of their right to go to the Ombudsman."

    return _form_page(
        request,
        complaint,
        form,
        title="Refuse the complaint",
        intro=(
            "Only for a reason the Code allows. The resident is told the reason and their right to ask "
            "the Housing Ombudsman to look at it."
        ),
        on_valid=run,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def escalate(request, reference):
    complaint = _complaint(reference)
    form = forms.EscalateForStaffForm(posted(request))

    def run(data):
        record = services.escalate_complaint(complaint=complaint, logged_by=request.officer, channel=data["channel"])
        who = record.handler.name if record.handler else "nobody yet: assign someone who did not handle stage 1"
        return f"Escalated to stage 2. Handled by {who}."

    return _form_page(
        request,
        complaint,
        form,
        title="Escalate to stage 2",
        intro="The resident does not need to give a reason. Someone who did not handle stage 1 will handle stage 2.",
        on_valid=run,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def assign(request, reference):
    complaint = _complaint(reference)
    form = forms.AssignHandlerForm(posted(request))

    def run(data):
        record = services.assign_stage_handler(complaint=complaint, handler=data["handler"], actor=request.officer)
        return f"Stage {record.stage} is now handled by {record.handler.name}."

    return _form_page(request, complaint, form, title=f"Who handles stage {complaint.stage}", on_valid=run)


@officer_required
@require_http_methods(["GET", "POST"])
def learning(request, reference):
    complaint = _complaint(reference)
    initial = {"category": complaint.category, "root_cause": complaint.root_cause, "learning": complaint.learning}
    form = forms.LearningForm(posted(request), initial=initial)

    def run(data):
        services.record_learning(
            complaint=complaint,
            officer=request.officer,
            category=data["category"],
            root_cause=data["root_cause"],
            learning=data["learning"],
        )
        return "What we learned is saved."

    return _form_page(request, complaint, form, title="What we learned", on_valid=run)


@officer_required
@require_http_methods(["GET", "POST"])
def new_learning_entry(request, reference):
    complaint = _complaint(reference)
    can_publish = services.can_publish(request.officer)
    form = forms.LearningEntryForm(posted(request), can_publish=can_publish, initial={"we_did": complaint.learning})

    def run(data):
        entry = services.create_learning_entry(
            complaint=complaint,
            officer=request.officer,
            you_said=data["you_said"],
            we_did=data["we_did"],
            publish=data.get("publish", False),
        )
        return (
            "Published on the 'You said, we did' page."
            if entry.published
            else "Saved. A team leader or manager can publish it."
        )

    return _form_page(
        request,
        complaint,
        form,
        title="A 'You said, we did' entry",
        intro="Tell residents what this complaint changed. It appears on the public page once published.",
        on_valid=run,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def compensation(request, reference):
    complaint = _complaint(reference)
    form = forms.CompensationPaymentForm(posted(request))

    def run(data):
        payment = services.record_compensation_payment(
            complaint=complaint,
            officer=request.officer,
            amount_pence=data["amount"],
            paid_on=data["paid_on"],
            note=data["note"],
        )
        return f"Payment of £{payment.amount_pence / 100:,.2f} recorded."

    return _form_page(request, complaint, form, title="Record compensation paid", on_valid=run)


@officer_required
@require_http_methods(["GET", "POST"])
def complete_action(request, pk):
    action = get_object_or_404(RemedyAction.objects.select_related("complaint__case"), pk=pk)
    complaint = action.complaint
    form = forms.CompleteActionForm(posted(request))

    def run(data):
        services.complete_remedy_action(action=action, officer=request.officer, note=data["note"])
        return f"Done: {action.description}."

    return _form_page(
        request,
        complaint,
        form,
        title="Mark an action as done",
        intro=f"{action.description} (due {action.due_on:%-d %B %Y}). The resident sees this on their complaint.",
        on_valid=run,
    )


@officer_required
def response_page(request, reference, stage):
    complaint = _complaint(reference)
    context = response_context(complaint, stage)
    context["back_url"] = reverse("complaints_staff:detail", args=[reference])
    context["staff"] = True
    return render(request, "complaints/response.html", context)


@officer_required
def document(request, reference, pk):
    found = get_object_or_404(
        ComplaintDocument.objects.select_related("complaint__case__resident"),
        pk=pk,
        complaint__case__reference=reference,
    )
    if found.complaint.case.resident_id:
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            resident=found.complaint.case.resident,
            subject=f"complaint {reference}: document {found.pk}",
        )
    return serve_document(found)


# -- the annual report ------------------------------------------------------------------------------------------


def _default_year() -> int:
    """The latest financial year that has ended."""
    return rules.financial_year_of(local_date(timezone.now())) - 1


def _years():
    current = rules.financial_year_of(local_date(timezone.now()))
    return [(year, rules.financial_year_label(year)) for year in range(current, current - 6, -1)]


@manager_required
def report(request):
    try:
        year = int(request.GET.get("year", _default_year()))
    except ValueError:
        year = _default_year()
    if not 2000 <= year <= 2100:
        raise Http404("No such year")
    annual = AnnualReport.objects.filter(year=year).first()
    return render(
        request,
        "complaints/staff/report.html",
        {
            "year": year,
            "label": rules.financial_year_label(year),
            "years": _years(),
            "figures": selectors.annual_figures(year),
            "annual": annual,
            "checklist": answered_items(annual.self_assessment if annual else {}),
            "year_ended": year < rules.financial_year_of(local_date(timezone.now())),
        },
    )


@manager_required
def report_csv(request, year):
    return report_csv_response(year)


@manager_required
@require_http_methods(["GET", "POST"])
def self_assessment(request, year):
    annual = AnnualReport.objects.filter(year=year).first()
    initial = forms.SelfAssessmentForm.initial_from(
        annual.self_assessment if annual else {}, annual.improvements if annual else ""
    )
    form = forms.SelfAssessmentForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.save_self_assessment(
            year=year, officer=request.officer, answers=form.answers(), improvements=form.cleaned_data["improvements"]
        )
        messages.success(request, "The self-assessment is saved.")
        return redirect(f"{reverse('complaints_staff:report')}?year={year}")
    return render(
        request,
        "complaints/staff/self_assessment.html",
        {"form": form, "year": year, "label": rules.financial_year_label(year)},
    )


@manager_required
@require_POST
def publish_report(request, year):
    publish = request.POST.get("publish") == "1"

    def run():
        services.publish_annual_report(year=year, officer=request.officer, publish=publish)
        return "The report is published." if publish else "The report is no longer published."

    return carry_out(request, run, then=f"{reverse('complaints_staff:report')}?year={year}")
