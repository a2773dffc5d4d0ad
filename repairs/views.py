"""Residents' repair pages: report a repair one question at a time, follow it, choose and change
an appointment, say how satisfied they were; report a building-safety concern."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from portal.forms import posted
from portal.uploads import stored_file_response
from portal.views.access import resident_required
from portal.views.actions import carry_out
from repairs import catalogue, selectors, services
from repairs.flow import (
    ACCESS,
    CATEGORY,
    CHECK,
    DESCRIPTION,
    PHOTOS,
    PROBLEM,
    WHERE,
    ReportFlow,
    question_step,
)
from repairs.forms import (
    AccessForm,
    ChoiceQuestionForm,
    ChooseDayForm,
    ChooseTimeForm,
    DescriptionForm,
    PhotosForm,
    SafetyConcernForm,
    SatisfactionForm,
    WhereForm,
    YesNoForm,
)
from repairs.models import AppointmentStatus, SlotWindow
from repairs.photos import PhotoRejected

CAPTION = "Report a repair"
DAYS_SHOWN = 10


# -- your repairs ---------------------------------------------------------------------------------------


@resident_required
def index(request):
    from django.core.paginator import Paginator

    page = Paginator(selectors.resident_repair_cases(request.resident), 20).get_page(
        request.GET.get("page")
    )
    home = selectors.current_home(request.resident)
    return render(
        request,
        "repairs/index.html",
        {
            "page": page,
            "home": home,
            "may_report": bool(home and services.locations_for_home(home)),
        },
    )


def _case_or_404(request, reference):
    case = selectors.case_for_resident(request.resident, reference)
    if case is None:
        # The same answer whether it does not exist or is someone else's.
        raise Http404("No such repair")
    return case


@resident_required
def repair_detail(request, reference):
    case = _case_or_404(request, reference)
    repair = _related(case, "repair")
    context = {
        "case": case,
        "repair": repair,
        "hazard": _related(case, "hazard"),
        "concern": _related(case, "safety_concern"),
        "gas_phone": settings.GAS_EMERGENCY_PHONE,
    }
    if repair is not None:
        context.update(
            {
                "appointment": repair.booked_appointments[0]
                if repair.booked_appointments
                else None,
                "can_book": not repair.is_complete and repair.priority.bookable,
                "emergency": catalogue.EMERGENCIES.get(repair.emergency),
                "satisfaction": _related(repair, "satisfaction"),
            }
        )
    return render(request, "repairs/detail.html", context)


def _related(obj, relation: str):
    """A reverse one-to-one (fetched by select_related), or None when there is none."""
    try:
        return getattr(obj, relation)
    except ObjectDoesNotExist:
        return None


@resident_required
def reported(request, reference):
    repair = selectors.repair_for_resident(request.resident, reference)
    if repair is None:
        raise Http404("No such repair")
    case = repair.case
    target = case.deadlines.filter(
        kind="repair_target", met_at__isnull=True, stopped_at__isnull=True
    ).first()
    return render(
        request,
        "repairs/reported.html",
        {
            "repair": repair,
            "case": case,
            "target": target,
            "emergency": catalogue.EMERGENCIES.get(repair.emergency),
            "hazard": case.deadlines.filter(kind="hazard_investigation").first(),
            "gas_phone": settings.GAS_EMERGENCY_PHONE,
            "can_book": repair.priority.bookable and selectors.offered_slots(repair).exists(),
        },
    )


@resident_required
def photo(request, public_id):
    found = selectors.photo_for_resident(request.resident, public_id)
    if found is None:
        raise Http404("No such photo")
    return stored_file_response(
        found.image, content_type=found.content_type, cache_control="private, max-age=3600"
    )


# -- reporting a repair: the question pages ------------------------------------------------------------------

STEP_URLS = {
    WHERE: "repairs:report_where",
    CATEGORY: "repairs:report_category",
    PROBLEM: "repairs:report_problem",
    DESCRIPTION: "repairs:report_description",
    PHOTOS: "repairs:report_photos",
    ACCESS: "repairs:report_access",
    CHECK: "repairs:report_check",
}


def step_url(step: str, *, change: bool = False) -> str:
    if step.startswith("question:"):
        url = reverse("repairs:report_question", args=[step.split(":", 1)[1]])
    else:
        url = reverse(STEP_URLS[step])
    return f"{url}?change=1" if change else url


@resident_required
@require_http_methods(["GET", "POST"])
def report_start(request):
    home = selectors.current_home(request.resident)
    locations = services.locations_for_home(home) if home else []
    if request.method == "POST" and locations:
        ReportFlow.start(request.session, home_id=home.pk, contact_phone=request.resident.phone)
        return redirect("repairs:report_where")
    return render(
        request,
        "repairs/report/start.html",
        {
            "home": home,
            "may_report_inside": bool(home and services.may_report_inside(home)),
            "locations": locations,
            "gas_phone": settings.GAS_EMERGENCY_PHONE,
            "saturdays": settings.REPAIRS_SATURDAY_APPOINTMENTS,
        },
    )


class _Redirect(Exception):
    def __init__(self, response):
        self.response = response


def _step(request, step: str):
    """The flow and home for a question page, or a redirect to where the resident should be."""
    flow = ReportFlow(request.session)
    posted = request.POST.get("token") if request.method == "POST" else None
    if posted and posted != flow.token:
        # A form sent again after the report went in (a double click, the back button).
        done = services.find_reported(token=posted, resident=request.resident)
        raise _Redirect(
            redirect("repairs:reported", done.case.reference)
            if done
            else redirect("repairs:report_start")
        )
    if not flow.started:
        raise _Redirect(redirect("repairs:report_start"))
    home = selectors.current_home(request.resident)
    if home is None or home.pk != flow.home_id:
        flow.clear()
        raise _Redirect(redirect("repairs:report_start"))
    if not flow.may_visit(step):
        raise _Redirect(redirect(step_url(flow.first_unanswered())))
    return flow, home


def _context(request, flow, step, form, title, **extra):
    change = request.GET.get("change") == "1"
    previous = flow.previous(step)
    if change:
        back = reverse("repairs:report_check")
    elif previous:
        back = step_url(previous)
    else:
        back = reverse("repairs:report_start")
    return {
        "form": form,
        "flow": flow,
        "title": title,
        "back_url": back,
        "caption": CAPTION,
        **extra,
    }


def _after(request, flow, step):
    """Where to go once a page is answered: back to check your answers when changing an answer
    and nothing new is needed, otherwise the next unanswered page."""
    if request.GET.get("change") == "1" and flow.complete:
        return redirect("repairs:report_check")
    following = flow.following(step)
    if flow.is_answered(following) and following != CHECK:
        following = flow.first_unanswered()
    return redirect(step_url(following))


def _raise_now(request, flow, home):
    """An emergency: raise it at once with what we know, and show what to do."""
    repair = services.report_repair(
        resident=request.resident,
        home=home,
        location=flow.location.code,
        category=flow.category.code,
        problem=flow.problem.code,
        answers=flow.answers,
        description=flow.get("description"),
        access_notes=flow.get("access_notes"),
        contact_phone=flow.get("contact_phone"),
        token=flow.token,
    )
    flow.clear()
    return redirect("repairs:reported", repair.case.reference)


def _report_step(step):
    """Decorate a question page: residents only, in a started report, in order."""

    def decorate(view):
        @resident_required
        @require_http_methods(["GET", "POST"])
        def wrapper(request, *args, **kwargs):
            try:
                flow, home = _step(request, step(kwargs) if callable(step) else step)
            except _Redirect as redirection:
                return redirection.response
            return view(request, flow, home, *args, **kwargs)

        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


@_report_step(WHERE)
def report_where(request, flow, home):
    locations = services.locations_for_home(home)
    form = WhereForm(posted(request), locations=locations, initial={"where": flow.get("where")})
    if request.method == "POST" and form.is_valid():
        flow.set_where(form.cleaned_data["where"])
        return _after(request, flow, WHERE)
    if not services.may_report_inside(home):
        form.fields["where"].help_text = (
            "You look after repairs inside your home. Here you can report problems with the shared parts of "
            "your building."
        )
    return render(
        request,
        "repairs/report/question.html",
        _context(request, flow, WHERE, form, "Where is the problem?"),
    )


@_report_step(CATEGORY)
def report_category(request, flow, home):
    categories = catalogue.categories_for(flow.location)
    form = ChoiceQuestionForm(
        posted(request),
        label="What is the problem with?",
        items=categories,
        error="Select what the problem is with",
        initial={"answer": flow.get("category")},
    )
    if request.method == "POST" and form.is_valid():
        flow.set_category(form.cleaned_data["answer"])
        return _after(request, flow, CATEGORY)
    return render(
        request,
        "repairs/report/question.html",
        _context(request, flow, CATEGORY, form, "What is the problem with?"),
    )


@_report_step(PROBLEM)
def report_problem(request, flow, home):
    category = flow.category
    problems = catalogue.problems_for(category, flow.location)
    title = f"{category.label}: what is wrong?"
    form = ChoiceQuestionForm(
        posted(request),
        label=title,
        items=problems,
        hint=category.hint,
        error="Select what is wrong",
        initial={"answer": flow.get("problem")},
    )
    if request.method == "POST" and form.is_valid():
        flow.set_problem(form.cleaned_data["answer"])
        if flow.problem.always_emergency:
            return _raise_now(request, flow, home)
        return _after(request, flow, PROBLEM)
    return render(
        request, "repairs/report/question.html", _context(request, flow, PROBLEM, form, title)
    )


@_report_step(lambda kwargs: question_step(kwargs["code"]))
def report_question(request, flow, home, code):
    question = catalogue.QUESTIONS[code]
    answers = flow.answers
    initial = {"answer": ("yes" if answers[code] else "no")} if code in answers else {}
    form = YesNoForm(posted(request), question=question, initial=initial)
    if request.method == "POST" and form.is_valid():
        flow.set_answer(code, form.cleaned_data["answer"] == "yes")
        if flow.emergency() is not None:
            return _raise_now(request, flow, home)
        return _after(request, flow, question_step(code))
    return render(
        request,
        "repairs/report/question.html",
        _context(request, flow, question_step(code), form, question.text),
    )


@_report_step(DESCRIPTION)
def report_description(request, flow, home):
    form = DescriptionForm(posted(request), initial={"description": flow.get("description")})
    if request.method == "POST" and form.is_valid():
        flow.set(description=form.cleaned_data["description"].strip())
        if catalogue.mentions_gas(flow.get("description")):
            return _raise_now(request, flow, home)
        return _after(request, flow, DESCRIPTION)
    return render(
        request,
        "repairs/report/question.html",
        _context(request, flow, DESCRIPTION, form, "Describe the problem"),
    )


@_report_step(PHOTOS)
def report_photos(request, flow, home):
    form = PhotosForm(posted(request), posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["photos"]
        try:
            if uploads:
                services.add_photos(resident=request.resident, token=flow.token, uploads=uploads)
        except PhotoRejected as rejected:
            form.add_error("photos", str(rejected))
        else:
            if "upload" in request.POST:
                added = len(uploads)
                if added:
                    messages.success(request, f"{added} photo{'s' if added != 1 else ''} added.")
                return redirect(step_url(PHOTOS, change=request.GET.get("change") == "1"))
            flow.set(photos_seen=True)
            return _after(request, flow, PHOTOS)
    photos = selectors.pending_photos(request.resident, flow.token)
    return render(
        request,
        "repairs/report/photos.html",
        _context(
            request,
            flow,
            PHOTOS,
            form,
            "Add photos of the problem",
            photos=photos,
            max_photos=settings.REPAIR_PHOTO_MAX_COUNT,
            room_for_more=len(photos) < settings.REPAIR_PHOTO_MAX_COUNT,
        ),
    )


@resident_required
@require_POST
def remove_report_photo(request, public_id):
    flow = ReportFlow(request.session)
    found = selectors.photo_for_resident(request.resident, public_id)
    if (
        found is None
        or not flow.started
        or str(found.report_token) != flow.token
        or found.repair_id
    ):
        raise Http404("No such photo")
    services.remove_photo(resident=request.resident, photo=found)
    messages.success(request, "Photo removed.")
    return redirect(step_url(PHOTOS, change=request.GET.get("change") == "1"))


@_report_step(ACCESS)
def report_access(request, flow, home):
    form = AccessForm(
        posted(request),
        initial={
            "access_notes": flow.get("access_notes"),
            "contact_phone": flow.get("contact_phone"),
        },
    )
    if request.method == "POST" and form.is_valid():
        flow.set(access_given=True, **form.cleaned_data)
        return _after(request, flow, ACCESS)
    return render(
        request,
        "repairs/report/question.html",
        _context(
            request,
            flow,
            ACCESS,
            form,
            "Getting in to do the repair",
            heading="Getting in to do the repair",
        ),
    )


@_report_step(CHECK)
def report_check(request, flow, home):
    if request.method == "POST":
        try:
            repair = services.report_repair(
                resident=request.resident,
                home=home,
                location=flow.location.code,
                category=flow.category.code,
                problem=flow.problem.code,
                answers=flow.answers,
                description=flow.get("description"),
                access_notes=flow.get("access_notes"),
                contact_phone=flow.get("contact_phone"),
                token=flow.token,
            )
        except services.RepairNotAllowed as refused:
            flow.clear()
            messages.error(request, str(refused))
            return redirect("repairs:report_start")
        flow.clear()
        return redirect("repairs:reported", repair.case.reference)
    problem = flow.problem
    priority = services.priority_for(problem, flow.emergency())
    return render(
        request,
        "repairs/report/check.html",
        {
            "flow": flow,
            "caption": CAPTION,
            "back_url": step_url(flow.previous(CHECK)),
            "location": flow.location,
            "category": flow.category,
            "problem": problem,
            "questions": [
                (catalogue.QUESTIONS[code], flow.answers[code])
                for code in problem.questions
                if code in flow.answers
            ],
            "photos": selectors.pending_photos(request.resident, flow.token),
            "priority": priority,
            "question_url": lambda code: step_url(question_step(code), change=True),
            "home": home,
        },
    )


# -- appointments -----------------------------------------------------------------------------------------


def _bookable_repair(request, reference):
    repair = selectors.repair_for_resident(request.resident, reference)
    if repair is None:
        raise Http404("No such repair")
    if repair.is_complete or not repair.priority.bookable:
        messages.error(request, "This repair does not need an appointment.")
        raise _Redirect(redirect("repairs:detail", reference))
    return repair


@resident_required
@require_http_methods(["GET", "POST"])
def choose_day(request, reference):
    try:
        repair = _bookable_repair(request, reference)
    except _Redirect as redirection:
        return redirection.response
    current = selectors.booked_appointment(repair)
    days = selectors.offered_days(repair, limit=DAYS_SHOWN)
    label = (
        "Choose a new day for your appointment"
        if current
        else "Which day suits you for the appointment?"
    )
    form = ChooseDayForm(posted(request), days=days, label=label)
    if request.method == "POST" and form.is_valid():
        return redirect("repairs:choose_time", reference, form.cleaned_data["day"])
    return render(
        request,
        "repairs/appointment_day.html",
        {
            "repair": repair,
            "case": repair.case,
            "form": form,
            "days": days,
            "current": current,
            "title": label,
            "saturdays": settings.REPAIRS_SATURDAY_APPOINTMENTS,
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def choose_time(request, reference, day):
    try:
        repair = _bookable_repair(request, reference)
        chosen = date.fromisoformat(day)
    except _Redirect as redirection:
        return redirection.response
    except ValueError:
        raise Http404("Not a date") from None
    from portal.templatetags.doorstep import govuk_date

    offered = next((d for d in selectors.offered_days(repair) if d.day == chosen), None)
    if offered is None:
        messages.error(request, "There are no appointments left on that day. Choose another day.")
        return redirect("repairs:choose_day", reference)
    label = f"What time on {govuk_date(chosen, True)}?"
    form = ChooseTimeForm(posted(request), times=offered.times, label=label)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = services.book_time(
                repair=repair, day=chosen, window=form.cleaned_data["window"], actor=request.user
            )
        except services.SlotTaken:
            form.add_error("window", "Sorry, that time has just been taken. Choose another time")
        else:
            messages.success(
                request, f"Your appointment is booked for {services.slot_words(appointment.slot)}."
            )
            return redirect("repairs:detail", reference)
    return render(
        request,
        "repairs/appointment_time.html",
        {
            "repair": repair,
            "case": repair.case,
            "form": form,
            "title": label,
            "day": chosen,
            "evening": dict(SlotWindow.choices)[SlotWindow.EVENING],
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def cancel_appointment(request, reference):
    repair = selectors.repair_for_resident(request.resident, reference)
    if repair is None:
        raise Http404("No such repair")
    appointment = selectors.booked_appointment(repair)
    if appointment is None:
        return redirect("repairs:detail", reference)
    if request.method == "POST":
        services.cancel_appointment(appointment=appointment, actor=request.user)
        messages.success(
            request, "Your appointment is cancelled. You can choose another time when it suits you."
        )
        return redirect("repairs:detail", reference)
    return render(
        request,
        "repairs/appointment_cancel.html",
        {
            "repair": repair,
            "case": repair.case,
            "appointment": appointment,
            "when": services.slot_words(appointment.slot),
            "status": AppointmentStatus,
        },
    )


# -- after the repair ----------------------------------------------------------------------------------


@resident_required
@require_http_methods(["GET", "POST"])
def satisfaction(request, reference):
    repair = selectors.repair_for_resident(request.resident, reference)
    if repair is None:
        raise Http404("No such repair")
    if not repair.is_complete or _related(repair, "satisfaction") is not None:
        return redirect("repairs:detail", reference)
    form = SatisfactionForm(posted(request))
    if request.method == "POST" and form.is_valid():

        def answer():
            services.answer_satisfaction(
                repair=repair, resident=request.resident, **form.cleaned_data
            )
            return "Thank you. Your answer helps us improve our repairs."

        return carry_out(request, answer, then=reverse("repairs:detail", args=[reference]))
    return render(
        request, "repairs/satisfaction.html", {"repair": repair, "case": repair.case, "form": form}
    )


# -- building-safety concerns -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def safety_concern(request):
    """For any resident, whatever their tenure, and for staff who spot something on their rounds."""
    resident = request.user.resident_or_none
    officer = request.user.officer_or_none
    if resident is None and officer is None:
        return redirect("link_tenancy")
    home = selectors.current_home(resident) if resident else None
    form = SafetyConcernForm(posted(request))
    if request.method == "POST" and form.is_valid():
        concern = services.raise_safety_concern(
            user=request.user, resident=resident, home=home, **form.cleaned_data
        )
        messages.success(
            request,
            f"Thank you. We have passed the concern to our building safety team. "
            f"The reference is {concern.case.reference}.",
        )
        if resident is None:
            return redirect("repairs_staff:detail", concern.case.reference)
        return redirect("repairs:detail", concern.case.reference)
    return render(
        request,
        "repairs/safety_concern.html",
        {"form": form, "home": home, "is_staff": resident is None},
    )
