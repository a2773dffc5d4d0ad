"""Residents' pages: report anti-social behaviour, and follow their own reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from engagement.asb import selectors, services
from engagement.asb.forms import DiaryEntryForm, ReportForm
from engagement.asb.models import AsbReport
from portal.forms import posted
from portal.models import CaseChannel
from portal.views.access import resident_required
from portal.views.actions import submit_form


@resident_required
def your_reports(request):
    page = Paginator(selectors.resident_reports(request.resident), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "asb/resident/list.html", {"page": page})


@resident_required
@require_http_methods(["GET", "POST"])
def make_report(request):
    form = ReportForm(posted(request))

    def send(data):
        token = data["submission_token"]
        try:
            report = services.make_report(
                reporter=request.resident,
                category=data["category"],
                what_happened=data["what_happened"],
                where=data["where"],
                happened_on=data["happened_on"],
                happened_at_time=data["happened_at_time"],
                is_ongoing=data["is_ongoing"],
                people=form.people(),
                hate_motivations=data["hate_motivations"],
                risk_answers={key: True for key in data["risk_answers"]},
                channel=CaseChannel.WEB,
                submission_token=token,
            )
        except IntegrityError:
            # The same form sent twice at the same moment: the first one made the report.
            report = AsbReport.objects.filter(
                submission_token=token, reporter=request.resident
            ).first()
            if report is None:
                raise
        if report.reporter_id != request.resident.pk:
            raise Http404("No such report")
        return (
            "We have added your report to a case we are already working on."
            if report.joined_existing
            else "We have received your report.",
            reverse("asb:detail", kwargs={"pk": report.pk}),
        )

    return submit_form(request, form, send) or render(
        request, "asb/resident/new.html", {"form": form}
    )


@resident_required
def report_detail(request, pk):
    report = selectors.report_for_resident(request.resident, pk)
    if report is None:
        raise Http404("No such report")  # the same whether it does not exist or is someone else's
    return render(
        request,
        "asb/resident/detail.html",
        {
            "report": report,
            "case": report.asb_case.case,
            "updates": list(report.updates.all()),
            "review": selectors.next_review(report.asb_case),
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def add_diary_entry(request, pk):
    report = selectors.report_for_resident(request.resident, pk)
    if report is None:
        raise Http404("No such report")
    if not report.asb_case.case.is_open:
        messages.error(request, "This case is closed. If it has happened again, make a new report.")
        return redirect("asb:detail", pk=report.pk)
    form = DiaryEntryForm(posted(request))

    def add(data):
        services.add_diary_entry(
            report=report,
            happened_on=data["happened_on"],
            happened_at_time=data["happened_at_time"],
            what_happened=data["what_happened"],
        )
        return "We have added it to your case. Your housing officer has been told."

    return submit_form(
        request, form, add, success_url=reverse("asb:detail", kwargs={"pk": report.pk})
    ) or render(
        request,
        "asb/resident/diary.html",
        {"report": report, "case": report.asb_case.case, "form": form},
    )
