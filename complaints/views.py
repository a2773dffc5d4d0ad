"""Residents' complaint pages, and the public pages: "you said, we did" and the annual report."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from complaints import rules, selectors, services
from complaints.forms import ComplaintForm
from complaints.models import AnnualReport, Complaint, ComplaintDocument
from complaints.self_assessment import answered_items
from portal.forms import posted
from portal.models import CaseChannel
from portal.uploads import stored_file_response
from portal.views.access import resident_required
from portal.views.actions import carry_out, submit_form


def serve_document(document: ComplaintDocument) -> FileResponse:
    """A complaint's document, as a download: never rendered by the browser as a page."""
    return stored_file_response(
        document.file,
        content_type=document.content_type,
        cache_control="private, no-store",
        download_name=document.original_name,
    )


def response_context(complaint: Complaint, stage: int) -> dict:
    record = next((s for s in complaint.stages.all() if s.stage == stage), None)
    response = getattr(record, "response", None) if record else None
    if response is None:
        raise Http404("No response at this stage")
    return {
        "complaint": complaint,
        "record": record,
        "response": response,
        "actions": [a for a in complaint.actions.all() if a.response_id == response.pk],
        "final": stage == rules.STAGE_2,
    }


# -- residents ---------------------------------------------------------------------------------------------


@resident_required
def your_complaints(request):
    page = Paginator(selectors.resident_complaints(request.resident), 20).get_page(request.GET.get("page"))
    return render(request, "complaints/resident/list.html", {"page": page})


@resident_required
@require_http_methods(["GET", "POST"])
def make_complaint(request):
    form = ComplaintForm(posted(request), posted(request, files=True))

    def send(data):
        token = data["submission_token"]
        try:
            complaint = services.make_complaint(
                resident=request.resident,
                what_happened=data["what_happened"],
                outcome_wanted=data["outcome_wanted"],
                events_began_on=data["events_began_on"],
                channel=CaseChannel.WEB,
                documents=data["documents"],
                submission_token=token,
            )
        except IntegrityError:
            # The same form sent twice at the same moment: the first one made the complaint.
            complaint = Complaint.objects.filter(submission_token=token, case__resident=request.resident).first()
            if complaint is None:
                raise
        return (
            f"We have received your complaint. Your reference is {complaint.reference}.",
            reverse("complaints:detail", kwargs={"reference": complaint.reference}),
        )

    return submit_form(request, form, send) or render(
        request, "complaints/resident/new.html", {"form": form}
    )


def _own_complaint(request, reference) -> Complaint:
    complaint = selectors.complaint_for_resident(request.resident, reference)
    if complaint is None:
        raise Http404("No such complaint")  # the same whether it does not exist or is someone else's
    return complaint


@resident_required
def complaint_detail(request, reference):
    complaint = _own_complaint(request, reference)
    return render(
        request,
        "complaints/resident/detail.html",
        {
            "complaint": complaint,
            "case": complaint.case,
            "stages": list(complaint.stages.all()),
            "running": [d for d in complaint.case.deadlines.all() if d.is_running],
        },
    )


@resident_required
@require_POST
def escalate(request, reference):
    complaint = _own_complaint(request, reference)

    def run():
        services.escalate_complaint(complaint=complaint, channel=CaseChannel.WEB)
        return "We have escalated your complaint to stage 2. We will acknowledge it within 5 working days."

    return carry_out(
        request, run, then=reverse("complaints:detail", kwargs={"reference": reference})
    )


@resident_required
def response_page(request, reference, stage):
    complaint = _own_complaint(request, reference)
    context = response_context(complaint, stage)
    context["back_url"] = reverse("complaints:detail", args=[reference])
    return render(request, "complaints/response.html", context)


@resident_required
def document(request, reference, pk):
    found = ComplaintDocument.objects.filter(
        pk=pk, complaint__case__reference=reference, complaint__case__resident=request.resident
    ).first()
    if found is None:
        raise Http404("No such document")
    return serve_document(found)


# -- public ------------------------------------------------------------------------------------------------


def you_said_we_did(request):
    page = Paginator(selectors.published_learning(), 20).get_page(request.GET.get("page"))
    return render(request, "complaints/public/you_said_we_did.html", {"page": page})


def _published(year) -> AnnualReport:
    report = AnnualReport.objects.filter(year=year, published_at__isnull=False).first()
    if report is None:
        raise Http404("No published report for that year")
    return report


def public_report(request, year):
    report = _published(year)
    return render(
        request,
        "complaints/public/report.html",
        {
            "report": report,
            "figures": selectors.annual_figures(year),
            "checklist": answered_items(report.self_assessment),
            "other_reports": selectors.published_reports().exclude(pk=report.pk),
        },
    )


def report_csv_response(year: int) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="complaints-report-{rules.financial_year_label(year).replace("/", "-")}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["section", "measure", "value"])
    writer.writerows(selectors.figures_as_rows(selectors.annual_figures(year)))
    return response


def public_report_csv(request, year):
    _published(year)
    return report_csv_response(year)
