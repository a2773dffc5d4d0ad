import csv
import io
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from portal import extensions, ratelimit, selectors
from portal.forms import ContactPreferencesForm, LinkTenancyForm
from portal.services import subject_access
from portal.services.tenancy_linking import (
    LinkingFailed,
    LinkingLocked,
    link_account_to_tenancy,
    linking_state,
)
from portal.views.access import resident_required
from portal.workdays import LONDON


def home(request):
    if not request.user.is_authenticated:
        return render(request, "pages/start.html")
    if request.user.officer_or_none is not None:
        return redirect("staff:home")
    return your_home(request)


@resident_required
def your_home(request):
    resident = request.resident
    return render(
        request,
        "resident/home.html",
        {
            "resident": resident,
            "tenancies": selectors.current_tenancies(resident),
            "open_cases": selectors.resident_open_cases_with_deadlines(resident),
            "recent_closed": selectors.resident_closed_cases(resident)[:5],
            "sections": extensions.resident_home_sections(resident),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_tenancy(request):
    if request.user.resident_or_none is not None:
        return redirect("home")
    if request.user.officer_or_none is not None:
        raise PermissionDenied("Staff accounts cannot be linked to a tenancy")
    if request.method == "POST" and not ratelimit.allow(
        request, action="link_tenancy", limit=settings.TENANCY_LINK_MAX_TRIES_PER_ADDRESS, period_seconds=3600
    ):
        # Many accounts guessing from one address: each account's own lock-out is not enough.
        return render(request, "429.html", status=429)
    state = linking_state(user=request.user)
    form = LinkTenancyForm(request.POST or None)
    if request.method == "POST" and not state.locked_until and form.is_valid():
        try:
            link_account_to_tenancy(user=request.user, **form.cleaned_data)
        except LinkingLocked as locked:
            state = linking_state(user=request.user)
            state.locked_until = locked.until
        except LinkingFailed:
            state = linking_state(user=request.user)
            form.add_error(
                None,
                "We could not find a tenancy with those details. Check your tenancy reference, "
                f"date of birth and postcode. You have {state.tries_left} "
                f"{'try' if state.tries_left == 1 else 'tries'} left.",
            )
        else:
            messages.success(request, "Your account is now linked to your home.")
            return redirect("home")
    return render(
        request,
        "resident/link_tenancy.html",
        {
            "form": form,
            "locked_until": state.locked_until.astimezone(LONDON) if state.locked_until else None,
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def contact_preferences(request):
    form = ContactPreferencesForm(request.POST or None, instance=request.resident)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your contact preferences are saved.")
        return redirect("home")
    return render(request, "resident/contact_preferences.html", {"form": form})


@resident_required
def case_detail(request, reference):
    case = selectors.case_for_resident(request.resident, reference)
    if case is None:
        # The same answer whether the case does not exist or is someone else's.
        raise Http404("No such case")
    return render(
        request,
        "resident/case_detail.html",
        {"case": case, "case_links": extensions.case_links(case, audience="resident")},
    )


@resident_required
def your_data(request):
    return render(request, "resident/your_data.html")


@resident_required
def download_your_data(request, fmt):
    data = subject_access.export_resident_data(resident=request.resident)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, default=str), content_type="application/json; charset=utf-8"
        )
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["section", "item", "field", "value"])
        for row in subject_access.flatten(data):
            writer.writerow(row)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404("Unknown format")
    response["Content-Disposition"] = f'attachment; filename="your-data.{fmt}"'
    return response
