"""Enquiries: the resident's "Contact us" and the contact centre's "Log an enquiry".

Both guard against the same question being sent twice (a double click, a page sent again): the
form carries a one-off token, claimed in the cache with an atomic add before the enquiry is made.
A second submission with the same token gets the case the first one made.
"""

from __future__ import annotations

import re
import time

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.functions import Lower, Upper
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from portal import selectors
from portal.forms_casework import ContactUsForm, LogEnquiryForm, ResidentSearchForm, new_token
from portal.models import (
    AuditEntry,
    Case,
    CaseChannel,
    CaseKind,
    DeadlineKind,
    Home,
    Notification,
    Resident,
    Tenancy,
)
from portal.services.audit import record_audit
from portal.services.enquiries import CALLBACK_WORKING_DAYS, make_enquiry, patch_officer_for
from portal.views.access import officer_required, resident_required
from portal.workdays import LONDON, deadline_after

SEARCH_LIMIT = 25


# Sending the same form twice ------------------------------------------------------------------

ONCE_PENDING = "pending"
ONCE_TTL = 24 * 60 * 60
# How long a second submission waits for the first to finish, so a double click lands on the
# case the first click made rather than on a "still saving" message.
ONCE_WAIT_SECONDS = 5.0


class OnceToken:
    """A form submission that must take effect once. The cache's add() is atomic (Redis SET NX),
    so of two requests carrying the same token exactly one claims it."""

    def __init__(self, *, user, token: str):
        self.key = f"doorstep:once:{user.pk}:{token}"

    def claim(self) -> bool:
        return cache.add(self.key, ONCE_PENDING, ONCE_TTL)

    def done(self, reference: str) -> None:
        cache.set(self.key, reference, ONCE_TTL)

    def release(self) -> None:
        cache.delete(self.key)

    def reference(self) -> str | None:
        """The case the first submission made, waiting a little if it is still being made."""
        deadline = time.monotonic() + ONCE_WAIT_SECONDS
        while True:
            value = cache.get(self.key)
            if value is None or value != ONCE_PENDING:
                return value
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.1)


def _make_once(request, token, make):
    """Run make() unless this token was used already. Returns (case_reference, made_now)."""
    once = OnceToken(user=request.user, token=token or new_token())
    if not once.claim():
        return once.reference(), False
    try:
        case = make()
    except BaseException:
        once.release()  # nothing was made: the resident or officer may try again
        raise
    once.done(case.reference)
    return case.reference, True


def _renew_missing_token(form) -> None:
    """A form sent back with errors keeps its token, so that sending it again is still one
    enquiry; a missing or mangled one is replaced."""
    if form.is_bound and not form.cleaned_data.get("token"):
        form.data = form.data.copy()
        form.data["token"] = new_token()


def _callback_day(due_at) -> str:
    due = due_at.astimezone(LONDON)
    return f"{due:%A} {due.day} {due:%B}"


# The resident's "Contact us" ------------------------------------------------------------------


@resident_required
@require_http_methods(["GET", "POST"])
def contact_us(request):
    resident = request.resident
    homes = [tenancy.home for tenancy in selectors.current_tenancies(resident)]
    form = ContactUsForm(request.POST or None, homes=homes, initial={"token": new_token()})
    if request.method == "POST" and form.is_valid():
        reference, _ = _make_once(
            request,
            form.cleaned_data["token"],
            lambda: make_enquiry(
                resident=resident,
                home=form.chosen_home(),
                question=form.cleaned_data["question"],
                channel=CaseChannel.WEB,
            ),
        )
        if reference is None:
            messages.info(
                request,
                "We are still saving your question. It will appear under “What we are working on”.",
            )
            return redirect("home")
        return redirect("contact_us_sent", reference=reference)
    _renew_missing_token(form)
    return render(request, "resident/contact/contact_us.html", {"form": form})


@resident_required
def contact_us_sent(request, reference):
    case = selectors.case_for_resident(request.resident, reference)
    if case is None or case.kind != CaseKind.ENQUIRY:
        raise Http404("No such enquiry")
    callback = next(
        (d for d in case.deadlines.all() if d.kind == DeadlineKind.CALLBACK and d.is_running), None
    )
    told_by = (
        Notification.objects.filter(
            case=case, resident=request.resident, template="callback_promised"
        )
        .values_list("channel", flat=True)
        .first()
    )
    return render(
        request,
        "resident/contact/sent.html",
        {
            "case": case,
            "callback_day": _callback_day(callback.effective_due_at) if callback else None,
            "told_by": dict(Notification._meta.get_field("channel").choices).get(told_by, ""),
        },
    )


# The contact centre's "Log an enquiry" --------------------------------------------------------

POSTCODE_AT_END = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def find_residents(query: str, *, limit: int = SEARCH_LIMIT) -> list[Resident]:
    """Residents matching a tenancy reference (exact), a postcode (with an optional street address
    before it), or a name (surname prefix, or first name and surname prefixes). Each is an indexed
    lookup: the unique tenancy reference, upper(postcode), and (lower(last_name), lower(first_name)).
    Each resident comes with `current_tenancies` and their homes."""
    text = " ".join(query.replace(",", " ").split())
    if not text:
        return []
    current = (
        Tenancy.objects.filter(end_date__isnull=True).select_related("home").order_by("start_date")
    )
    residents = Resident.objects.prefetch_related(
        Prefetch("tenancies", queryset=current, to_attr="current_tenancies")
    )
    upper = text.upper()
    has_digit = any(ch.isdigit() for ch in text)

    if has_digit and " " not in text:
        found = list(
            residents.filter(tenancies__reference=upper).order_by("last_name", "first_name", "id")[
                :limit
            ]
        )
        if found:
            return found

    postcode = POSTCODE_AT_END.search(upper)
    if postcode:
        outward, inward = postcode.groups()
        homes = Home.objects.annotate(postcode_upper=Upper("postcode")).filter(
            postcode_upper__in=[f"{outward} {inward}", f"{outward}{inward}"]
        )
        street = text[: postcode.start()].strip()
        if street:
            # Within one postcode there are a few dozen homes at most: no index needed here.
            homes = homes.filter(address_line_1__icontains=street)
        return list(
            residents.filter(
                tenancies__home__in=homes.values("pk"), tenancies__end_date__isnull=True
            )
            .distinct()
            .order_by("last_name", "first_name", "id")[:limit]
        )

    if has_digit:
        return []  # not a name, and not a tenancy reference or postcode we know
    words = text.lower().split()
    surname = words[-1]
    by_name = residents.annotate(
        last_lower=Lower("last_name"), first_lower=Lower("first_name")
    ).filter(
        # The range lets PostgreSQL use the expression index whatever the collation; startswith
        # keeps the match exact.
        last_lower__gte=surname,
        last_lower__lt=surname[:-1] + chr(ord(surname[-1]) + 1),
        last_lower__startswith=surname,
    )
    if len(words) > 1:
        by_name = by_name.filter(first_lower__startswith=words[0])
    return list(by_name.order_by("last_lower", "first_lower", "id")[:limit])


@officer_required
def log_enquiry(request):
    """Step 1: find the resident."""
    form = ResidentSearchForm(request.GET or None)
    results = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            results = find_residents(query)
    return render(
        request,
        "staff/enquiries/search.html",
        {"form": form, "query": query, "results": results, "limit": SEARCH_LIMIT},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def log_enquiry_for(request, resident_id):
    """Step 2: the enquiry, for the resident chosen."""
    resident = get_object_or_404(Resident, pk=resident_id)
    tenancies = list(selectors.current_tenancies(resident))
    homes = [tenancy.home for tenancy in tenancies]
    form = LogEnquiryForm(request.POST or None, homes=homes, initial={"token": new_token()})
    if request.method == "POST" and form.is_valid():
        reference, made_now = _make_once(
            request,
            form.cleaned_data["token"],
            lambda: make_enquiry(
                resident=resident,
                home=form.chosen_home(),
                question=form.cleaned_data["question"],
                channel=form.cleaned_data["channel"],
                logged_by=request.officer,
                answer=form.cleaned_data["answer"].strip(),
            ),
        )
        if reference is None:
            messages.info(
                request,
                "This enquiry is still being saved. It will appear in the resident’s cases.",
            )
            return redirect("staff:resident", pk=resident.pk)
        if made_now:
            messages.success(request, _logged_message(reference))
        return redirect("staff:case", reference=reference)
    if request.method == "GET":
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            resident=resident,
            subject=f"resident {resident.pk}: logging an enquiry",
        )
    _renew_missing_token(form)
    single_home = homes[0] if len(homes) == 1 else None
    return render(
        request,
        "staff/enquiries/log.html",
        {
            "form": form,
            "resident": resident,
            "tenancies": tenancies,
            "patch_officer": patch_officer_for(single_home) if single_home else None,
            "single_home": single_home,
            "callback_day": _callback_day(deadline_after(timezone.now(), CALLBACK_WORKING_DAYS)),
            "search_url": reverse("staff:log_enquiry"),
        },
    )


def _logged_message(reference: str) -> str:
    case = (
        Case.objects.select_related("owner", "resident", "enquiry")
        .prefetch_related("deadlines")
        .get(reference=reference)
    )
    if case.enquiry.resolved_at_first_contact:
        return f"Enquiry {reference} logged and resolved at first contact."
    callback = next((d for d in case.deadlines.all() if d.kind == DeadlineKind.CALLBACK), None)
    when = f" by the end of {_callback_day(callback.due_at)}" if callback else ""
    if case.owner:
        return f"Enquiry {reference} logged. {case.owner.name} will call {case.resident.full_name} back{when}."
    return f"Enquiry {reference} logged. Nobody looks after this home's patch: it is unassigned in the queue, to call back{when}."
