"""Staff pages: write and publish newsletters, send notices, see who got what, print letters."""

from __future__ import annotations

import csv

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engagement.news import forms, selectors, services
from engagement.news.models import Issue, IssueStatus, MailingKind, Section
from portal.forms import posted
from portal.models import AuditEntry, Channel, Landlord
from portal.services.audit import record_audit
from portal.templatetags.doorstep import govuk_datetime
from portal.views.access import manager_required, officer_required
from portal.views.actions import submit_form


def _issue_url(pk) -> str:
    return reverse("news_staff:issue", kwargs={"pk": pk})


def _notice_url(pk) -> str:
    return reverse("news_staff:notice", kwargs={"pk": pk})


def _draft(pk) -> Issue:
    issue = get_object_or_404(Issue, pk=pk)
    if issue.status != IssueStatus.DRAFT:
        raise Http404("This issue is published and can no longer be changed")
    return issue


# -- newsletters --------------------------------------------------------------------------------------------


@officer_required
def overview(request):
    page = Paginator(selectors.staff_issues(), 25).get_page(request.GET.get("page"))
    current = selectors.staff_notices("current")[:10]
    return render(
        request,
        "news/staff/overview.html",
        {
            "page": page,
            "current_notices": list(current),
            "can_publish": services.can_publish(request.officer),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def new_issue(request):
    form = forms.IssueForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issue = services.start_issue(
            officer=request.officer,
            title=data["title"],
            summary=data["summary"],
            submission_token=data["submission_token"],
        )
        messages.success(request, "Draft saved. Now add the sections.")
        return redirect("news_staff:issue", pk=issue.pk)
    return render(
        request, "news/staff/issue_form.html", {"form": form, "title": "Write a newsletter"}
    )


@officer_required
@require_http_methods(["GET", "POST"])
def edit_issue(request, pk):
    issue = _draft(pk)
    form = forms.IssueForm(
        posted(request), initial={"title": issue.title, "summary": issue.summary}
    )
    if request.method == "POST" and form.is_valid():
        services.edit_issue(
            issue=issue, title=form.cleaned_data["title"], summary=form.cleaned_data["summary"]
        )
        messages.success(request, "Title and summary saved.")
        return redirect("news_staff:issue", pk=issue.pk)
    return render(
        request,
        "news/staff/issue_form.html",
        {"form": form, "issue": issue, "title": "Change the title and summary"},
    )


@officer_required
def issue_detail(request, pk):
    issue = get_object_or_404(Issue.objects.select_related("written_by", "published_by"), pk=pk)
    mailing = getattr(issue, "mailing", None) if issue.is_published else None
    return render(
        request,
        "news/staff/issue.html",
        {
            "issue": issue,
            "sections": list(issue.sections.all()),
            "mailing": mailing,
            "figures": selectors.mailing_figures(mailing),
            "can_publish": services.can_publish(request.officer),
        },
    )


@officer_required
def preview_issue(request, pk):
    """The issue as residents will see it on the portal, and the email and text they will get."""
    issue = get_object_or_404(Issue, pk=pk)
    sections = list(issue.sections.all())
    samples = _sample_messages(issue, sections)
    return render(
        request,
        "news/staff/preview.html",
        {"issue": issue, "sections": sections, "samples": samples, "preview": True},
    )


def _sample_messages(issue, sections):
    resident = {"first_name": "Amira", "full_name": "Amira Hussain"}
    context = {
        "issue": issue,
        "sections": sections,
        "url": f"{settings.SITE_URL}{issue.get_absolute_url()}",
        "landlord": Landlord.current(),
        "site_url": settings.SITE_URL,
        "resident": resident,
    }
    samples = []
    for channel, label in ((Channel.EMAIL, "Email"), (Channel.TEXT, "Text message")):
        full = {**context, "channel": str(channel)}
        samples.append(
            {
                "label": label,
                "subject": render_to_string("notifications/news_issue/subject.txt", full).strip(),
                "body": render_to_string("notifications/news_issue/body.txt", full).strip(),
            }
        )
    return samples


@officer_required
@require_http_methods(["GET", "POST"])
def add_section(request, pk):
    issue = _draft(pk)
    form = forms.SectionForm(posted(request), posted(request, files=True))

    def add(data):
        services.add_section(
            issue=issue,
            heading=data["heading"],
            text=data["text"],
            image=data["image"],
            image_alt=data["image_alt"],
        )
        return f"Section “{data['heading']}” added."

    return submit_form(request, form, add, success_url=_issue_url(issue.pk)) or render(
        request,
        "news/staff/section_form.html",
        {"form": form, "issue": issue, "title": "Add a section"},
    )


def _section(pk, section_pk) -> Section:
    section = get_object_or_404(Section.objects.select_related("issue"), pk=section_pk, issue_id=pk)
    if section.issue.status != IssueStatus.DRAFT:
        raise Http404("This issue is published and can no longer be changed")
    return section


@officer_required
@require_http_methods(["GET", "POST"])
def edit_section(request, pk, section_pk):
    section = _section(pk, section_pk)
    initial = {"heading": section.heading, "text": section.text, "image_alt": section.image_alt}
    form = forms.SectionForm(
        posted(request),
        posted(request, files=True),
        initial=initial,
        has_image=bool(section.image),
    )

    def save(data):
        services.edit_section(
            section=section,
            heading=data["heading"],
            text=data["text"],
            image=data["image"],
            image_alt=data["image_alt"],
            remove_image=data.get("remove_image", False),
        )
        return f"Section “{data['heading']}” saved."

    return submit_form(request, form, save, success_url=_issue_url(section.issue_id)) or render(
        request,
        "news/staff/section_form.html",
        {"form": form, "issue": section.issue, "section": section, "title": "Change a section"},
    )


@officer_required
@require_POST
def remove_section(request, pk, section_pk):
    section = _section(pk, section_pk)
    services.remove_section(section=section)
    messages.success(request, f"Section “{section.heading}” removed.")
    return redirect("news_staff:issue", pk=pk)


@officer_required
@require_POST
def move_section(request, pk, section_pk):
    section = _section(pk, section_pk)
    services.move_section(section=section, up=request.POST.get("direction") == "up")
    return redirect("news_staff:issue", pk=pk)


@manager_required
@require_http_methods(["GET", "POST"])
def publish_issue(request, pk):
    issue = get_object_or_404(Issue, pk=pk)
    if issue.is_published:
        messages.success(request, "This issue is already published and sent.")
        return redirect("news_staff:issue", pk=issue.pk)
    error = ""
    if request.method == "POST":
        try:
            services.publish_issue(issue=issue, officer=request.officer)
        except services.NewsError as refused:
            error = str(refused)
        else:
            messages.success(
                request, "Published. It is being sent to residents in their preferred way."
            )
            return redirect("news_staff:issue", pk=issue.pk)
    return render(
        request,
        "news/staff/publish.html",
        {"issue": issue, "error": error, "section_count": issue.sections.count()},
    )


# -- notices ------------------------------------------------------------------------------------------------


@officer_required
def notice_list(request):
    show = request.GET.get("show", "")
    if show not in ("current", "ended"):
        show = ""
    page = Paginator(selectors.staff_notices(show), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "news/staff/notice_list.html",
        {"page": page, "show": show, "can_publish": services.can_publish(request.officer)},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def new_notice(request):
    form = forms.NoticeForm(posted(request))

    def send(data):
        estate, block = data["where"]
        notice = services.send_notice(
            officer=request.officer,
            title=data["title"],
            details=data["details"],
            estate=estate,
            block=block,
            starts_at=data["starts_at"],
            expected_end_at=data["expected_end_at"],
            submission_token=data["submission_token"],
        )
        return f"Notice sent to the residents of {notice.place}.", _notice_url(notice.pk)

    return submit_form(request, form, send) or render(
        request, "news/staff/notice_form.html", {"form": form}
    )


@officer_required
def notice_detail(request, pk):
    notice = selectors.notice_with_updates(pk)
    if notice is None:
        raise Http404("No such notice")
    mailings = selectors.notice_mailings(notice)
    figures = selectors.figures_by_mailing(mailings)
    rows = [
        (
            mailing,
            figures[mailing.pk],
            f"The update of {govuk_datetime(mailing.update.created_at)}"
            if mailing.update_id
            else "The notice",
        )
        for mailing in mailings
    ]
    return render(
        request,
        "news/staff/notice.html",
        {
            "notice": notice,
            "updates": list(notice.updates.all()),
            "mailings": rows,
            "can_publish": services.can_publish(request.officer),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def update_notice(request, pk):
    notice = selectors.notice_with_updates(pk)
    if notice is None:
        raise Http404("No such notice")
    if notice.ended_at is not None:
        messages.success(request, "This notice has ended.")
        return redirect("news_staff:notice", pk=notice.pk)
    form = forms.NoticeUpdateForm(posted(request))

    def send(data):
        services.update_notice(
            notice=notice,
            officer=request.officer,
            message=data["message"],
            resolves=data["resolves"],
            expected_end_at=data["expected_end_at"],
            submission_token=data["submission_token"],
        )
        return "Update sent to the same residents."

    return submit_form(request, form, send, success_url=_notice_url(notice.pk)) or render(
        request, "news/staff/update_form.html", {"form": form, "notice": notice}
    )


# -- who got what -------------------------------------------------------------------------------------------


def _mailing(pk):
    mailing = selectors.mailing_for_staff(pk)
    if mailing is None:
        raise Http404("No such mailing")
    return mailing


def _back(mailing):
    if mailing.kind == MailingKind.ISSUE:
        return "news_staff:issue", mailing.issue_id
    return "news_staff:notice", mailing.notice_id


@officer_required
def failures(request, pk):
    mailing = _mailing(pk)
    page = Paginator(selectors.failed_deliveries(mailing), 50).get_page(request.GET.get("page"))
    record_audit(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        subject=f"residents not reached by {mailing.get_kind_display().lower()} {mailing.pk}"[:200],
        detail={"page": page.number},
    )
    back_name, back_pk = _back(mailing)
    return render(
        request,
        "news/staff/failures.html",
        {"mailing": mailing, "page": page, "back_name": back_name, "back_pk": back_pk},
    )


LETTERS_PER_PAGE = 200


@officer_required
def letters(request, pk):
    """Letters for residents who asked for post: one per printed page, 200 to a screen page."""
    mailing = _mailing(pk)
    page = Paginator(selectors.letter_list(mailing), LETTERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    record_audit(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        subject=f"letter list for {mailing.get_kind_display().lower()} {mailing.pk}"[:200],
        detail={"page": page.number},
    )
    context = {
        "mailing": mailing,
        "page": page,
        "landlord": Landlord.current(),
        "today": timezone.localdate(),
        "site_url": settings.SITE_URL,
        "back": _back(mailing),
    }
    if mailing.kind == MailingKind.ISSUE:
        context["sections"] = list(mailing.issue.sections.all())
    elif mailing.update_id:
        context["update"] = mailing.update
    return render(request, "news/staff/letters.html", context)


def _cell(value: str) -> str:
    # A spreadsheet would run a cell starting with these as a formula.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


class _Echo:
    def write(self, value):
        return value


@officer_required
def letters_csv(request, pk):
    """Names and addresses for a mailing house, streamed: never the whole list in memory."""
    mailing = _mailing(pk)
    record_audit(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        subject=f"letter addresses for {mailing.get_kind_display().lower()} {mailing.pk}"[:200],
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(
            [
                "name",
                "address_line_1",
                "address_line_2",
                "address_line_3",
                "town",
                "postcode",
                "large_print",
            ]
        )
        deliveries = selectors.letter_list(mailing).values_list(
            "recipient_name", "address", "large_print"
        )
        for name, address, large_print in deliveries.iterator(chunk_size=2000):
            lines = address.splitlines()
            postcode = lines.pop() if len(lines) > 1 else ""
            town = lines.pop() if len(lines) > 1 else ""
            lines = (lines + ["", "", ""])[:3]
            cells = [_cell(value) for value in (name, *lines, town, postcode)]
            yield writer.writerow([*cells, "yes" if large_print else "no"])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="letters-{mailing.kind}-{mailing.pk}.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
