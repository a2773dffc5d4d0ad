"""Officers' pages: schedule surgeries, walkabouts and doorstep days; log who came to a surgery and
turn what they raised into a case; score an estate inspection on a phone; see the contractors'
scores over time; keep their own details for residents up to date. Managers set up the service
centres and their drop-in hours, the contractors and the estates they hold, and the open spaces
inspections score."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engagement.neighbourhoods import forms, selectors, services
from engagement.neighbourhoods.models import (
    Contractor,
    ContractorAssignment,
    DropInHours,
    Inspection,
    InspectionScore,
    OfficerProfile,
    OpenSpace,
    ServiceCentre,
    Surgery,
    SurgeryBooking,
    SurgeryVisit,
    Walkabout,
)
from engagement.neighbourhoods.views import scores_context
from portal.forms import posted
from portal.models import Block, Estate, Neighbourhood
from portal.uploads import stored_file_response
from portal.views.access import manager_required, officer_required
from portal.views.actions import submit_form

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@officer_required
def home(request):
    officer = request.officer
    now = timezone.now()
    patch = officer.patch_id
    surgeries = Surgery.objects.filter(ends_at__gt=now, cancelled_at__isnull=True).select_related(
        "estate", "officer"
    )
    walkabouts = Walkabout.objects.filter(
        starts_at__gt=now - timezone.timedelta(hours=4), cancelled_at__isnull=True
    )
    if patch:
        surgeries = surgeries.filter(estate__neighbourhood_id=patch)
        walkabouts = walkabouts.filter(estate__neighbourhood_id=patch)
    return render(
        request,
        "neighbourhoods/staff/home.html",
        {
            "surgeries": surgeries.annotate(
                booked=Count("bookings", filter=Q(bookings__cancelled_at__isnull=True))
            ).order_by("starts_at")[:5],
            "walkabouts": walkabouts.select_related("estate", "officer")
            .annotate(joining=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
            .order_by("starts_at")[:5],
            "in_progress": Inspection.objects.filter(completed_at__isnull=True, officer=officer)
            .select_related("estate")
            .order_by("-started_at")[:5],
        },
    )


# -- surgeries ------------------------------------------------------------------------------------------------


@officer_required
def surgery_list(request):
    show = request.GET.get("show", "upcoming")
    now = timezone.now()
    surgeries = Surgery.objects.select_related("estate", "officer").annotate(
        booked=Count("bookings", filter=Q(bookings__cancelled_at__isnull=True), distinct=True),
        came=Count("visits", distinct=True),
    )
    if show == "past":
        surgeries = surgeries.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    else:
        show = "upcoming"
        surgeries = surgeries.filter(ends_at__gt=now).order_by("starts_at", "id")
    return render(
        request,
        "neighbourhoods/staff/surgeries.html",
        {"page": _page(request, surgeries), "show": show},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def new_surgery(request):
    form = forms.ScheduleSurgeryForm(posted(request), initial={"officer": request.officer})

    def schedule(data):
        surgery = services.schedule_surgery(
            estate=data["estate"],
            venue=data["venue"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            officer=data["officer"],
            scheduled_by=request.officer,
            slot_minutes=data["slot_minutes"],
            places_per_slot=data["places_per_slot"],
            drop_in_welcome=data["drop_in_welcome"],
            notes=data["notes"],
            token=data["submission_token"],
        )
        return "The surgery is scheduled. Residents can book it now.", _surgery_url(surgery.pk)

    return submit_form(request, form, schedule) or render(
        request,
        "neighbourhoods/staff/form.html",
        {
            "form": form,
            "title": "Schedule a surgery",
            "back_url": reverse("neighbourhoods_staff:surgeries"),
        },
    )


def _surgery_url(pk) -> str:
    return reverse("neighbourhoods_staff:surgery", args=[pk])


def _staff_surgery(pk):
    return get_object_or_404(
        Surgery.objects.select_related("estate__neighbourhood", "officer"), pk=pk
    )


@officer_required
@require_http_methods(["GET", "POST"])
def surgery_detail(request, pk):
    surgery = _staff_surgery(pk)
    slots = list(surgery.slots.all())
    bookings = list(
        SurgeryBooking.objects.filter(surgery=surgery, cancelled_at__isnull=True)
        .select_related("resident", "slot")
        .order_by("slot__starts_at", "id")
    )
    visits = list(
        SurgeryVisit.objects.filter(surgery=surgery).select_related(
            "resident", "case", "booking", "logged_by"
        )
    )
    logged = {visit.booking_id for visit in visits if visit.booking_id}
    waiting = [b for b in bookings if b.pk not in logged]
    form = forms.LogVisitForm(posted(request), bookings=waiting)

    def log(data):
        visit = services.log_surgery_visit(
            surgery=surgery,
            officer=request.officer,
            raised=data["raised"],
            booking=data["booking"],
            resident=data["resident"],
            visitor_name=data["visitor_name"],
            token=data["submission_token"],
        )
        return f"{visit.who}'s visit is logged."

    return submit_form(request, form, log, success_url=_surgery_url(surgery.pk)) or render(
        request,
        "neighbourhoods/staff/surgery.html",
        {
            "surgery": surgery,
            "slots": slots,
            "bookings": bookings,
            "visits": visits,
            "form": form,
            "started": surgery.starts_at <= timezone.now() + timezone.timedelta(hours=1),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def cancel_surgery(request, pk):
    surgery = _staff_surgery(pk)
    form = forms.CancelSurgeryForm(posted(request))

    def cancel(data):
        services.cancel_surgery(surgery=surgery, officer=request.officer, reason=data["reason"])
        return "The surgery is cancelled and everyone booked has been told."

    return submit_form(request, form, cancel, success_url=_surgery_url(surgery.pk)) or render(
        request,
        "neighbourhoods/staff/form.html",
        {
            "form": form,
            "title": "Cancel this surgery",
            "caption": f"{surgery.venue}, {timezone.localtime(surgery.starts_at):%A %-d %B %Y}",
            "back_url": _surgery_url(surgery.pk),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def visit_case(request, pk, visit_pk):
    visit = get_object_or_404(
        SurgeryVisit.objects.select_related("surgery__estate", "resident", "case"),
        pk=visit_pk,
        surgery_id=pk,
    )
    if visit.case_id:
        messages.info(request, f"This is already case {visit.case.reference}.")
        return redirect("neighbourhoods_staff:surgery", pk=pk)
    form = forms.visit_case_form(
        posted(request), initial={"summary": visit.raised.splitlines()[0][:120]}
    )

    def raise_case(data):
        case = services.raise_case_from_visit(
            visit=visit,
            officer=request.officer,
            kind=data["kind"],
            summary=data["summary"],
            details=data["details"],
        )
        return f"Case {case.reference} is open and in the queue."

    return submit_form(request, form, raise_case, success_url=_surgery_url(pk)) or render(
        request,
        "neighbourhoods/staff/raise_case.html",
        {"form": form, "visit": visit, "finding": None},
    )


# -- walkabouts and inspections -------------------------------------------------------------------------------


@officer_required
def walkabout_list(request):
    show = request.GET.get("show", "upcoming")
    now = timezone.now()
    walkabouts = Walkabout.objects.select_related("estate", "officer", "inspection").annotate(
        joining=Count("signups", filter=Q(signups__cancelled_at__isnull=True))
    )
    if show == "past":
        walkabouts = walkabouts.filter(starts_at__lte=now).order_by("-starts_at", "-id")
    else:
        show = "upcoming"
        walkabouts = walkabouts.filter(starts_at__gt=now - timezone.timedelta(hours=4)).order_by(
            "starts_at", "id"
        )
    return render(
        request,
        "neighbourhoods/staff/walkabouts.html",
        {"page": _page(request, walkabouts), "show": show},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def new_walkabout(request):
    form = forms.ScheduleWalkaboutForm(posted(request), initial={"officer": request.officer})

    def schedule(data):
        walkabout = services.schedule_walkabout(
            estate=data["estate"],
            starts_at=data["starts_at"],
            meeting_point=data["meeting_point"],
            officer=data["officer"],
            notes=data["notes"],
            token=data["submission_token"],
        )
        return (
            "The walkabout is scheduled. Residents can sign up to join it now.",
            _walkabout_url(walkabout.pk),
        )

    return submit_form(request, form, schedule) or render(
        request,
        "neighbourhoods/staff/form.html",
        {
            "form": form,
            "title": "Schedule a walkabout",
            "back_url": reverse("neighbourhoods_staff:walkabouts"),
        },
    )


def _walkabout_url(pk) -> str:
    return reverse("neighbourhoods_staff:walkabout", args=[pk])


@officer_required
def walkabout_detail(request, pk):
    walkabout = get_object_or_404(Walkabout.objects.select_related("estate", "officer"), pk=pk)
    signups = list(walkabout.signups.filter(cancelled_at__isnull=True).select_related("resident"))
    inspection = Inspection.objects.filter(walkabout=walkabout).first()
    return render(
        request,
        "neighbourhoods/staff/walkabout.html",
        {"walkabout": walkabout, "signups": signups, "inspection": inspection},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def cancel_walkabout(request, pk):
    walkabout = get_object_or_404(Walkabout.objects.select_related("estate"), pk=pk)
    form = forms.CancelWalkaboutForm(posted(request))

    def cancel(data):
        services.cancel_walkabout(
            walkabout=walkabout, officer=request.officer, reason=data["reason"]
        )
        return "The walkabout is cancelled and everyone joining has been told."

    return submit_form(request, form, cancel, success_url=_walkabout_url(walkabout.pk)) or render(
        request,
        "neighbourhoods/staff/form.html",
        {
            "form": form,
            "title": "Cancel this walkabout",
            "caption": f"{walkabout.estate.name}, {timezone.localtime(walkabout.starts_at):%A %-d %B %Y}",
            "back_url": _walkabout_url(walkabout.pk),
        },
    )


@officer_required
@require_POST
def inspect_walkabout(request, pk):
    walkabout = get_object_or_404(Walkabout, pk=pk)
    inspection = services.start_inspection(officer=request.officer, walkabout=walkabout)
    return redirect("neighbourhoods_staff:inspection", pk=inspection.pk)


@officer_required
@require_http_methods(["GET", "POST"])
def new_inspection(request):
    form = forms.StartInspectionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        inspection = services.start_inspection(
            officer=request.officer, estate=form.cleaned_data["estate"]
        )
        return redirect("neighbourhoods_staff:inspection", pk=inspection.pk)
    return render(
        request,
        "neighbourhoods/staff/form.html",
        {
            "form": form,
            "title": "Inspect an estate",
            "back_url": reverse("neighbourhoods_staff:inspections"),
        },
    )


@officer_required
def inspection_list(request):
    inspections = (
        Inspection.objects.select_related("estate", "officer")
        .annotate(scored=Count("scores"), problems=Count("scores", filter=Q(scores__score__lte=2)))
        .order_by("-inspected_on", "-id")
    )
    return render(
        request, "neighbourhoods/staff/inspections.html", {"page": _page(request, inspections)}
    )


def _inspection_url(pk) -> str:
    return reverse("neighbourhoods_staff:inspection", args=[pk])


def _inspection(pk) -> Inspection:
    return get_object_or_404(
        Inspection.objects.select_related("estate__neighbourhood", "officer", "walkabout"), pk=pk
    )


@officer_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request, pk):
    inspection = _inspection(pk)
    estate = inspection.estate
    blocks = list(Block.objects.filter(estate=estate).order_by("name"))
    done_blocks = dict(
        inspection.scores.filter(block__isnull=False)
        .values_list("block_id")
        .annotate(n=Count("id"))
    )
    done_spaces = dict(
        inspection.scores.filter(open_space__isnull=False)
        .values_list("open_space_id")
        .annotate(n=Count("id"))
    )
    # A retired open space is left out, unless this inspection has already scored it.
    spaces = list(
        OpenSpace.objects.filter(estate=estate)
        .filter(Q(is_active=True) | Q(pk__in=list(done_spaces)))
        .order_by("name")
    )
    problems = list(
        inspection.scores.filter(score__lte=2)
        .select_related("block", "open_space", "case", "contractor")
        .order_by("id")
    )
    form = forms.CompleteInspectionForm(
        posted(request),
        initial={"residents_present": inspection.residents_present, "summary": inspection.summary},
    )

    def complete(data):
        services.complete_inspection(
            inspection=inspection,
            officer=request.officer,
            summary=data["summary"],
            residents_present=data["residents_present"],
        )
        return "The inspection is finished. Residents can see its scores."

    back = _inspection_url(inspection.pk)
    return submit_form(request, form, complete, success_url=back) or render(
        request,
        "neighbourhoods/staff/inspection.html",
        {
            "inspection": inspection,
            "places": [("block", b, done_blocks.get(b.pk, 0)) for b in blocks]
            + [("space", s, done_spaces.get(s.pk, 0)) for s in spaces],
            "problems": problems,
            "form": form,
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def score_place(request, pk, kind, place_pk):
    inspection = _inspection(pk)
    if kind == "block":
        place = get_object_or_404(Block, pk=place_pk, estate=inspection.estate)
        where = {"block": place}
    elif kind == "space":
        place = get_object_or_404(OpenSpace, pk=place_pk, estate=inspection.estate)
        where = {"open_space": place}
    else:
        raise Http404("No such place")
    existing = {s.element: s for s in inspection.scores.filter(**where)}
    form = forms.PlaceScoresForm(posted(request), posted(request, files=True), existing=existing)

    def record(data):
        entries = [
            services.ElementScore(
                element=element.value,
                score=data[f"{element.value}_score"],
                comment=data[f"{element.value}_comment"],
                photo=data.get(f"{element.value}_photo") or None,
            )
            for element, _ in form.elements
        ]
        services.record_place_scores(
            inspection=inspection, officer=request.officer, scores=entries, **where
        )
        return f"{place.name} is scored."

    # A finished inspection's page shows its scores; what is posted to it is not looked at.
    scored = not inspection.is_complete and submit_form(
        request, form, record, success_url=_inspection_url(inspection.pk)
    )
    return scored or render(
        request,
        "neighbourhoods/staff/score_place.html",
        {"inspection": inspection, "place": place, "form": form},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def finding_case(request, pk):
    finding = get_object_or_404(
        InspectionScore.objects.select_related("inspection__estate", "block", "open_space", "case"),
        pk=pk,
    )
    if finding.case_id:
        messages.info(request, f"This is already case {finding.case.reference}.")
        return redirect("neighbourhoods_staff:inspection", pk=finding.inspection_id)
    suggested = f"{finding.get_element_display()}: {finding.place}, {finding.inspection.estate}"
    form = forms.finding_case_form(
        posted(request), initial={"summary": suggested[:120], "kind": "communal_repair"}
    )

    def raise_case(data):
        case = services.raise_case_from_finding(
            finding=finding,
            officer=request.officer,
            kind=data["kind"],
            summary=data["summary"],
            details=data["details"],
        )
        return f"Case {case.reference} is open and in the queue."

    back = _inspection_url(finding.inspection_id)
    return submit_form(request, form, raise_case, success_url=back) or render(
        request,
        "neighbourhoods/staff/raise_case.html",
        {"form": form, "visit": None, "finding": finding},
    )


@officer_required
def finding_photo(request, pk):
    finding = get_object_or_404(InspectionScore, pk=pk)
    if not finding.photo:
        raise Http404("No photo")
    return stored_file_response(
        finding.photo,
        content_type=finding.photo_content_type or "image/jpeg",
        cache_control="private, max-age=3600",
    )


# -- contractors, doorstep days, the officer's own details ---------------------------------------------------------


@officer_required
def contractors(request):
    context = scores_context()
    context["contractors"] = selectors.contractors_with_scores(since=context["since"])
    return render(request, "neighbourhoods/staff/contractors.html", context)


@officer_required
def contractor_detail(request, pk):
    contractor = get_object_or_404(Contractor, pk=pk)
    context = scores_context(contractor=contractor)
    context["contractor"] = contractor
    context["assignments"] = contractor.assignments.select_related("estate").order_by("-starts_on")[
        :50
    ]
    context["poor"] = (
        InspectionScore.objects.filter(contractor=contractor, score__lte=2)
        .select_related("inspection__estate", "block", "open_space", "case")
        .order_by("-inspected_on", "-id")[:20]
    )
    return render(request, "neighbourhoods/staff/contractor.html", context)


@officer_required
@require_http_methods(["GET", "POST"])
def new_doorstep_day(request):
    form = forms.DoorstepDayForm(posted(request))

    def schedule(data):
        services.schedule_doorstep_day(
            estate=data["estate"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            officer=request.officer,
            title=data["title"],
            meeting_point=data["meeting_point"],
            description=data["description"],
        )
        return "The doorstep day is on the calendar."

    home = reverse("neighbourhoods_staff:home")
    return submit_form(request, form, schedule, success_url=home) or render(
        request,
        "neighbourhoods/staff/form.html",
        {"form": form, "title": "Add a doorstep day", "back_url": home},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def profile(request):
    officer = request.officer
    current = OfficerProfile.objects.filter(officer=officer).first()
    initial = {}
    if current:
        initial = {
            "phone": current.phone,
            "email": current.email,
            "about": current.about,
            "photo_description": current.photo_description,
        }
    else:
        initial = {"phone": officer.phone, "email": officer.user.email}
    form = forms.OfficerProfileForm(posted(request), posted(request, files=True), initial=initial)
    form.helper.attrs = {"enctype": "multipart/form-data"}

    def save(data):
        services.save_officer_profile(
            officer=officer,
            phone=data["phone"],
            email=data["email"],
            about=data["about"],
            photo=data["photo"],
            photo_description=data["photo_description"],
            remove_photo=data["remove_photo"],
        )
        return "Your details for residents are saved."

    return submit_form(
        request, form, save, success_url=reverse("neighbourhoods_staff:profile")
    ) or render(request, "neighbourhoods/staff/profile.html", {"form": form, "profile": current})


# -- setting up: service centres, contractors and their estates, open spaces -----------------------------------
# Any officer can see these; only managers change them.


def _form_page(request, form, *, title, back_url, caption="", intro=""):
    return render(
        request,
        "neighbourhoods/staff/form.html",
        {"form": form, "title": title, "caption": caption, "intro": intro, "back_url": back_url},
    )


@officer_required
def centre_list(request):
    centres = ServiceCentre.objects.prefetch_related(
        Prefetch("drop_in_hours", queryset=DropInHours.objects.order_by("weekday", "opens")),
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name")),
    ).order_by("-is_active", "name")
    return render(request, "neighbourhoods/staff/centres.html", {"page": _page(request, centres)})


def _centre_url(pk) -> str:
    return reverse("neighbourhoods_staff:centre", args=[pk])


def _centre(pk) -> ServiceCentre:
    return get_object_or_404(ServiceCentre, pk=pk)


@officer_required
def centre_detail(request, pk):
    centre = _centre(pk)
    return render(
        request,
        "neighbourhoods/staff/centre.html",
        {
            "centre": centre,
            "hours": list(centre.drop_in_hours.order_by("weekday", "opens")),
            "serves": list(centre.neighbourhoods.order_by("name")),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def new_centre(request):
    form = forms.ServiceCentreForm(posted(request))

    def add(data):
        centre = services.add_service_centre(
            officer=request.officer, details=form.details(), token=data["submission_token"]
        )
        return (
            f"{centre.name} is added. Now add its drop-in hours, if it has any.",
            _centre_url(centre.pk),
        )

    return submit_form(request, form, add) or _form_page(
        request,
        form,
        title="Add a service centre or office",
        back_url=reverse("neighbourhoods_staff:centres"),
    )


@manager_required
@require_http_methods(["GET", "POST"])
def change_centre(request, pk):
    centre = _centre(pk)
    form = forms.ServiceCentreForm(
        posted(request),
        initial={
            "name": centre.name,
            "kind": centre.kind,
            "address": centre.address,
            "postcode": centre.postcode,
            "phone": centre.phone,
            "email": centre.email,
            "helps_with": centre.helps_with,
            "access_information": centre.access_information,
            "neighbourhoods": list(centre.neighbourhoods.all()),
        },
    )

    def change(data):
        services.change_service_centre(
            centre=centre, officer=request.officer, details=form.details()
        )
        return "The centre's details are saved."

    return submit_form(request, form, change, success_url=_centre_url(centre.pk)) or _form_page(
        request,
        form,
        title="Change the centre's details",
        caption=centre.name,
        back_url=_centre_url(centre.pk),
    )


@manager_required
@require_POST
def close_centre(request, pk):
    centre = services.close_service_centre(centre=_centre(pk), officer=request.officer)
    messages.success(request, f"{centre.name} is closed. Residents no longer see it.")
    return redirect("neighbourhoods_staff:centre", pk=centre.pk)


@manager_required
@require_POST
def reopen_centre(request, pk):
    centre = services.reopen_service_centre(centre=_centre(pk), officer=request.officer)
    messages.success(request, f"{centre.name} is open again. Residents can see it.")
    return redirect("neighbourhoods_staff:centre", pk=centre.pk)


@manager_required
@require_http_methods(["GET", "POST"])
def new_hours(request, pk):
    centre = _centre(pk)
    form = forms.DropInHoursForm(posted(request))

    def add(data):
        services.add_drop_in_hours(
            centre=centre,
            officer=request.officer,
            weekday=data["weekday"],
            opens=data["opens"],
            closes=data["closes"],
            note=data["note"],
            token=data["submission_token"],
        )
        return "The drop-in hours are added."

    return submit_form(request, form, add, success_url=_centre_url(centre.pk)) or _form_page(
        request,
        form,
        title="Add drop-in hours",
        caption=centre.name,
        back_url=_centre_url(centre.pk),
    )


@manager_required
@require_http_methods(["GET", "POST"])
def change_hours(request, pk, hours_pk):
    hours = get_object_or_404(
        DropInHours.objects.select_related("centre"), pk=hours_pk, centre_id=pk
    )
    form = forms.DropInHoursForm(
        posted(request),
        initial={
            "weekday": hours.weekday,
            "opens": f"{hours.opens:%H:%M}",
            "closes": f"{hours.closes:%H:%M}",
            "note": hours.note,
        },
    )

    def change(data):
        services.change_drop_in_hours(
            hours=hours,
            officer=request.officer,
            weekday=data["weekday"],
            opens=data["opens"],
            closes=data["closes"],
            note=data["note"],
        )
        return "The drop-in hours are changed."

    return submit_form(request, form, change, success_url=_centre_url(pk)) or _form_page(
        request,
        form,
        title="Change drop-in hours",
        caption=hours.centre.name,
        back_url=_centre_url(pk),
    )


@manager_required
@require_POST
def remove_hours(request, pk, hours_pk):
    hours = DropInHours.objects.filter(pk=hours_pk, centre_id=pk).first()
    if hours is not None:
        services.remove_drop_in_hours(hours=hours, officer=request.officer)
    messages.success(request, "The drop-in hours are removed.")
    return redirect("neighbourhoods_staff:centre", pk=pk)


def _contractor_url(pk) -> str:
    return reverse("neighbourhoods_staff:contractor", args=[pk])


@manager_required
@require_http_methods(["GET", "POST"])
def new_contractor(request):
    form = forms.ContractorForm(posted(request))

    def add(data):
        contractor = services.add_contractor(
            officer=request.officer,
            name=data["name"],
            service=data["service"],
            phone=data["phone"],
            email=data["email"],
            token=data["submission_token"],
        )
        return (
            f"{contractor.name} is added. Now give them their estates.",
            _contractor_url(contractor.pk),
        )

    return submit_form(request, form, add) or _form_page(
        request,
        form,
        title="Add a contractor",
        back_url=reverse("neighbourhoods_staff:contractors"),
    )


@manager_required
@require_http_methods(["GET", "POST"])
def change_contractor(request, pk):
    contractor = get_object_or_404(Contractor, pk=pk)
    form = forms.ContractorForm(
        posted(request),
        initial={
            "name": contractor.name,
            "service": contractor.service,
            "phone": contractor.phone,
            "email": contractor.email,
        },
    )

    def change(data):
        services.change_contractor(
            contractor=contractor,
            officer=request.officer,
            name=data["name"],
            service=data["service"],
            phone=data["phone"],
            email=data["email"],
        )
        return "The contractor's details are saved."

    back = _contractor_url(contractor.pk)
    return submit_form(request, form, change, success_url=back) or _form_page(
        request,
        form,
        title="Change the contractor's details",
        caption=contractor.name,
        back_url=back,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def stop_contractor(request, pk):
    contractor = get_object_or_404(Contractor, pk=pk)
    if not contractor.is_active:
        messages.info(request, f"{contractor.name} is already not in use.")
        return redirect("neighbourhoods_staff:contractor", pk=contractor.pk)
    form = forms.LastDayForm(
        posted(request),
        initial={"last_day": timezone.localdate()},
        submit_label=f"Stop using {contractor.name}",
    )

    def stop(data):
        services.stop_using_contractor(
            contractor=contractor, officer=request.officer, last_day=data["last_day"]
        )
        return f"{contractor.name} is no longer in use."

    back = _contractor_url(contractor.pk)
    if stopped := submit_form(request, form, stop, success_url=back):
        return stopped
    held = list(
        contractor.assignments.filter(ends_on__isnull=True)
        .select_related("estate")
        .order_by("estate__name")
        .values_list("estate__name", flat=True)
    )
    intro = (
        f"They stop holding {', '.join(held)} on their last day. Their past scores stay theirs."
        if held
        else "They hold no estates now. Their past scores stay theirs."
    )
    return _form_page(
        request,
        form,
        title="Stop using this contractor",
        caption=contractor.name,
        intro=intro,
        back_url=back,
    )


@manager_required
@require_POST
def use_contractor_again(request, pk):
    contractor = services.use_contractor_again(
        contractor=get_object_or_404(Contractor, pk=pk), officer=request.officer
    )
    messages.success(request, f"{contractor.name} is in use again. Give them their estates.")
    return redirect("neighbourhoods_staff:contractor", pk=contractor.pk)


@manager_required
@require_http_methods(["GET", "POST"])
def assign_estate(request, pk):
    contractor = get_object_or_404(Contractor, pk=pk)
    form = forms.AssignEstateForm(posted(request))

    def assign(data):
        assignment = services.assign_contractor(
            contractor=contractor,
            estate=data["estate"],
            starts_on=data["starts_on"],
            officer=request.officer,
            token=data["submission_token"],
        )
        return (
            f"{contractor.name} holds {assignment.estate.name} for "
            f"{contractor.get_service_display().lower()} from "
            f"{assignment.starts_on:%-d %B %Y}."
        )

    back = _contractor_url(contractor.pk)
    return submit_form(request, form, assign, success_url=back) or _form_page(
        request,
        form,
        title=f"Give an estate to {contractor.name}",
        caption=f"{contractor.get_service_display()} contractor",
        intro="Whoever holds the estate for this now stops the day before.",
        back_url=back,
    )


@manager_required
@require_http_methods(["GET", "POST"])
def end_assignment(request, pk, assignment_pk):
    assignment = get_object_or_404(
        ContractorAssignment.objects.select_related("contractor", "estate"),
        pk=assignment_pk,
        contractor_id=pk,
    )
    form = forms.LastDayForm(
        posted(request),
        initial={"last_day": timezone.localdate()},
        submit_label="End the contract",
    )

    def end(data):
        services.end_assignment(
            assignment=assignment, officer=request.officer, ends_on=data["last_day"]
        )
        return f"{assignment.contractor.name}'s contract at {assignment.estate.name} ends."

    return submit_form(request, form, end, success_url=_contractor_url(pk)) or _form_page(
        request,
        form,
        title=f"End the contract at {assignment.estate.name}",
        caption=assignment.contractor.name,
        back_url=_contractor_url(pk),
    )


@officer_required
def open_space_list(request):
    estates = (
        Estate.objects.select_related("neighbourhood")
        .prefetch_related(
            Prefetch("open_spaces", queryset=OpenSpace.objects.order_by("-is_active", "name"))
        )
        .order_by("name")
    )
    return render(
        request, "neighbourhoods/staff/open_spaces.html", {"page": _page(request, estates)}
    )


def _back_to_estate(estate_id) -> str:
    return f"{reverse('neighbourhoods_staff:open_spaces')}#estate-{estate_id}"


@manager_required
@require_http_methods(["GET", "POST"])
def new_open_space(request):
    estate = request.GET.get("estate", "")
    form = forms.OpenSpaceForm(
        posted(request), initial={"estate": estate} if estate.isdigit() else {}
    )

    def add(data):
        space = services.add_open_space(
            estate=data["estate"],
            name=data["name"],
            officer=request.officer,
            token=data["submission_token"],
        )
        return f"{space.name} is added to {space.estate.name}.", _back_to_estate(space.estate_id)

    return submit_form(request, form, add) or _form_page(
        request,
        form,
        title="Add an open space",
        intro="Inspections score it alongside the estate's blocks.",
        back_url=reverse("neighbourhoods_staff:open_spaces"),
    )


def _open_space(pk) -> OpenSpace:
    return get_object_or_404(OpenSpace.objects.select_related("estate"), pk=pk)


@manager_required
@require_http_methods(["GET", "POST"])
def rename_open_space(request, pk):
    space = _open_space(pk)
    form = forms.RenameOpenSpaceForm(posted(request), initial={"name": space.name})

    def rename(data):
        services.rename_open_space(space=space, name=data["name"], officer=request.officer)
        return "The open space is renamed."

    back = _back_to_estate(space.estate_id)
    return submit_form(request, form, rename, success_url=back) or _form_page(
        request,
        form,
        title="Rename the open space",
        caption=f"{space.name}, {space.estate.name}",
        back_url=back,
    )


@manager_required
@require_POST
def retire_open_space(request, pk):
    space = services.retire_open_space(space=_open_space(pk), officer=request.officer)
    messages.success(request, f"{space.name} is retired. New inspections leave it out.")
    return redirect(_back_to_estate(space.estate_id))


@manager_required
@require_POST
def bring_back_open_space(request, pk):
    space = services.bring_back_open_space(space=_open_space(pk), officer=request.officer)
    messages.success(request, f"{space.name} is inspected again.")
    return redirect(_back_to_estate(space.estate_id))
