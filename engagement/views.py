"""Residents' and public pages: get involved, panels and applications, meetings, reviews the panel
is working on, consultations, published reviews, and "you said, we did"."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engagement import forms, selectors, services
from engagement.models import (
    Consultation,
    Evidence,
    MeetingPaper,
    MembershipStatus,
    Panel,
    PanelKind,
    PanelMembership,
    ResponseChannel,
    ScrutinyReview,
)
from portal import extensions
from portal.forms import posted
from portal.uploads import stored_file_response
from portal.views.access import resident_required
from portal.views.actions import carry_out, submit_form


def optional_url(*names: str) -> str:
    """The first of these pages another app may or may not provide; '' when none exists."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def serve_file(field, name: str, content_type: str) -> FileResponse:
    return stored_file_response(
        field, content_type=content_type, cache_control="private, no-store", download_name=name
    )


def _resident_or_none(request):
    return request.user.resident_or_none if request.user.is_authenticated else None


# -- get involved ------------------------------------------------------------------------------------------


def index(request):
    """Every way to take part, the lighter ones beside the committees, open to anyone to read."""
    resident = _resident_or_none(request)
    # The survey and "your neighbourhood" are a resident's own pages; staff get the public ones.
    for_residents = not (request.user.is_authenticated and request.user.officer_or_none)
    panels = list(selectors.panels_to_join())
    kinds = dict(PanelKind.choices)
    groups = [(kinds[kind], [p for p in panels if p.kind == kind]) for kind in PanelKind.values]
    return render(
        request,
        "engagement/index.html",
        {
            "groups": [(label, items) for label, items in groups if items],
            "consultations": list(selectors.open_consultations_for(resident)[:5]),
            "walkabouts_url": optional_url("neighbourhoods:walkabouts", "neighbourhoods:index"),
            "surveys_url": optional_url("satisfaction:survey", "satisfaction:index")
            if for_residents
            else optional_url("satisfaction:index"),
            "plan_url": optional_url("plans:your_neighbourhood", "plans:index")
            if for_residents
            else optional_url("plans:index"),
            "fund_url": optional_url("plans:fund"),
            "resident": resident,
        },
    )


def panel_detail(request, slug):
    panel = get_object_or_404(
        Panel.objects.prefetch_related("open_to_estates", "portfolio_roles"),
        slug=slug,
        is_active=True,
    )
    resident = _resident_or_none(request)
    membership = selectors.live_membership(panel, resident) if resident else None
    return render(
        request,
        "engagement/panel.html",
        {
            "panel": panel,
            "resident": resident,
            "membership": membership,
            "may_join": bool(resident) and selectors.may_join(panel, resident),
            "audience": services.panel_audience_words(panel),
            "reviews": panel.reviews.filter(published_at__isnull=False).order_by("-published_at")[
                :5
            ],
        },
    )


@resident_required
@require_http_methods(["GET", "POST"])
def apply(request, slug):
    panel = get_object_or_404(Panel, slug=slug, is_active=True)
    existing = selectors.live_membership(panel, request.resident)
    if existing is not None:
        return redirect("engagement:your_panels")
    if not panel.is_recruiting or not selectors.may_join(panel, request.resident):
        messages.error(
            request,
            f"The {panel.name} is for {services.panel_audience_words(panel)}, and you cannot apply to it.",
        )
        return redirect("engagement:panel", slug=panel.slug)
    form = forms.ApplyForm(posted(request))

    def send(data):
        services.apply_to_panel(panel=panel, resident=request.resident, **data)
        return f"We have your application to join the {panel.name}. We will let you know."

    return submit_form(request, form, send, success_url="engagement:your_panels") or render(
        request, "engagement/resident/apply.html", {"panel": panel, "form": form}
    )


@resident_required
def your_panels(request):
    return render(
        request,
        "engagement/resident/your_panels.html",
        {
            "memberships": list(selectors.resident_memberships(request.resident)),
            "meetings": selectors.upcoming_meetings_for(request.resident, limit=10),
            "reviews": list(selectors.reviews_for_member(request.resident)[:10]),
        },
    )


def _own_membership(request, pk) -> PanelMembership:
    membership = (
        PanelMembership.objects.filter(pk=pk, resident=request.resident)
        .select_related("panel")
        .first()
    )
    if membership is None:
        raise Http404("No such application")
    return membership


@resident_required
@require_POST
def withdraw(request, pk):
    membership = _own_membership(request, pk)

    def run():
        services.withdraw_application(membership=membership, resident=request.resident)
        return f"You have withdrawn your application to the {membership.panel.name}."

    return carry_out(request, run, then="engagement:your_panels")


@resident_required
@require_http_methods(["GET", "POST"])
def leave(request, pk):
    membership = _own_membership(request, pk)
    if membership.status != MembershipStatus.MEMBER:
        raise Http404("Not a member")
    form = forms.LeaveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.leave_panel(
            membership=membership, resident=request.resident, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, f"You have left the {membership.panel.name}. Thank you for taking part."
        )
        return redirect("engagement:your_panels")
    return render(
        request, "engagement/resident/leave.html", {"membership": membership, "form": form}
    )


@resident_required
@require_http_methods(["GET", "POST"])
def meeting(request, pk):
    found = selectors.meeting_for_member(pk, request.resident)
    if found is None:
        raise Http404("No such meeting")
    reply = found.attendances.filter(resident=request.resident).first()
    form = forms.RsvpForm(posted(request), initial={"rsvp": reply.rsvp if reply else None})

    def send(data):
        services.reply_to_meeting(meeting=found, resident=request.resident, rsvp=data["rsvp"])
        return "Thank you. We have your reply."

    return submit_form(
        request, form, send, success_url=reverse("engagement:meeting", kwargs={"pk": found.pk})
    ) or render(
        request,
        "engagement/resident/meeting.html",
        {
            "meeting": found,
            "reply": reply,
            "form": form,
            "can_reply": not found.cancelled_at
            and not found.is_past
            and selectors.member_of(found.panel_id, request.resident),
            "papers": list(found.papers.all()),
        },
    )


@resident_required
def meeting_paper(request, pk, paper_pk):
    found = selectors.meeting_for_member(pk, request.resident)
    if found is None:
        raise Http404("No such meeting")
    paper = get_object_or_404(MeetingPaper, pk=paper_pk, meeting=found)
    return serve_file(paper.file, paper.original_name, paper.content_type)


def _member_review(request, pk) -> ScrutinyReview:
    review = selectors.review_with_everything(selectors.reviews_for_member(request.resident), pk=pk)
    if review is None:
        raise Http404("No such review")
    return review


@resident_required
@require_http_methods(["GET", "POST"])
def member_review(request, pk):
    """The panel's working page: what they asked for, the evidence, and the landlord's answers."""
    review = _member_review(request, pk)
    form = forms.EvidenceRequestForm(posted(request))

    def send(data):
        services.ask_for_evidence(review=review, resident=request.resident, asked=data["asked"])
        return "We have sent your request to the landlord."

    return submit_form(
        request,
        form,
        send,
        success_url=reverse("engagement:member_review", kwargs={"pk": review.pk}),
    ) or render(
        request,
        "engagement/resident/review.html",
        {"review": review, "form": form, "today": timezone.localdate()},
    )


@resident_required
def member_evidence(request, pk, evidence_pk):
    review = _member_review(request, pk)
    evidence = get_object_or_404(Evidence, pk=evidence_pk, review=review, file__gt="")
    return serve_file(evidence.file, evidence.original_name, evidence.content_type)


# -- consultations -------------------------------------------------------------------------------------------


def consultations(request):
    resident = _resident_or_none(request)
    page = Paginator(selectors.consultations_with_results(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/consultations.html",
        {
            "open": list(selectors.open_consultations_for(resident)[:20]),
            "page": page,
            "resident": resident,
        },
    )


def consultation(request, slug):
    found = get_object_or_404(Consultation, slug=slug)
    resident = _resident_or_none(request)
    context = {
        "consultation": found,
        "resident": resident,
        "is_open": found.is_open(),
        "may_answer": bool(resident) and selectors.may_answer(found, resident),
        "response": selectors.response_of(found, resident),
        "questions": list(found.questions.all()),
    }
    if found.results_published_at:
        context["results"] = selectors.consultation_results(found)
        context["respondents"] = found.responses.count()
    return render(request, "engagement/consultation.html", context)


def consultation_document(request, slug):
    found = get_object_or_404(Consultation, slug=slug, opens_at__lte=timezone.now())
    if not found.document:
        raise Http404("No document")
    return serve_file(found.document, found.document_name, found.document_content_type)


def consultation_comments(request, slug, number):
    found = get_object_or_404(Consultation, slug=slug, results_published_at__isnull=False)
    question = get_object_or_404(found.questions, number=number)
    page = Paginator(selectors.approved_comments(question), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/comments.html",
        {"consultation": found, "question": question, "page": page},
    )


@resident_required
@require_http_methods(["GET", "POST"])
def answer_consultation(request, slug):
    found = get_object_or_404(Consultation, slug=slug)
    if selectors.response_of(found, request.resident) is not None:
        messages.success(request, "You have already answered this consultation. Thank you.")
        return redirect("engagement:consultation", slug=found.slug)
    if not found.is_open():
        messages.error(
            request,
            "This consultation has closed."
            if found.has_closed()
            else "This consultation is not open yet.",
        )
        return redirect("engagement:consultation", slug=found.slug)
    if not selectors.may_answer(found, request.resident):
        messages.error(request, f"This consultation is for {found.audience_words.lower()}.")
        return redirect("engagement:consultation", slug=found.slug)
    form = forms.ConsultationAnswersForm(posted(request), consultation=found)

    def send(data):
        try:
            services.submit_response(
                consultation=found,
                resident=request.resident,
                answers=form.answers(),
                channel=ResponseChannel.WEB,
                submission_token=data.get("submission_token"),
            )
        except services.AlreadyAnswered:
            return "You have already answered this consultation. Thank you."
        return "Thank you. We have your answers."

    return submit_form(
        request,
        form,
        send,
        success_url=reverse("engagement:consultation", kwargs={"slug": found.slug}),
    ) or render(request, "engagement/resident/answer.html", {"consultation": found, "form": form})


# -- published scrutiny and you said, we did ---------------------------------------------------------------


def public_reviews(request):
    page = Paginator(selectors.published_reviews(), 20).get_page(request.GET.get("page"))
    return render(request, "engagement/public/reviews.html", {"page": page})


def public_review(request, slug):
    review = selectors.review_with_everything(selectors.published_reviews(), slug=slug)
    if review is None:
        raise Http404("No such published review")
    return render(
        request, "engagement/public/review.html", {"review": review, "today": timezone.localdate()}
    )


def you_said_we_did(request):
    page = Paginator(extensions.changes_made(), 20).get_page(request.GET.get("page"))
    return render(request, "engagement/public/you_said_we_did.html", {"page": page})
