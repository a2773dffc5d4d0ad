"""Staff repair pages: the repairs list, a repair's page with its actions (triage, assign, visits,
completion, the Awaab's Law steps, safety actions), a new hazard, and RP02 performance.

The generic case page (/staff/cases/<reference>/) keeps notes, contacts, assignment to an
officer and status; this page adds what only a repair has."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal.forms import posted
from portal.models import AuditEntry, CaseKind, CaseStatus
from portal.services.audit import record_audit
from portal.uploads import stored_file_response
from portal.views.access import officer_required
from portal.views.actions import submit_form
from portal.workdays import local_date
from repairs import catalogue, selectors, services
from repairs.forms import (
    AssignForm,
    CompleteForm,
    FlagHazardForm,
    HazardSummaryForm,
    InvestigationForm,
    NewHazardForm,
    PriorityForm,
    SafetyActionForm,
    StaffCancelAppointmentForm,
    StaffSlotForm,
    VisitForm,
    WorkNoteForm,
)
from repairs.models import AppointmentStatus, OperativeTeam, RepairPhoto, RepairPriority


def _related(obj, relation):
    try:
        return getattr(obj, relation)
    except ObjectDoesNotExist:
        return None


@officer_required
def repair_list(request):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "open")
    if status not in ("open", "closed", "all"):
        status = "open"
    priority = request.GET.get("priority", "")
    team = request.GET.get("team", "")
    cases = selectors.staff_case_list(
        kind=kind, status=status, priority=priority, team=team if team.isdigit() else ""
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "repairs/staff/list.html",
        {
            "page": page,
            "kind": kind,
            "status": status,
            "priority": priority,
            "team": team,
            "kinds": [(k, CaseKind(k).label) for k in selectors.REPAIR_CASE_KINDS],
            "priorities": RepairPriority.objects.filter(is_active=True),
            "teams": OperativeTeam.objects.filter(is_active=True),
        },
    )


# Each action on a repair's page: (form class, what it needs on the case, extra form arguments).
ACTIONS = {
    "priority": PriorityForm,
    "assign": AssignForm,
    "visit": VisitForm,
    "complete": CompleteForm,
    "flag_hazard": FlagHazardForm,
    "investigation": InvestigationForm,
    "summary": HazardSummaryForm,
    "safety_work": WorkNoteForm,
    "further_work": WorkNoteForm,
    "close_hazard": WorkNoteForm,
    "safety_action": SafetyActionForm,
}
SUBMIT_LABELS = {
    "safety_work": "Record the safety work as done",
    "further_work": "Record the further works as begun",
    "close_hazard": "Close the hazard case",
}


def _forms(bound_action=None, data=None, repair=None):
    forms = {}
    for action, form_class in ACTIONS.items():
        kwargs = {"prefix": action}
        if form_class is WorkNoteForm:
            kwargs["submit_label"] = SUBMIT_LABELS[action]
        if action == "priority" and repair is not None:
            kwargs["initial"] = {"priority": repair.priority_id}
        if action == "assign" and repair is not None:
            kwargs["initial"] = {"team": repair.assigned_team_id}
        forms[action] = form_class(data if action == bound_action else None, **kwargs)
    return forms


def _perform(action, form, case, officer):
    """Carry out one action with its valid form. Returns the message for the officer."""
    repair = _related(case, "repair")
    hazard = _related(case, "hazard")
    concern = _related(case, "safety_concern")
    data = form.cleaned_data
    if action == "priority" and repair:
        services.change_priority(
            repair=repair, priority=data["priority"], reason=data["reason"], officer=officer
        )
        return f"Priority changed to {data['priority'].name.lower()}; the resident has been told."
    if action == "assign" and repair:
        services.assign_repair(repair=repair, team=data["team"], officer=officer)
        return f"Assigned to {data['team'].name}."
    if action == "visit" and repair:
        visit = services.record_visit(
            repair=repair,
            officer=officer,
            outcome=data["outcome"],
            note=data["note"],
            follow_on_work=data["follow_on_work"],
        )
        return f"Visit recorded: {visit.get_outcome_display().lower()}."
    if action == "complete" and repair:
        services.complete_repair(repair=repair, officer=officer, note=data["note"])
        return "Repair completed. The resident has been asked how satisfied they are."
    if action == "flag_hazard" and hazard is None:
        services.flag_hazard(
            officer=officer,
            case=case,
            description=data["description"],
            is_emergency=data["is_emergency"],
        )
        return "Hazard flagged: the Awaab's Law clocks have started."
    if action == "investigation" and hazard:
        services.record_investigation(
            hazard=hazard,
            officer=officer,
            findings=data["findings"],
            severity=data["severity"],
            further_work_needed=data["further_work_needed"],
        )
        return "Investigation recorded. The written summary is due within 3 working days."
    if action == "summary" and hazard:
        services.send_hazard_summary(hazard=hazard, officer=officer, summary=data["summary"])
        return "Summary sent to the tenant."
    if action == "safety_work" and hazard:
        services.record_safety_work(hazard=hazard, officer=officer, note=data["note"])
        return "Safety work recorded."
    if action == "further_work" and hazard:
        services.record_further_work_begun(hazard=hazard, officer=officer, note=data["note"])
        return "Further works recorded as begun."
    if action == "close_hazard" and hazard:
        services.close_hazard(hazard=hazard, officer=officer, note=data["note"])
        return "Hazard case closed."
    if action == "safety_action" and concern:
        services.record_safety_action(
            concern=concern, officer=officer, action=data["action"], resolved=data["resolved"]
        )
        return "Action recorded; the resident has been told."
    raise services.RepairError("That cannot be done to this case")


@officer_required
@require_http_methods(["GET", "POST"])
def case_detail(request, reference):
    case = selectors.staff_case(reference)
    if case is None:
        raise Http404("No such repair")
    repair = _related(case, "repair")
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _forms(action if action in ACTIONS else None, posted(request), repair)
    failed = None
    if action in ACTIONS:
        form = forms[action]
        done = submit_form(
            request,
            form,
            lambda data: _perform(action, form, case, request.officer),
            success_url=reverse("repairs_staff:detail", args=[reference]),
        )
        if done:
            return done
        failed = form
    elif case.resident_id:
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            resident=case.resident,
            subject=f"case {case.reference}",
        )
    hazard = _related(case, "hazard")
    concern = _related(case, "safety_concern")
    appointments = (
        sorted(repair.appointments.all(), key=lambda a: a.booked_at, reverse=True) if repair else []
    )
    booked = next((a for a in appointments if a.status == AppointmentStatus.BOOKED), None)
    return render(
        request,
        "repairs/staff/detail.html",
        {
            "case": case,
            "repair": repair,
            "hazard": hazard,
            "concern": concern,
            "forms": forms,
            "failed": failed,
            "failed_action": action if failed else None,
            "appointments": appointments,
            "booked_appointment": booked,
            "may_book": bool(
                repair
                and not repair.is_complete
                and repair.priority.bookable
                and case.home_id
                and case.status in CaseStatus.open_values()
            ),
            "emergency": catalogue.EMERGENCIES.get(repair.emergency) if repair else None,
            "questions": [
                (catalogue.QUESTIONS[code].text, answer)
                for code, answer in repair.answers.items()
                if code in catalogue.QUESTIONS
            ]
            if repair
            else [],
            "satisfaction": _related(repair, "satisfaction") if repair else None,
            "is_open": case.status in CaseStatus.open_values(),
        },
    )


# -- booking for a resident ----------------------------------------------------------------------------
# A resident who phones in gets the same slots, the same capacity, the same message and timeline
# entry as booking online; the booking is also audited as the officer's.

SLOTS_PER_PAGE = 20


def _bookable(reference):
    """The repair, or a redirect to its page (with why) when it cannot have an appointment."""
    repair = selectors.staff_repair(reference)
    if repair is None:
        raise Http404("No such repair")
    case = repair.case
    if (
        repair.is_complete
        or not repair.priority.bookable
        or case.home_id is None
        or case.status not in CaseStatus.open_values()
    ):
        return repair, "This repair cannot have an appointment booked."
    return repair, None


def _slot_page(request, repair, *, form=None, page=None, status=200):
    """The list of offered slots; with a bound form when a choice came back with an error."""
    current = selectors.booked_appointment(repair)
    if page is None:
        slots = selectors.offered_slots(repair).select_related("team")
        page = Paginator(slots, SLOTS_PER_PAGE).get_page(request.GET.get("page"))
    label = "Choose a new slot" if current else "Choose a slot"
    if form is None:
        form = StaffSlotForm(slots=page.object_list, label=label)
    earliest, latest = selectors.booking_window(repair)
    return render(
        request,
        "repairs/staff/appointment_slots.html",
        {
            "repair": repair,
            "case": repair.case,
            "resident": repair.case.resident,
            "current": current,
            "current_when": services.slot_words(current.slot) if current else "",
            "form": form,
            "page": page,
            "title": f"{label} for {repair.case.reference}",
            "earliest": earliest,
            "latest": latest,
        },
        status=status,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def choose_slot(request, reference):
    repair, refused = _bookable(reference)
    if refused:
        messages.error(request, refused)
        return redirect("repairs_staff:detail", reference)
    if request.method == "POST":
        slots = selectors.offered_slots(repair).select_related("team")
        page = Paginator(slots, SLOTS_PER_PAGE).get_page(request.GET.get("page"))
        current = selectors.booked_appointment(repair)
        label = "Choose a new slot" if current else "Choose a slot"
        form = StaffSlotForm(request.POST, slots=page.object_list, label=label)
        if form.is_valid():
            return redirect("repairs_staff:confirm_slot", reference, int(form.cleaned_data["slot"]))
        return _slot_page(request, repair, form=form, page=page)
    return _slot_page(request, repair)


@officer_required
@require_http_methods(["GET", "POST"])
def confirm_slot(request, reference, slot_id):
    repair, refused = _bookable(reference)
    if refused:
        messages.error(request, refused)
        return redirect("repairs_staff:detail", reference)
    current = selectors.booked_appointment(repair)
    if current is not None and current.slot_id == slot_id:
        # Already booked there: this form was sent twice, or went back and sent again.
        messages.success(
            request, f"The appointment is booked for {services.slot_words(current.slot)}."
        )
        return redirect("repairs_staff:detail", reference)
    slot = selectors.offered_slots(repair).select_related("team").filter(pk=slot_id).first()
    if slot is not None and request.method == "POST":
        try:
            appointment = services.book_appointment(
                repair=repair, slot=slot, officer=request.officer
            )
        except services.SlotTaken:
            slot = None
        except services.RepairError as error:
            messages.error(request, str(error))
            return redirect("repairs_staff:detail", reference)
        else:
            moved = "moved to" if current else "booked for"
            messages.success(
                request,
                f"Appointment {moved} {services.slot_words(appointment.slot)}. "
                f"The resident has been told.",
            )
            return redirect("repairs_staff:detail", reference)
    if slot is None:
        # Filled (or gone) since it was chosen: back to the list, saying so, nothing lost.
        # Bound to the choice that failed: it is no longer among the offered slots, so the
        # form explains, next to the list, that it has filled up.
        slots = selectors.offered_slots(repair).select_related("team")
        page = Paginator(slots, SLOTS_PER_PAGE).get_page(request.GET.get("page"))
        label = "Choose a new slot" if current else "Choose a slot"
        form = StaffSlotForm({"slot": str(slot_id)}, slots=page.object_list, label=label)
        return _slot_page(request, repair, form=form, page=page)
    return render(
        request,
        "repairs/staff/appointment_confirm.html",
        {
            "repair": repair,
            "case": repair.case,
            "resident": repair.case.resident,
            "slot": slot,
            "when": services.slot_words(slot),
            "current": current,
            "current_when": services.slot_words(current.slot) if current else "",
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def cancel_appointment(request, reference):
    repair = selectors.staff_repair(reference)
    if repair is None:
        raise Http404("No such repair")
    appointment = selectors.booked_appointment(repair)
    if appointment is None:
        # Nothing booked (or it was cancelled a moment ago, by a second click or by the resident).
        messages.success(request, "There is no appointment booked for this repair.")
        return redirect("repairs_staff:detail", reference)
    form = StaffCancelAppointmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.cancel_appointment(
            appointment=appointment, officer=request.officer, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Appointment cancelled. The resident has been told.")
        return redirect("repairs_staff:detail", reference)
    return render(
        request,
        "repairs/staff/appointment_cancel.html",
        {
            "repair": repair,
            "case": repair.case,
            "resident": repair.case.resident,
            "appointment": appointment,
            "when": services.slot_words(appointment.slot),
            "form": form,
        },
    )


@officer_required
def photo(request, public_id):
    found = get_object_or_404(
        RepairPhoto.objects.select_related("repair__case__resident"), public_id=public_id
    )
    if found.repair_id is None:
        raise Http404("Not part of a repair yet")
    record_audit(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        resident=found.repair.case.resident,
        subject=f"case {found.repair.case.reference}: photo",
    )
    return stored_file_response(
        found.image, content_type=found.content_type, cache_control="private, max-age=3600"
    )


@officer_required
@require_http_methods(["GET", "POST"])
def new_hazard(request):
    form = NewHazardForm(posted(request))
    if request.method == "POST" and form.is_valid():
        hazard = services.flag_hazard(
            officer=request.officer,
            home=form.home,
            description=form.cleaned_data["description"],
            is_emergency=form.cleaned_data["is_emergency"],
        )
        messages.success(
            request, f"Hazard {hazard.case.reference} opened: the Awaab's Law clocks have started."
        )
        return redirect("repairs_staff:detail", hazard.case.reference)
    return render(request, "repairs/staff/new_hazard.html", {"form": form})


@officer_required
def performance(request):
    today = local_date(timezone.now())
    this_year = selectors.financial_year_start(today)
    try:
        year_start = date(int(request.GET.get("year", this_year.year)), 4, 1)
    except ValueError:
        year_start = this_year
    year_end = date(year_start.year + 1, 4, 1)
    months = selectors.repairs_completed_within_target(start=year_start, end=year_end, by="month")
    years = selectors.repairs_completed_within_target(
        start=date(this_year.year - 2, 4, 1), end=date(this_year.year + 1, 4, 1), by="year"
    )
    return render(
        request,
        "repairs/staff/performance.html",
        {
            "months": months,
            "total": selectors.rp02_totals(months),
            "years": years,
            "year_start": year_start,
            "year_label": f"{year_start.year} to {year_start.year + 1}",
            "year_choices": [this_year.year - n for n in range(3)],
            "satisfaction": selectors.repair_satisfaction(start=year_start, end=year_end),
        },
    )
