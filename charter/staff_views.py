"""Staff pages: managers write and adopt charter versions; staff moderate residents' comments and
draft the customer voice report with the customer committee; a manager publishes it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from charter import selectors, services
from charter.forms import (
    CommitmentForm,
    ConsultationForm,
    ModerationForm,
    PromiseForm,
    VersionForm,
    VoiceReportForm,
    WithdrawalForm,
)
from charter.models import (
    CharterVersion,
    CommentStatus,
    Promise,
    PromiseComment,
    ResidentCommitment,
)
from charter.views import _dated
from portal.forms import posted
from portal.views.access import manager_required, officer_required
from portal.views.actions import carry_out, submit_form


def _version(pk) -> CharterVersion:
    version = selectors.staff_version(pk)
    if version is None:
        raise Http404("No such charter version")
    return version


def _editable(request, pk) -> CharterVersion | None:
    version = get_object_or_404(CharterVersion, pk=pk)
    if not version.is_editable:
        messages.error(
            request,
            f"Version {version.number} is {version.get_status_display().lower()}: it cannot be changed.",
        )
        return None
    return version


def _version_url(version, part: str = "") -> str:
    return reverse("charter_staff:version", args=[version.pk]) + part


def _to_version(version):
    return redirect(_version_url(version))


def _form_page(request, *, form, title, version=None, caption="", intro=""):
    return render(
        request,
        "charter/staff/form.html",
        {"form": form, "title": title, "version": version, "caption": caption, "intro": intro},
    )


@officer_required
def version_list(request):
    return render(
        request,
        "charter/staff/versions.html",
        {
            "versions": list(selectors.staff_versions()),
            "pending": selectors.comments_to_moderate().count(),
            "is_manager": request.officer.is_manager,
        },
    )


@manager_required
@require_POST
def start_draft(request):
    current = selectors.adopted_version()
    try:
        version = services.start_draft(officer=request.officer, copy_from=current)
    except IntegrityError:
        # Another manager started one at the same moment and took the number: theirs stands.
        messages.error(
            request, "Another draft was started at the same moment. Check the list and try again."
        )
        return redirect("charter_staff:versions")
    note = f" It starts as a copy of version {current.number}." if current else ""
    messages.success(request, f"Version {version.number} started as a draft.{note}")
    return _to_version(version)


@officer_required
def version_detail(request, pk):
    version = _version(pk)
    return render(
        request,
        "charter/staff/version.html",
        {
            "version": version,
            "sections": selectors.sections(version),
            "is_manager": request.officer.is_manager,
            "reach": selectors.consultation_reach(version)
            if version.consultation_opened_at
            else None,
            "is_open": version.consultation_is_open(),
            "can_withdraw": request.officer.is_manager and version.consultation_is_open(),
        },
    )


@manager_required
def edit_version(request, pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    form = VersionForm(
        posted(request), initial={"title": version.title, "introduction": version.introduction}
    )
    if request.method == "POST" and form.is_valid():
        services.update_version(version=version, officer=request.officer, **form.cleaned_data)
        messages.success(request, "Saved.")
        return _to_version(version)
    return _form_page(request, form=form, title="Title and introduction", version=version)


@manager_required
def add_promise(request, pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    form = PromiseForm(posted(request), initial={"section": request.GET.get("section", "")})

    def add(data):
        promise = services.add_promise(version=version, officer=request.officer, **data)
        return f"Promise {promise.number} added.", _version_url(version, f"#promise-{promise.pk}")

    return submit_form(request, form, add) or _form_page(
        request, form=form, title="Add a promise", version=version
    )


def _promise(version_pk, promise_pk) -> Promise:
    return get_object_or_404(
        Promise.objects.select_related("version"), pk=promise_pk, version_id=version_pk
    )


@manager_required
def edit_promise(request, pk, promise_pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    promise = _promise(pk, promise_pk)
    form = PromiseForm(
        posted(request),
        initial={
            "section": promise.section,
            "text": promise.text,
            "measure_key": promise.measure_key,
            "target_percent": promise.target_percent,
        },
    )

    def save(data):
        saved = services.update_promise(promise=promise, officer=request.officer, **data)
        return f"Promise {saved.number} saved.", _version_url(version, f"#promise-{saved.pk}")

    return submit_form(request, form, save) or _form_page(
        request, form=form, title=f"Change promise {promise.number}", version=version
    )


@manager_required
def remove_promise(request, pk, promise_pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    promise = _promise(pk, promise_pk)
    if request.method == "POST":

        def remove():
            services.remove_promise(promise=promise, officer=request.officer)
            return f"Promise {promise.number} removed. The promises after it were renumbered."

        return carry_out(request, remove, then=_version_url(version))
    return render(
        request,
        "charter/staff/confirm.html",
        {
            "version": version,
            "title": f"Remove promise {promise.number}?",
            "quote": promise.text,
            "button": "Remove promise",
            "warning": True,
        },
    )


@manager_required
def add_commitment(request, pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    form = CommitmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.add_commitment(
            version=version, officer=request.officer, text=form.cleaned_data["text"]
        )
        messages.success(request, "Added to what we ask from you.")
        return redirect(reverse("charter_staff:version", args=[version.pk]) + "#what-we-ask")
    return _form_page(
        request, form=form, title="Add something we ask from residents", version=version
    )


@manager_required
def edit_commitment(request, pk, commitment_pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    commitment = get_object_or_404(ResidentCommitment, pk=commitment_pk, version_id=pk)
    form = CommitmentForm(posted(request), initial={"text": commitment.text})
    if request.method == "POST" and form.is_valid():
        services.update_commitment(
            commitment=commitment, officer=request.officer, text=form.cleaned_data["text"]
        )
        messages.success(request, "Saved.")
        return redirect(reverse("charter_staff:version", args=[version.pk]) + "#what-we-ask")
    return _form_page(request, form=form, title="Change what we ask", version=version)


@manager_required
def remove_commitment(request, pk, commitment_pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    commitment = get_object_or_404(ResidentCommitment, pk=commitment_pk, version_id=pk)
    if request.method == "POST":
        services.remove_commitment(commitment=commitment, officer=request.officer)
        messages.success(request, "Removed.")
        return redirect(reverse("charter_staff:version", args=[version.pk]) + "#what-we-ask")
    return render(
        request,
        "charter/staff/confirm.html",
        {
            "version": version,
            "title": "Remove this?",
            "quote": commitment.text,
            "button": "Remove",
            "warning": True,
        },
    )


@manager_required
def consult(request, pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    form = ConsultationForm(posted(request))

    def open_it(data):
        services.open_consultation(
            version=version,
            officer=request.officer,
            closes_on=data["closes_on"],
            consultation=data["consultation"],
        )
        return (
            f"Version {version.number} is out for consultation. Residents can comment on each promise. "
            "Every resident with a current tenancy is being told, in the way they prefer."
        )

    return submit_form(request, form, open_it, success_url=_version_url(version)) or _form_page(
        request,
        form=form,
        title="Put this draft out for consultation",
        version=version,
        intro="Every resident with a current tenancy will be told, once, in the way they prefer (email, text "
        "message or letter: letters cost money, and the version page will show how many went each way). "
        "Residents will be able to read the draft and comment on each promise until the closing date. "
        "Comments appear once a member of staff has checked them. You can still change the draft while it is out "
        "for consultation.",
    )


@manager_required
def withdraw(request, pk):
    version = get_object_or_404(CharterVersion, pk=pk)
    if not version.consultation_is_open():
        messages.error(
            request,
            f"Version {version.number} is not open for consultation: there is nothing to withdraw.",
        )
        return _to_version(version)
    form = WithdrawalForm(posted(request))

    def withdraw_it(data):
        services.withdraw_consultation(
            version=version, officer=request.officer, reason=data["reason"]
        )
        return (
            f"The consultation on version {version.number} has been withdrawn. It is a draft again; "
            "the comments residents made are kept."
        )

    return submit_form(request, form, withdraw_it, success_url=_version_url(version)) or _form_page(
        request,
        form=form,
        title=f"Withdraw the consultation on version {version.number}",
        version=version,
        intro="Residents will no longer be able to comment. The consultation page will say it was withdrawn "
        "and why. The comments already made are kept, and you can still moderate them. The version becomes "
        "a draft again: you can change it and put it out for consultation later.",
    )


@officer_required
def version_comments(request, pk):
    version = get_object_or_404(CharterVersion, pk=pk)
    page = Paginator(selectors.version_comments(version), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "charter/staff/version_comments.html",
        {"version": version, "page": page, "comments": page.object_list},
    )


@manager_required
def adopt(request, pk):
    version = _editable(request, pk)
    if version is None:
        return redirect("charter_staff:version", pk=pk)
    current = selectors.adopted_version()
    if request.method == "POST":

        def adopt_it():
            try:
                services.adopt_version(version=version, officer=request.officer)
            except IntegrityError:
                raise services.CharterError(
                    "Another version was adopted at the same moment. Try again."
                ) from None
            return f"Version {version.number} is now the charter."

        return carry_out(request, adopt_it, then=_version_url(version))
    pending = PromiseComment.objects.filter(
        promise__version=version, status=CommentStatus.PENDING
    ).count()
    return render(
        request,
        "charter/staff/confirm.html",
        {
            "version": version,
            "title": f"Adopt version {version.number} as the charter?",
            "body": (
                f"It will replace version {current.number}, which stays on the website as an earlier version. "
                if current
                else ""
            )
            + "Once adopted, this version cannot be changed.",
            "warning_text": f"{pending} comment{'s' if pending != 1 else ''} still waiting for moderation."
            if pending
            else "",
            "button": "Adopt this version",
        },
    )


# -- comments -----------------------------------------------------------------------------------------


@officer_required
def comment_list(request):
    page = Paginator(selectors.comments_to_moderate(), 25).get_page(request.GET.get("page"))
    return render(
        request, "charter/staff/comments.html", {"page": page, "comments": page.object_list}
    )


@officer_required
def moderate(request, comment_pk):
    comment = get_object_or_404(
        PromiseComment.objects.select_related("promise__version", "resident"), pk=comment_pk
    )
    if comment.status != CommentStatus.PENDING:
        messages.info(request, "That comment has already been moderated.")
        return redirect("charter_staff:comments")
    form = ModerationForm(posted(request))

    def decide(data):
        services.moderate_comment(
            comment=comment,
            officer=request.officer,
            publish=data["decision"] == "publish",
            reason=data["reason"],
        )
        return "Decision saved. The resident has been told."

    return submit_form(request, form, decide, success_url="charter_staff:comments") or render(
        request, "charter/staff/moderate.html", {"comment": comment, "form": form}
    )


# -- customer voice report ----------------------------------------------------------------------------


@officer_required
def voice_report_list(request):
    reports = {r.year: r for r in selectors.voice_report_drafts()}
    published = list(selectors.voice_reports_published())
    years = [
        {"year": year, "label": selectors.financial_year_label(year), "report": reports.get(year)}
        for year in selectors.voice_report_years()
        if year not in {r.year for r in published}
    ]
    return render(
        request, "charter/staff/voice_reports.html", {"years": years, "published": published}
    )


@officer_required
def voice_report_edit(request, year):
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
        return "Draft saved."

    return submit_form(
        request, form, save, success_url=reverse("charter_staff:voice_report", args=[year])
    ) or render(
        request,
        "charter/staff/voice_report.html",
        {
            "form": form,
            "report": report,
            "year": year,
            "label": selectors.financial_year_label(year),
            "evidence": _dated(selectors.voice_report_evidence(year)),
            "is_manager": request.officer.is_manager,
        },
    )


@manager_required
def voice_report_publish(request, year):
    report = selectors.voice_report(year)
    if report is None:
        raise Http404("There is no draft for this year yet")
    if report.is_published:
        return redirect("charter:voice_report", year=year)
    if request.method == "POST":
        try:
            services.publish_voice_report(report=report, officer=request.officer)
        except services.CharterError as error:
            messages.error(request, str(error))
            return redirect("charter_staff:voice_report", year=year)
        messages.success(request, f"The customer voice report {report.label} is published.")
        return redirect("charter:voice_report", year=year)
    return render(
        request,
        "charter/staff/confirm.html",
        {
            "title": f"Publish the customer voice report {report.label}?",
            "body": "Anyone will be able to read it. The committee's words and the figures are kept as they stand "
            "today: the published report cannot be changed.",
            "button": "Publish report",
            "back_url": reverse("charter_staff:voice_report", args=[year]),
        },
    )
