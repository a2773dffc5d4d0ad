"""Staff pages for resident voice: panels and applications, who is (not) represented, meetings,
scrutiny reviews and the landlord's responses, consultations and moderation, "you said, we did".

Any officer can work these; setting up panels and consultations and publishing need a manager."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from engagement import forms, selectors, services
from engagement.models import (
    ChangeEntry,
    Consultation,
    ConsultationAnswer,
    Evidence,
    Meeting,
    MeetingPaper,
    MembershipStatus,
    Moderation,
    Panel,
    PanelMembership,
    Recommendation,
    RecommendationAction,
    ReviewStage,
    ScrutinyReview,
)
from engagement.views import serve_file
from portal.extensions import live_measures
from portal.forms import posted
from portal.models import AuditEntry, Tenancy, Tenure
from portal.services.audit import record_audit
from portal.views.access import manager_required, officer_required
from portal.views.actions import carry_out, submit_form


def _form_page(
    request, form, *, title, on_valid, back_url, back_label, caption="", intro="", aside=None
):
    """The shape of every staff action page: a form; when valid, the service, which says where
    to go next."""
    return submit_form(request, form, on_valid) or render(
        request,
        "engagement/staff/form.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "intro": intro,
            "back_url": back_url,
            "back_label": back_label,
            "aside": aside,
        },
    )


# -- overview -------------------------------------------------------------------------------------------------


@officer_required
def index(request):
    panels = (
        Panel.objects.filter(is_active=True)
        .annotate(
            members=Count("memberships", filter=selectors.current_members_q("memberships__")),
            waiting=Count("memberships", filter=Q(memberships__status=MembershipStatus.APPLIED)),
        )
        .order_by("kind", "name")
    )
    now = timezone.now()
    return render(
        request,
        "engagement/staff/index.html",
        {
            "panels": panels,
            "meetings": Meeting.objects.filter(starts_at__gte=now, cancelled_at__isnull=True)
            .select_related("panel")
            .order_by("starts_at")[:8],
            "reviews": ScrutinyReview.objects.filter(published_at__isnull=True)
            .select_related("panel")
            .order_by("report_due_on")[:10],
            "consultations": Consultation.objects.filter(
                Q(closes_at__gt=now) | Q(results_published_at__isnull=True)
            ).order_by("closes_at")[:10],
            "to_moderate": ConsultationAnswer.objects.filter(moderation=Moderation.PENDING).count(),
            "open_actions": RecommendationAction.objects.filter(done_on__isnull=True).count(),
            "closed_panels": Panel.objects.filter(is_active=False).order_by("name"),
            "is_manager": request.officer.is_manager,
        },
    )


# -- panels -------------------------------------------------------------------------------------------------


@officer_required
def panel_detail(request, slug):
    panel = get_object_or_404(
        Panel.objects.prefetch_related("open_to_estates", "portfolio_roles"), slug=slug
    )
    show = request.GET.get("show", "members")
    statuses = {
        "members": [MembershipStatus.MEMBER],
        "applications": [MembershipStatus.APPLIED],
        "past": [
            MembershipStatus.ENDED,
            MembershipStatus.LEFT,
            MembershipStatus.DECLINED,
            MembershipStatus.WITHDRAWN,
        ],
    }
    if show not in statuses:
        show = "members"
    memberships = (
        panel.memberships.filter(status__in=statuses[show])
        .select_related("resident", "portfolio_role", "ended_by")
        .order_by("resident__last_name", "resident__first_name", "pk")
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    counts = panel.memberships.aggregate(
        members=Count("pk", filter=selectors.current_members_q()),
        applications=Count("pk", filter=Q(status=MembershipStatus.APPLIED)),
        ending=Count(
            "pk",
            filter=Q(
                status=MembershipStatus.MEMBER,
                term_ends_on__lte=timezone.localdate() + timezone.timedelta(days=60),
            ),
        ),
    )
    return render(
        request,
        "engagement/staff/panel.html",
        {
            "panel": panel,
            "page": page,
            "show": show,
            "counts": counts,
            "today": timezone.localdate(),
            "meetings": panel.meetings.order_by("-starts_at")[:10],
            "reviews": panel.reviews.order_by("-starts_on")[:10],
            "audience": services.panel_audience_words(panel),
            "is_manager": request.officer.is_manager,
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def edit_panel(request, slug=None):
    panel = get_object_or_404(Panel, slug=slug) if slug else Panel()
    form = forms.PanelForm(posted(request), instance=panel)

    def save(data):
        saved = services.save_panel(
            panel=form.save(commit=False),
            officer=request.officer,
            estates=data["open_to_estates"],
            roles=form.role_names(),
        )
        return f"The {saved.name} is saved.", f"/staff/engagement/panels/{saved.slug}/"

    return _form_page(
        request,
        form,
        title=f"Change the {panel.name}" if slug else "Set up a panel",
        on_valid=save,
        back_url=f"/staff/engagement/panels/{slug}/" if slug else "/staff/engagement/",
        back_label="Back",
    )


def _membership(pk) -> PanelMembership:
    return get_object_or_404(
        PanelMembership.objects.select_related("panel", "resident", "portfolio_role"), pk=pk
    )


@officer_required
@require_http_methods(["GET", "POST"])
def application(request, pk):
    membership = _membership(pk)
    if request.method == "GET":
        record_audit(
            actor=request.user,
            action=AuditEntry.Action.VIEW,
            subject=f"panel application {membership.pk}",
            resident=membership.resident,
        )
    homes = list(selectors.current_homes(membership.resident).select_related("estate"))
    form = forms.DecisionForm(posted(request), panel=membership.panel)

    def decide(data):
        services.decide_application(
            membership=membership,
            officer=request.officer,
            accept=data["decision"] == "accept",
            message=data["message"],
            portfolio_role=data["portfolio_role"],
        )
        return (
            f"{membership.resident.full_name} is now a member."
            if data["decision"] == "accept"
            else "The application is declined. The resident has been told."
        )

    decided = None
    if membership.status == MembershipStatus.APPLIED:
        decided = submit_form(
            request,
            form,
            decide,
            success_url=reverse("engagement_staff:panel", kwargs={"slug": membership.panel.slug}),
        )
    return decided or render(
        request,
        "engagement/staff/application.html",
        {"membership": membership, "form": form, "homes": homes},
    )


@officer_required
@require_POST
def renew(request, pk):
    membership = _membership(pk)

    def run():
        services.renew_membership(membership=membership, officer=request.officer)
        return f"{membership.resident.full_name}'s term now runs to {membership.term_ends_on:%-d %B %Y}."

    return carry_out(request, run, then=f"/staff/engagement/panels/{membership.panel.slug}/")


@officer_required
@require_http_methods(["GET", "POST"])
def end_membership(request, pk):
    membership = _membership(pk)
    if membership.status != MembershipStatus.MEMBER:
        messages.error(request, f"{membership.resident.full_name} is not a member of this panel.")
        return redirect("engagement_staff:panel", slug=membership.panel.slug)
    form = forms.EndMembershipForm(posted(request))

    def save(data):
        services.end_membership(
            membership=membership,
            officer=request.officer,
            reason=data["reason"],
            message=data["message"],
            note=data["note"],
        )
        return (
            f"{membership.resident.full_name}'s membership has ended. They have been told.",
            f"/staff/engagement/panels/{membership.panel.slug}/?show=past",
        )

    return _form_page(
        request,
        form,
        title=f"End {membership.resident.full_name}'s membership",
        caption=membership.panel.name,
        intro="They stop being a member today. What they did on the panel stays on record.",
        on_valid=save,
        back_url=f"/staff/engagement/panels/{membership.panel.slug}/",
        back_label=f"Back to the {membership.panel.name}",
    )


@manager_required
@require_http_methods(["GET", "POST"])
def close_panel(request, slug):
    panel = get_object_or_404(Panel, slug=slug)
    if not panel.is_active:
        messages.error(request, f"The {panel.name} is already closed.")
        return redirect("engagement_staff:panel", slug=panel.slug)
    form = forms.ClosePanelForm(posted(request))

    def save(data):
        services.close_panel(panel=panel, officer=request.officer, message=data["message"])
        return (
            f"The {panel.name} is closed. Its members and applicants have been told.",
            f"/staff/engagement/panels/{panel.slug}/",
        )

    return _form_page(
        request,
        form,
        title=f"Close the {panel.name}",
        intro="It leaves Get involved and takes no more applications. Applications waiting are "
        "declined and upcoming meetings cancelled. Its published scrutiny reviews stay public. "
        "You can reopen it later, with its members.",
        on_valid=save,
        back_url=f"/staff/engagement/panels/{panel.slug}/",
        back_label=f"Back to the {panel.name}",
    )


@manager_required
@require_POST
def reopen_panel(request, slug):
    panel = get_object_or_404(Panel, slug=slug)

    def run():
        services.reopen_panel(panel=panel, officer=request.officer)
        return f"The {panel.name} is open again and back on Get involved."

    return carry_out(
        request, run, then=reverse("engagement_staff:panel", kwargs={"slug": panel.slug})
    )


@officer_required
def representation(request):
    """Who is on the panels, by tenure and estate, to see who is missing."""
    panel = None
    if request.GET.get("panel", "").isdigit():
        panel = Panel.objects.filter(pk=request.GET["panel"]).first()
    estates = Paginator(selectors.estates_with_members(panel), 50).get_page(request.GET.get("page"))
    homes = selectors.homes_by_tenure()
    total_homes = sum(homes.values()) or 1
    return render(
        request,
        "engagement/staff/representation.html",
        {
            "table": selectors.members_by_panel_and_tenure(),
            "tenures": [
                {
                    "label": label,
                    "homes": homes.get(value, 0),
                    "share": round(homes.get(value, 0) * 100 / total_homes, 1),
                }
                for value, label in Tenure.choices
            ],
            "estates": estates,
            "panel": panel,
            "panels": Panel.objects.filter(is_active=True),
        },
    )


# -- meetings -------------------------------------------------------------------------------------------------


@officer_required
@require_http_methods(["GET", "POST"])
def new_meeting(request, slug):
    panel = get_object_or_404(Panel, slug=slug)
    form = forms.MeetingForm(posted(request))

    def save(data):
        meeting = services.schedule_meeting(
            panel=panel, officer=request.officer, **form.meeting_details()
        )
        return (
            "The meeting is added. Members will be reminded before it.",
            f"/staff/engagement/meetings/{meeting.pk}/",
        )

    return _form_page(
        request,
        form,
        title="Add a meeting",
        caption=panel.name,
        on_valid=save,
        back_url=f"/staff/engagement/panels/{slug}/",
        back_label=f"Back to the {panel.name}",
    )


def _meeting(pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("panel"), pk=pk)


@officer_required
@require_http_methods(["GET", "POST"])
def edit_meeting(request, pk):
    meeting = _meeting(pk)
    if meeting.is_past or meeting.cancelled_at:
        messages.error(
            request,
            services.HAPPENED + "."
            if meeting.is_past
            else "This meeting is cancelled; add a new one instead.",
        )
        return redirect("engagement_staff:meeting", pk=meeting.pk)
    starts = timezone.localtime(meeting.starts_at)
    form = forms.MeetingForm(
        posted(request),
        initial={
            "title": meeting.title,
            "day": starts.date(),
            "starts": starts.strftime("%H:%M"),
            "ends": timezone.localtime(meeting.ends_at).strftime("%H:%M")
            if meeting.ends_at
            else "",
            "place": meeting.place,
            "online_link": meeting.online_link,
            "agenda": meeting.agenda,
        },
        submit_label="Save the changes",
    )

    def save(data):
        services.change_meeting(meeting=meeting, officer=request.officer, **form.meeting_details())
        return (
            "The meeting is changed. If the time or place moved, members have been told.",
            f"/staff/engagement/meetings/{meeting.pk}/",
        )

    return _form_page(
        request,
        form,
        title="Change the meeting",
        caption=meeting.panel.name,
        on_valid=save,
        back_url=f"/staff/engagement/meetings/{pk}/",
        back_label="Back to the meeting",
    )


@officer_required
def meeting_detail(request, pk):
    meeting = _meeting(pk)
    members = list(
        selectors.current_memberships()
        .filter(panel=meeting.panel)
        .select_related("resident")
        .order_by("resident__last_name")
    )
    replies = {a.resident_id: a for a in meeting.attendances.all()}
    rows = [{"membership": m, "reply": replies.get(m.resident_id)} for m in members]
    return render(
        request,
        "engagement/staff/meeting.html",
        {
            "meeting": meeting,
            "rows": rows,
            "counts": selectors.rsvp_counts(meeting),
            "papers": list(meeting.papers.all()),
            "attendance_form": forms.AttendanceForm(
                members=members,
                initial={"present": [str(r) for r, a in replies.items() if a.attended]},
            ),
            "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes}),
            "paper_form": forms.PaperForm(minutes_only=meeting.is_past),
            "reminders_sent": meeting.reminders.count(),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def add_paper(request, pk):
    meeting = _meeting(pk)
    form = forms.PaperForm(
        posted(request), posted(request, files=True), minutes_only=meeting.is_past
    )

    def save(data):
        services.add_meeting_paper(
            meeting=meeting,
            officer=request.officer,
            title=data["title"],
            uploaded=data["document"],
            kind=data["kind"],
        )
        return (
            "The paper is uploaded. Members can download it from the meeting page.",
            f"/staff/engagement/meetings/{meeting.pk}/",
        )

    return _form_page(
        request,
        form,
        title="Upload the minutes" if meeting.is_past else "Upload a paper",
        caption=str(meeting),
        on_valid=save,
        back_url=f"/staff/engagement/meetings/{pk}/",
        back_label="Back to the meeting",
    )


@officer_required
@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    meeting = _meeting(pk)
    form = forms.MinutesForm(posted(request), initial={"minutes": meeting.minutes})

    def save(data):
        services.publish_minutes(meeting=meeting, officer=request.officer, minutes=data["minutes"])
        return (
            "The minutes are published to the panel.",
            f"/staff/engagement/meetings/{meeting.pk}/",
        )

    return _form_page(
        request,
        form,
        title="Minutes",
        caption=str(meeting),
        on_valid=save,
        back_url=f"/staff/engagement/meetings/{pk}/",
        back_label="Back to the meeting",
    )


@officer_required
@require_POST
def attendance(request, pk):
    meeting = _meeting(pk)
    members = list(
        selectors.current_memberships().filter(panel=meeting.panel).select_related("resident")
    )
    form = forms.AttendanceForm(request.POST, members=members)
    back = reverse("engagement_staff:meeting", kwargs={"pk": meeting.pk})
    if not form.is_valid():
        return redirect(back)

    def run():
        came = services.record_attendance(
            meeting=meeting,
            officer=request.officer,
            present_resident_ids=form.cleaned_data["present"],
        )
        return f"Attendance saved: {came} came."

    return carry_out(request, run, then=back)


@officer_required
@require_POST
def cancel_meeting(request, pk):
    meeting = _meeting(pk)

    def run():
        services.cancel_meeting(meeting=meeting, officer=request.officer)
        return "The meeting is cancelled. Members have been told."

    return carry_out(
        request, run, then=reverse("engagement_staff:meeting", kwargs={"pk": meeting.pk})
    )


@officer_required
def meeting_paper(request, pk, paper_pk):
    paper = get_object_or_404(MeetingPaper, pk=paper_pk, meeting_id=pk)
    return serve_file(paper.file, paper.original_name, paper.content_type)


# -- scrutiny ------------------------------------------------------------------------------------------------


@officer_required
def reviews(request):
    page = Paginator(
        ScrutinyReview.objects.select_related("panel").order_by("-starts_on", "-pk"), 30
    ).get_page(request.GET.get("page"))
    return render(request, "engagement/staff/reviews.html", {"page": page})


@officer_required
@require_http_methods(["GET", "POST"])
def new_review(request):
    form = forms.ReviewForm(posted(request))

    def save(data):
        review = services.open_review(officer=request.officer, **data)
        return (
            "The review is open. Add the evidence the panel asks for.",
            f"/staff/engagement/reviews/{review.pk}/",
        )

    return _form_page(
        request,
        form,
        title="Open a scrutiny review",
        on_valid=save,
        back_url="/staff/engagement/reviews/",
        back_label="Back to reviews",
    )


def _review(pk) -> ScrutinyReview:
    review = selectors.review_with_everything(ScrutinyReview.objects.all(), pk=pk)
    if review is None:
        raise Http404("No such review")
    return review


@officer_required
def review_detail(request, pk):
    review = _review(pk)
    return render(
        request,
        "engagement/staff/review.html",
        {
            "review": review,
            "recommendation_form": forms.RecommendationForm(),
            "can_add": review.stage
            in (ReviewStage.SCOPING, ReviewStage.GATHERING, ReviewStage.REPORTING)
            and not review.published_at,
            "measures_available": bool(live_measures()),
            "is_manager": request.officer.is_manager,
            "today": timezone.localdate(),
        },
    )


def _review_back(review):
    return f"/staff/engagement/reviews/{review.pk}/"


@officer_required
@require_http_methods(["GET", "POST"])
def add_document(request, pk):
    review = _review(pk)
    form = forms.DocumentEvidenceForm(posted(request), posted(request, files=True), review=review)

    def save(data):
        services.add_document_evidence(
            review=review,
            officer=request.officer,
            title=data["title"],
            uploaded=data["document"],
            notes=data["notes"],
            request=data["request"],
        )
        return "The document is added to the evidence.", _review_back(review)

    return _form_page(
        request,
        form,
        title="Add a document",
        caption=review.title,
        on_valid=save,
        back_url=_review_back(review),
        back_label="Back to the review",
    )


@officer_required
@require_http_methods(["GET", "POST"])
def add_figure(request, pk):
    review = _review(pk)
    form = forms.FigureEvidenceForm(posted(request), review=review)

    def save(data):
        evidence = services.add_figure_evidence(
            review=review,
            officer=request.officer,
            measure_key=data["measure"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            notes=data["notes"],
            request=data["request"],
        )
        return (
            f"{evidence.title}: {evidence.met} of {evidence.total} added to the evidence.",
            _review_back(review),
        )

    return _form_page(
        request,
        form,
        title="Add a live figure",
        caption=review.title,
        on_valid=save,
        back_url=_review_back(review),
        back_label="Back to the review",
        intro="The figure is worked out now from the portal's records for the period you choose, and kept as it is today.",
    )


@officer_required
@require_http_methods(["GET", "POST"])
def findings(request, pk):
    review = _review(pk)
    form = forms.FindingsForm(
        posted(request), initial={"findings": review.findings, "summary": review.summary}
    )

    def save(data):
        services.record_findings(review=review, officer=request.officer, **data)
        return "The findings are saved.", _review_back(review)

    return _form_page(
        request,
        form,
        title="The panel's findings",
        caption=review.title,
        on_valid=save,
        back_url=_review_back(review),
        back_label="Back to the review",
    )


@officer_required
@require_POST
def add_recommendation(request, pk):
    review = _review(pk)
    form = forms.RecommendationForm(request.POST)
    if form.is_valid():

        def run():
            recommendation = services.add_recommendation(
                review=review, officer=request.officer, text=form.cleaned_data["text"]
            )
            return f"Recommendation {recommendation.number} is added."

        return carry_out(request, run, then=_review_back(review))
    return _form_page(
        request,
        form,
        title="Add a recommendation",
        caption=review.title,
        on_valid=None,
        back_url=_review_back(review),
        back_label="Back to the review",
    )


@officer_required
@require_POST
def send_recommendations(request, pk):
    review = _review(pk)

    def run():
        services.send_recommendations(review=review, officer=request.officer)
        return "The recommendations are with the landlord for a response."

    return carry_out(request, run, then=_review_back(review))


@officer_required
@require_http_methods(["GET", "POST"])
def respond(request, pk, number):
    review = _review(pk)
    recommendation = get_object_or_404(Recommendation, review=review, number=number)
    form = forms.ResponseForm(
        posted(request),
        initial={"decision": recommendation.decision or None, "reasons": recommendation.reasons},
    )

    def save(data):
        services.respond_to_recommendation(
            recommendation=recommendation, officer=request.officer, **data
        )
        return (
            f"The response to recommendation {number} is saved. The panel can see it.",
            _review_back(review),
        )

    return _form_page(
        request,
        form,
        title=f"Respond to recommendation {number}",
        caption=review.title,
        on_valid=save,
        back_url=_review_back(review),
        back_label="Back to the review",
        aside=recommendation.text,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def add_action(request, pk, number):
    review = _review(pk)
    recommendation = get_object_or_404(Recommendation, review=review, number=number)
    form = forms.ActionForm(posted(request), initial={"owner": request.officer})

    def save(data):
        services.add_action(recommendation=recommendation, officer=request.officer, **data)
        return "The action is added.", _review_back(review)

    return _form_page(
        request,
        form,
        title=f"Add an action to recommendation {number}",
        caption=review.title,
        on_valid=save,
        back_url=_review_back(review),
        back_label="Back to the review",
        aside=recommendation.text,
    )


@officer_required
@require_http_methods(["GET", "POST"])
def complete_action(request, pk):
    action = get_object_or_404(
        RecommendationAction.objects.select_related("recommendation__review"), pk=pk
    )
    review = action.recommendation.review
    form = forms.CompleteActionForm(posted(request))

    def save(data):
        services.complete_action(action=action, officer=request.officer, note=data["note"])
        return "The action is done.", _review_back(review)

    return _form_page(
        request,
        form,
        title="Mark the action as done",
        caption=review.title,
        on_valid=save,
        back_url=_review_back(review),
        back_label="Back to the review",
        aside=action.description,
    )


@officer_required
def actions(request):
    page = Paginator(selectors.open_actions(), 50).get_page(request.GET.get("page"))
    return render(
        request, "engagement/staff/actions.html", {"page": page, "today": timezone.localdate()}
    )


@manager_required
@require_POST
def publish_review(request, pk):
    review = _review(pk)

    def run():
        services.publish_review(review=review, officer=request.officer)
        return "The review and the landlord's response are published."

    return carry_out(request, run, then=_review_back(review))


@officer_required
def evidence_file(request, pk, evidence_pk):
    evidence = get_object_or_404(Evidence, pk=evidence_pk, review_id=pk, file__gt="")
    return serve_file(evidence.file, evidence.original_name, evidence.content_type)


# -- consultations -------------------------------------------------------------------------------------------


@officer_required
def consultations(request):
    page = Paginator(
        Consultation.objects.annotate(respondents=Count("responses")).order_by("-opens_at", "-pk"),
        30,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/staff/consultations.html",
        {"page": page, "is_manager": request.officer.is_manager, "now": timezone.now()},
    )


@manager_required
@require_http_methods(["GET", "POST"])
def edit_consultation(request, pk=None):
    consultation = get_object_or_404(Consultation, pk=pk) if pk else Consultation()
    initial = {}
    if pk:
        local_close = timezone.localtime(consultation.closes_at)
        initial = {
            "title": consultation.title,
            "summary": consultation.summary,
            "opens_on": timezone.localtime(consultation.opens_at).date(),
            "closes_on": local_close.date(),
            "closes_at_time": local_close.strftime("%H:%M"),
            "audience": consultation.audience,
            "audience_tenure": consultation.audience_tenure,
            "audience_estate": consultation.audience_estate,
            "tell_residents": consultation.tell_residents,
        }
    form = forms.ConsultationForm(posted(request), posted(request, files=True), initial=initial)

    def save(data):
        saved = services.save_consultation(
            consultation=form.apply_to(consultation),
            officer=request.officer,
            uploaded=data.get("document"),
        )
        return (
            "The consultation is saved. Add its questions.",
            f"/staff/engagement/consultations/{saved.pk}/",
        )

    return _form_page(
        request,
        form,
        title="Change the consultation" if pk else "Start a consultation",
        on_valid=save,
        back_url="/staff/engagement/consultations/",
        back_label="Back to consultations",
    )


def _consultation(pk) -> Consultation:
    return get_object_or_404(Consultation, pk=pk)


@officer_required
def consultation_detail(request, pk):
    consultation = _consultation(pk)
    counts = consultation.responses.aggregate(
        total=Count("pk"),
        web=Count("pk", filter=Q(channel="web")),
        other=Count("pk", filter=~Q(channel="web")),
    )
    return render(
        request,
        "engagement/staff/consultation.html",
        {
            "consultation": consultation,
            "questions": list(consultation.questions.all()),
            "results": selectors.consultation_results(consultation),
            "counts": counts,
            "question_form": forms.QuestionForm(),
            "is_manager": request.officer.is_manager,
            "is_open": consultation.is_open(),
            "has_closed": consultation.has_closed(),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def add_question(request, pk):
    consultation = _consultation(pk)
    form = forms.QuestionForm(posted(request))

    def save(data):
        question = services.add_question(
            consultation=consultation,
            officer=request.officer,
            text=data["text"],
            hint=data["hint"],
            kind=data["kind"],
            choices=form.choice_list(),
            required=data["required"],
        )
        return f"Question {question.number} is added.", f"/staff/engagement/consultations/{pk}/"

    return _form_page(
        request,
        form,
        title="Add a question",
        caption=consultation.title,
        on_valid=save,
        back_url=f"/staff/engagement/consultations/{pk}/",
        back_label="Back to the consultation",
    )


@officer_required
@require_http_methods(["GET", "POST"])
def enter_answers(request, pk):
    consultation = _consultation(pk)
    form = forms.PaperAnswersForm(posted(request), consultation=consultation)

    def save(data):
        resident = None
        reference = data.get("tenancy_reference", "").strip()
        if reference:
            tenancy = (
                Tenancy.objects.filter(reference__iexact=reference)
                .prefetch_related("residents")
                .first()
            )
            if tenancy is None:
                raise services.EngagementError("No tenancy has that reference")
            resident = tenancy.residents.first()
        services.submit_response(
            consultation=consultation,
            resident=resident,
            answers=form.answers(),
            channel=data["channel"],
            entered_by=request.officer,
            submission_token=data.get("submission_token"),
        )
        return (
            "The answers are saved. You can enter the next set.",
            f"/staff/engagement/consultations/{pk}/enter/",
        )

    return _form_page(
        request,
        form,
        title="Enter answers from paper or phone",
        caption=consultation.title,
        on_valid=save,
        back_url=f"/staff/engagement/consultations/{pk}/",
        back_label="Back to the consultation",
    )


@officer_required
def moderation(request):
    page = Paginator(selectors.comments_to_moderate(), 30).get_page(request.GET.get("page"))
    return render(request, "engagement/staff/moderation.html", {"page": page})


@officer_required
@require_POST
def moderate(request, pk):
    answer = get_object_or_404(ConsultationAnswer.objects.select_related("question"), pk=pk)
    approve = request.POST.get("decision") == "approve"

    def run():
        services.moderate_comment(answer=answer, officer=request.officer, approve=approve)
        return (
            "The comment is approved and shows in the results."
            if approve
            else "The comment will not be shown."
        )

    return carry_out(request, run, then="engagement_staff:moderation")


@manager_required
@require_http_methods(["GET", "POST"])
def publish_results(request, pk):
    consultation = _consultation(pk)
    form = forms.ResultsForm(
        posted(request), initial={"results_summary": consultation.results_summary}
    )

    def save(data):
        services.publish_results(
            consultation=consultation,
            officer=request.officer,
            results_summary=data["results_summary"],
        )
        return "The results are published.", f"/staff/engagement/consultations/{pk}/"

    return _form_page(
        request,
        form,
        title="Publish the results",
        caption=consultation.title,
        on_valid=save,
        back_url=f"/staff/engagement/consultations/{pk}/",
        back_label="Back to the consultation",
    )


@manager_required
@require_http_methods(["GET", "POST"])
def publish_outcome(request, pk):
    consultation = _consultation(pk)
    form = forms.OutcomeForm(
        posted(request),
        initial={"you_told_us": consultation.you_told_us, "we_changed": consultation.we_changed},
    )

    def save(data):
        services.publish_outcome(consultation=consultation, officer=request.officer, **data)
        return (
            "What you told us and what we changed is published, and listed in You said, we did.",
            f"/staff/engagement/consultations/{pk}/",
        )

    return _form_page(
        request,
        form,
        title="What you told us and what we changed",
        caption=consultation.title,
        on_valid=save,
        back_url=f"/staff/engagement/consultations/{pk}/",
        back_label="Back to the consultation",
    )


# -- you said, we did -----------------------------------------------------------------------------------------


@officer_required
def changes(request):
    page = Paginator(
        ChangeEntry.objects.select_related("review", "consultation", "panel").order_by(
            "-made_on", "-pk"
        ),
        30,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "engagement/staff/changes.html",
        {"page": page, "is_manager": request.officer.is_manager},
    )


@officer_required
@require_http_methods(["GET", "POST"])
def new_change(request):
    form = forms.ChangeForm(
        posted(request),
        can_publish=request.officer.is_manager,
        initial={"made_on": timezone.localdate()},
    )

    def save(data):
        services.record_change(
            officer=request.officer,
            source=data["source"],
            you_said=data["you_said"],
            we_did=data["we_did"],
            made_on=data["made_on"],
            review=data["review"],
            consultation=data["consultation"],
            panel=data["panel"],
            publish=data.get("publish", False),
        )
        return "The entry is saved.", "/staff/engagement/you-said-we-did/"

    return _form_page(
        request,
        form,
        title="Add a you said, we did entry",
        on_valid=save,
        back_url="/staff/engagement/you-said-we-did/",
        back_label="Back",
    )


@manager_required
@require_POST
def publish_change(request, pk):
    entry = get_object_or_404(ChangeEntry, pk=pk)
    publish = request.POST.get("publish") == "1"
    services.set_change_published(entry=entry, officer=request.officer, published=publish)
    messages.success(
        request, "The entry is published." if publish else "The entry is no longer published."
    )
    return redirect("engagement_staff:changes")
