"""Residents' and public pages: where to find us, surgeries, walkabouts, doorstep days, and how the
estates and their contractors score. Anyone can read them; booking and joining need a resident,
who sees their own officer and estate first."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engagement.neighbourhoods import charts, forms, selectors, services
from engagement.neighbourhoods.models import (
    Contractor,
    Inspection,
    InspectionElement,
    OfficerProfile,
    Surgery,
    SurgeryBooking,
    Walkabout,
    WalkaboutSignup,
)
from portal.forms import posted
from portal.models import Estate
from portal.uploads import stored_file_response
from portal.views.access import resident_required
from portal.views.actions import carry_out

PAGE_SIZE = 20


def _resident_and_home(request):
    """The signed-in resident and their current home, or (None, None) for anyone else."""
    if not request.user.is_authenticated:
        return None, None
    resident = request.user.resident_or_none
    if resident is None:
        return None, None
    return resident, services.current_home(resident)


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _estate_filter(request):
    value = request.GET.get("estate", "")
    if value.isdigit():
        return Estate.objects.filter(pk=value).first()
    return None


def _estates():
    return Estate.objects.select_related("neighbourhood").order_by("name")


def index(request):
    resident, home = _resident_and_home(request)
    near = selectors.near_resident(resident, home) if resident else selectors.NearYou()
    centres = _page(request, selectors.service_centres(home.neighbourhood if home else None), 10)
    return render(
        request,
        "neighbourhoods/index.html",
        {"near": near, "centres": centres, "resident": resident},
    )


def officers(request):
    resident, home = _resident_and_home(request)
    page = _page(request, selectors.patch_officers())
    return render(
        request, "neighbourhoods/officers.html", {"page": page, "home": home, "resident": resident}
    )


def officer_photo(request, pk):
    """An officer's photo. Only those shown publicly (an active patch officer) are served."""
    profile = get_object_or_404(
        OfficerProfile.objects.select_related("officer"), officer_id=pk, officer__is_active=True
    )
    if not profile.photo:
        raise Http404("No photo")
    return stored_file_response(
        profile.photo,
        content_type=profile.photo_content_type or "image/jpeg",
        cache_control="public, max-age=3600",
    )


def surgeries(request):
    resident, home = _resident_and_home(request)
    only = _estate_filter(request)
    page = _page(
        request,
        selectors.upcoming_surgeries(estate=home.estate if home else None, only_estate=only),
    )
    return render(
        request,
        "neighbourhoods/surgeries.html",
        {"page": page, "home": home, "estates": _estates(), "only": only, "resident": resident},
    )


def _surgery(pk) -> Surgery:
    return get_object_or_404(
        Surgery.objects.select_related("estate__neighbourhood", "officer"), pk=pk
    )


def surgery(request, pk):
    surgery = _surgery(pk)
    resident, home = _resident_and_home(request)
    slots = list(surgery.slots.all())
    booking = None
    if resident is not None:
        booking = (
            SurgeryBooking.objects.filter(
                surgery=surgery, resident=resident, cancelled_at__isnull=True
            )
            .select_related("slot")
            .first()
        )
    form = None
    if (
        resident is not None
        and booking is None
        and not surgery.is_cancelled
        and not surgery.is_past
    ):
        form = _booking_form(surgery, slots)
    return render(
        request,
        "neighbourhoods/surgery.html",
        {
            "surgery": surgery,
            "slots": slots,
            "booking": booking,
            "form": form,
            "resident": resident,
        },
    )


def _bookable(surgery, slots):
    now = timezone.now()
    return [slot for slot in slots if slot.starts_at > now and not slot.is_full]


def _booking_form(surgery, slots, data=None):
    form = forms.BookSlotForm(data, slots=_bookable(surgery, slots))
    form.helper.form_action = reverse("neighbourhoods:book", args=[surgery.pk])
    return form


@resident_required
@require_http_methods(["GET", "POST"])
def book_surgery(request, pk):
    surgery = _surgery(pk)
    if surgery.is_cancelled or surgery.is_past:
        messages.info(request, "This surgery is no longer taking bookings.")
        return redirect("neighbourhoods:surgery", pk=surgery.pk)
    slots = list(surgery.slots.all())
    form = _booking_form(surgery, slots, posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_surgery_slot(
                resident=request.resident,
                slot=form.cleaned_data["slot"],
                about=form.cleaned_data["about"],
            )
        except services.NeighbourhoodError as error:
            form = _booking_form(surgery, list(surgery.slots.all()), request.POST)
            form.is_valid()
            form.add_error("slot" if isinstance(error, services.SlotFull) else None, str(error))
        else:
            messages.success(
                request,
                f"You are booked in at {booking.slot.starts_at:%H:%M} on {booking.slot.starts_at:%A %-d %B}. "
                "We have sent you the details.",
            )
            return redirect("neighbourhoods:surgery", pk=surgery.pk)
    return render(
        request,
        "neighbourhoods/book.html",
        {"surgery": surgery, "form": form, "any_free": bool(_bookable(surgery, slots))},
    )


def walkabouts(request):
    resident, home = _resident_and_home(request)
    only = _estate_filter(request)
    page = _page(
        request,
        selectors.upcoming_walkabouts(estate=home.estate if home else None, only_estate=only),
    )
    return render(
        request,
        "neighbourhoods/walkabouts.html",
        {"page": page, "home": home, "estates": _estates(), "only": only, "resident": resident},
    )


def walkabout(request, pk):
    walkabout = get_object_or_404(
        Walkabout.objects.select_related("estate__neighbourhood", "officer"), pk=pk
    )
    resident, _ = _resident_and_home(request)
    signup = None
    if resident is not None:
        signup = WalkaboutSignup.objects.filter(
            walkabout=walkabout, resident=resident, cancelled_at__isnull=True
        ).first()
    joining = walkabout.signups.filter(cancelled_at__isnull=True).count()
    inspection = Inspection.objects.filter(walkabout=walkabout, completed_at__isnull=False).first()
    return render(
        request,
        "neighbourhoods/walkabout.html",
        {
            "walkabout": walkabout,
            "signup": signup,
            "resident": resident,
            "joining": joining,
            "inspection": inspection,
        },
    )


@resident_required
@require_POST
def join_walkabout(request, pk):
    walkabout = get_object_or_404(Walkabout, pk=pk)

    def join():
        services.join_walkabout(resident=request.resident, walkabout=walkabout)
        return "You are joining the walkabout. We have sent you the details."

    return carry_out(request, join, then=reverse("neighbourhoods:walkabout", args=[walkabout.pk]))


def doorstep_days(request):
    resident, home = _resident_and_home(request)
    only = _estate_filter(request)
    page = _page(
        request,
        selectors.upcoming_doorstep_days(estate=home.estate if home else None, only_estate=only),
    )
    return render(
        request,
        "neighbourhoods/doorstep_days.html",
        {"page": page, "home": home, "estates": _estates(), "only": only, "resident": resident},
    )


@resident_required
def your_bookings(request):
    return render(
        request,
        "neighbourhoods/your_bookings.html",
        {
            "bookings": selectors.resident_bookings(request.resident)[:50],
            "signups": selectors.resident_signups(request.resident)[:50],
        },
    )


@resident_required
@require_POST
def cancel_booking(request, pk):
    booking = get_object_or_404(SurgeryBooking, pk=pk, resident=request.resident)
    services.cancel_surgery_booking(booking=booking, actor=request.user)
    messages.success(request, "Your place is cancelled. Thank you for letting us know.")
    return redirect("neighbourhoods:your_bookings")


@resident_required
@require_POST
def leave_walkabout(request, pk):
    signup = get_object_or_404(WalkaboutSignup, pk=pk, resident=request.resident)
    services.leave_walkabout(signup=signup)
    messages.success(request, "You are no longer down to join that walkabout.")
    return redirect("neighbourhoods:your_bookings")


# -- how the estates score ---------------------------------------------------------------------------------


def scores_context(*, contractor=None, estate=None):
    start = selectors.trend_start()
    months = charts.months_from(start, selectors.TREND_MONTHS)
    rows = selectors.monthly_scores(contractor=contractor, estate=estate, since=start)
    chart = charts.score_chart(rows, months=months)
    elements = dict(InspectionElement.choices)
    return {
        "chart": chart,
        "rows": rows,
        "since": start,
        "element_rows": [
            {**row, "label": elements.get(row["element"], row["element"])}
            for row in selectors.element_averages(contractor=contractor, estate=estate, since=start)
        ],
        "estate_rows": selectors.estate_averages(contractor=contractor, since=start)
        if estate is None
        else [],
    }


def scores(request):
    estate = _estate_filter(request)
    context = scores_context(estate=estate)
    context.update(
        {
            "contractors": selectors.contractors_with_scores(since=context["since"]),
            "estates": _estates(),
            "only": estate,
            "inspections": Inspection.objects.filter(completed_at__isnull=False)
            .select_related("estate")
            .order_by("-inspected_on", "-id")[:10],
        }
    )
    return render(request, "neighbourhoods/scores.html", context)


def contractor_scores(request, pk):
    contractor = get_object_or_404(Contractor, pk=pk)
    context = scores_context(contractor=contractor)
    context["contractor"] = contractor
    context["assignments"] = contractor.assignments.select_related("estate").order_by("-starts_on")[
        :50
    ]
    return render(request, "neighbourhoods/contractor.html", context)


def inspection_report(request, pk):
    inspection = get_object_or_404(
        Inspection.objects.select_related("estate", "officer"), pk=pk, completed_at__isnull=False
    )
    found = inspection.scores.select_related("block", "open_space", "contractor").order_by(
        "block__name", "open_space__name", "element"
    )
    return render(
        request,
        "neighbourhoods/inspection_report.html",
        {"inspection": inspection, "scores": found},
    )
