"""Public and residents' pages: the charter with live figures, earlier versions, the consultation
on a new draft, and the customer voice report (public when published; the customer committee
writes the draft from their account)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from charter import selectors, services
from charter.forms import CommentForm, VoiceReportForm
from charter.models import Promise, PromiseComment
from portal.forms import posted
from portal.views.access import resident_required
from portal.views.actions import submit_form


def charter(request):
    """The adopted charter, each promise with how we are doing against it."""
    version = selectors.adopted_version()
    if version is None:
        return render(request, "charter/public/no_charter.html", {}, status=404)
    promises = list(version.promises.all())
    performance = selectors.performance_for([p.measure_key for p in promises if p.measure_key])
    return render(
        request,
        "charter/public/charter.html",
        {
            "version": version,
            "sections": selectors.sections(version),
            "performance": performance,
            "consultations": list(selectors.versions_in_consultation()),
            "last_month": selectors.last_month_label(),
        },
    )


def versions(request):
    return render(
        request,
        "charter/public/versions.html",
        {
            "versions": list(selectors.public_versions()),
            "consultations": list(selectors.versions_in_consultation()),
        },
    )


def version(request, number: int):
    found = selectors.public_version(number)
    if found is None:
        raise Http404("No such version of the charter")
    if found.status == "adopted":
        return redirect("charter:charter")
    return render(
        request,
        "charter/public/version.html",
        {
            "version": found,
            "sections": selectors.sections(found),
            "current": selectors.public_versions().first(),
        },
    )


def consultation(request, number: int):
    found = selectors.version_in_consultation(number)
    resident = request.user.resident_or_none if request.user.is_authenticated else None
    if found is None:
        withdrawn = selectors.withdrawn_version(number)
        if withdrawn is None:
            raise Http404("This version of the charter is not out for consultation")
        return render(
            request,
            "charter/public/consultation_withdrawn.html",
            {"version": withdrawn, "own_comments": _own_comments(resident, withdrawn)},
        )
    own_comments = _own_comments(resident, found)
    return render(
        request,
        "charter/public/consultation.html",
        {
            "version": found,
            "sections": selectors.sections(found),
            "comments": selectors.published_comments_by_promise(found),
            "resident": resident,
            "own_comments": own_comments,
            "is_open": found.consultation_is_open(),
        },
    )


def _own_comments(resident, version) -> list:
    if resident is None:
        return []
    return list(selectors.resident_comments(resident, version).select_related("promise"))


@resident_required
def comment(request, number: int, promise_id: int):
    promise = (
        Promise.objects.filter(
            pk=promise_id, version__number=number, version__status="consultation"
        )
        .select_related("version")
        .first()
    )
    if promise is None:
        raise Http404("This promise is not out for consultation")
    version = promise.version
    if not version.consultation_is_open():
        messages.info(request, "This consultation has closed.")
        return redirect("charter:consultation", number=number)
    form = CommentForm(posted(request))

    def send(data):
        token = data["submission_token"]
        try:
            services.comment_on_promise(
                promise=promise,
                resident=request.resident,
                text=data["text"],
                submission_token=token,
            )
        except IntegrityError:
            # Sent twice at the same moment: the first one made the comment.
            if not PromiseComment.objects.filter(
                submission_token=token, resident=request.resident
            ).exists():
                raise
        return "Thank you. We have your comment. We check comments before they appear on this page."

    return submit_form(
        request, form, send, success_url=reverse("charter:consultation", kwargs={"number": number})
    ) or render(
        request,
        "charter/public/comment.html",
        {"promise": promise, "version": version, "form": form},
    )


# -- customer voice report ----------------------------------------------------------------------------


def voice_reports(request):
    return render(
        request,
        "charter/public/voice_reports.html",
        {"reports": list(selectors.voice_reports_published())},
    )


def voice_report(request, year: int):
    report = selectors.voice_report(year)
    if report is None or not report.is_published:
        raise Http404("This customer voice report has not been published")
    return render(
        request,
        "charter/public/voice_report.html",
        {
            "report": report,
            "content": report.published_content,
            "evidence": _dated(report.published_content["evidence"]),
        },
    )


def _dated(evidence: dict) -> dict:
    """The frozen evidence with its ISO dates turned back into dates for the templates."""
    evidence = {**evidence}
    evidence["changes"] = [
        {**c, "made_on": date.fromisoformat(c["made_on"])} for c in evidence.get("changes", [])
    ]
    evidence["live_measures"] = [
        {**m, "to": date.fromisoformat(m["to"]) if m.get("to") else None}
        for m in evidence.get("live_measures", [])
    ]
    return evidence


def is_committee_member(resident) -> bool:
    """Whether the resident sits on the customer committee (engagement decides)."""
    from engagement.selectors import is_member_of_panel_kind

    return bool(is_member_of_panel_kind(resident, "customer_committee"))


@resident_required
def committee_voice_report(request, year: int):
    """The customer committee writes the draft report from their own account."""
    if not is_committee_member(request.resident):
        raise PermissionDenied("This page is for members of the customer committee")
    if year not in selectors.voice_report_years():
        raise Http404("Reports can be written for this year and the two before it")
    report = selectors.voice_report(year)
    if report is not None and report.is_published:
        return redirect("charter:voice_report", year=year)
    initial = (
        {
            "foreword": report.foreword,
            "what_changed": report.what_changed,
            "looking_ahead": report.looking_ahead,
        }
        if report
        else {}
    )
    form = VoiceReportForm(posted(request), initial=initial)

    def save(data):
        services.save_voice_report(year=year, user=request.user, **data)
        return "Saved. A manager will publish the report when the committee is ready."

    return submit_form(
        request, form, save, success_url=reverse("charter:committee_voice_report", args=[year])
    ) or render(
        request,
        "charter/resident/voice_report_edit.html",
        {
            "form": form,
            "report": report,
            "year": year,
            "label": selectors.financial_year_label(year),
            "evidence": _dated(selectors.voice_report_evidence(year)),
        },
    )
