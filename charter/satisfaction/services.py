"""Changes to the survey and the published measures. Each is one transaction, called alike by the
pages, the commands, the Celery tasks and the tests."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from charter.satisfaction import measures, selectors
from charter.satisfaction.models import (
    CollectionMethod,
    Invitation,
    Publication,
    ResponseCorrection,
    ResponseSource,
    Survey,
    SurveyResponse,
)
from portal.models import AuditEntry, Resident, Tenancy
from portal.services.audit import record_audit
from portal.services.notify import OutgoingMessage, queue_notifications
from portal.services.refusals import Refused

NOTIFY_CHUNK = 1000


class SurveyError(Refused):
    """A change the rules do not allow; the message says why in plain English."""


class AlreadyAnswered(SurveyError):
    pass


# -- the survey and its sample -------------------------------------------------------------------------------------


@transaction.atomic
def save_survey_settings(*, year: int, officer, **fields) -> Survey:
    survey, _ = Survey.objects.get_or_create(year=year)
    allowed = {
        "target_margin_of_error",
        "expected_response_rate",
        "opens_on",
        "closes_on",
        "reminder_after_days",
        "max_reminders",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown survey settings: {', '.join(sorted(unknown))}")
    start, end = measures.year_bounds(year)
    opens_on, closes_on = fields.get("opens_on"), fields.get("closes_on")
    for day in (opens_on, closes_on):
        if day and not start <= day <= end:
            raise SurveyError(f"The survey must open and close within {measures.year_label(year)}")
    if opens_on and closes_on and closes_on < opens_on:
        raise SurveyError("The survey must close on or after the day it opens")
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.save()
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        subject=str(survey),
        detail={name: str(value) for name, value in fields.items()},
    )
    return survey


def sample_plan(survey: Survey) -> dict:
    """For each tenure: households that can be surveyed, responses needed for the target margin of
    error, and households to invite (allowing for the expected response rate)."""
    lead = _lead_residents()
    plan = {}
    for tenure in measures.TENURES:
        households = lead.filter(home__tenure=tenure).count()
        needed = measures.responses_needed(
            margin=survey.target_margin_of_error, households=households
        )
        invite = (
            min(households, math.ceil(needed * 100 / survey.expected_response_rate))
            if needed
            else 0
        )
        plan[tenure] = {"households": households, "needed": needed, "invite": invite}
    return plan


def _lead_residents():
    """One resident per home on a current tenancy: the first on it (the lead tenant)."""
    return (
        Tenancy.objects.filter(end_date__isnull=True, residents__isnull=False)
        .values("home_id")
        .annotate(resident_id=Min("residents"))
        .order_by()
    )


@transaction.atomic
def draw_sample(
    *, survey: Survey, officer=None, rng: random.Random | None = None, now: datetime | None = None
) -> dict:
    """Invite a random sample of households of each tenure, sized for the survey's target margin of
    error, and queue their invitations through the outbox. Households already invited stay
    invited; drawing again tops the sample up to its size."""
    if survey.opens_on is None:
        raise SurveyError("Set the day the survey opens before drawing the sample")
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    plan = sample_plan(survey)
    already = set(survey.invitations.values_list("home_id", flat=True))
    created = {}
    for tenure in measures.TENURES:
        candidates = list(
            _lead_residents().filter(home__tenure=tenure).values_list("home_id", "resident_id")
        )
        have = sum(1 for home_id, _ in candidates if home_id in already)
        fresh = [pair for pair in candidates if pair[0] not in already]
        wanted = max(plan[tenure]["invite"] - have, 0)
        chosen = rng.sample(fresh, min(wanted, len(fresh)))
        Invitation.objects.bulk_create(
            [
                Invitation(
                    survey=survey,
                    home_id=home_id,
                    resident_id=resident_id,
                    tenure=tenure,
                    invited_at=now,
                    last_contacted_at=now,
                )
                for home_id, resident_id in chosen
            ],
            batch_size=1000,
        )
        created[tenure] = len(chosen)
    survey.sample_drawn_at = now
    survey.save(update_fields=["sample_drawn_at", "updated_at"])
    if officer is not None:
        record_audit(
            actor=officer.user, action=AuditEntry.Action.CREATE, subject=str(survey), detail=created
        )
    invited_at = now
    transaction.on_commit(lambda: _queue_invitation_task(survey.pk, invited_at))
    return created


def _queue_invitation_task(survey_id: int, invited_at: datetime) -> None:
    from charter.satisfaction.tasks import send_invitations

    send_invitations.delay(survey_id, invited_at.isoformat())


@transaction.atomic
def invite_household(
    *, survey: Survey, resident: Resident, now: datetime | None = None
) -> Invitation:
    """Invite one household outside the random draw (a resident asks to take part, or the demo)."""
    home = selectors.current_home(resident)
    if home is None or home.tenure not in measures.TENURES:
        raise SurveyError("Only social rent and shared ownership households are surveyed")
    now = now or timezone.now()
    invitation, created = Invitation.objects.get_or_create(
        survey=survey,
        home=home,
        defaults={
            "resident": resident,
            "tenure": home.tenure,
            "invited_at": now,
            "last_contacted_at": now,
        },
    )
    if created:
        _notify([invitation], template="satisfaction_invitation", survey=survey)
    return invitation


def _notify(invitations, *, template: str, survey: Survey) -> int:
    """Queue one message per invitation through the outbox, in one bulk insert."""
    context = {"survey": survey, "year_label": survey.label, "closes_on": survey.closes_on}
    queue_notifications(
        [
            OutgoingMessage(template, context, resident=invitation.resident)
            for invitation in invitations
        ]
    )
    return len(invitations)


def send_invitations(*, survey_id: int, invited_at: datetime) -> int:
    """Queue the invitation messages of one draw, a chunk at a time."""
    survey = Survey.objects.get(pk=survey_id)
    sent = 0
    invitations = survey.invitations.filter(invited_at=invited_at, reminders_sent=0).order_by("pk")
    last_pk = 0
    while True:
        chunk = list(invitations.filter(pk__gt=last_pk).select_related("resident")[:NOTIFY_CHUNK])
        if not chunk:
            return sent
        with transaction.atomic():
            sent += _notify(chunk, template="satisfaction_invitation", survey=survey)
        last_pk = chunk[-1].pk


def remind_non_respondents(*, now: datetime | None = None) -> int:
    """Remind invited households that have not answered an open survey, after the survey's
    interval, at most its number of reminders. Each chunk is marked reminded in the same
    transaction as its messages are queued, so a reminder goes once however often this runs."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    surveys = Survey.objects.filter(
        opens_on__lte=today, closes_on__gte=today, sample_drawn_at__isnull=False
    )
    for survey in surveys:
        answered = SurveyResponse.objects.counted().filter(year=survey.year, home=OuterRef("home"))
        due = survey.invitations.filter(
            reminders_sent__lt=survey.max_reminders,
            last_contacted_at__lte=now - timedelta(days=survey.reminder_after_days),
        ).exclude(Exists(answered))
        while True:
            with transaction.atomic():
                chunk = list(
                    due.select_for_update(skip_locked=True, of=("self",))
                    .select_related("resident")
                    .order_by("pk")[:NOTIFY_CHUNK]
                )
                if not chunk:
                    break
                _notify(chunk, template="satisfaction_reminder", survey=survey)
                for invitation in chunk:
                    invitation.reminders_sent += 1
                    invitation.last_contacted_at = now
                Invitation.objects.bulk_update(chunk, ["reminders_sent", "last_contacted_at"])
                sent += len(chunk)
    return sent


# -- responses -----------------------------------------------------------------------------------------------------


def _cleaned_answers(answers: dict, filters: dict, *, tenure: str) -> dict:
    """Answers by field (tp01...), keeping only questions asked of this household: filtered ones
    only when their filter is yes, TP02 and TP03 only for social rent."""
    cleaned = {}
    for question in measures.QUESTIONS:
        value = answers.get(question.code) or answers.get(question.field) or ""
        asked = tenure in question.tenures() and (
            not question.asked_if or filters.get(question.asked_if) is True
        )
        if value and value not in (*question.valid_answers, measures.DONT_KNOW):
            raise SurveyError(f"'{value}' is not an answer to {question.code}")
        cleaned[question.field] = value if asked else ""
    return cleaned


def _store(response: SurveyResponse) -> SurveyResponse:
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError:
        if response.submission_token:
            existing = SurveyResponse.objects.filter(
                submission_token=response.submission_token
            ).first()
            if existing is not None:
                return existing  # the same form sent twice: one response
        raise AlreadyAnswered(
            f"This household has already answered the {measures.year_label(response.year)} survey. "
            "Each household answers once a year."
        ) from None
    return response


@transaction.atomic
def record_online_response(
    *,
    resident: Resident,
    invitation: Invitation,
    answers: dict,
    filters: dict,
    submission_token=None,
) -> SurveyResponse:
    """The resident's own answers, given online. Once per household per year."""
    if invitation.resident_id != resident.pk:
        raise SurveyError("This invitation is for someone else")
    survey = invitation.survey
    today = timezone.localdate()
    if not (
        survey.opens_on
        and survey.opens_on <= today
        and (survey.closes_on is None or today <= survey.closes_on)
    ):
        raise SurveyError(f"The {survey.label} survey is not open")
    if not answers.get("TP01"):
        raise SurveyError("Answer the first question")
    if any(value == measures.DONT_KNOW for value in answers.values()):
        raise SurveyError(
            "The online survey does not offer don't know; leave a question out instead"
        )
    home = invitation.home
    response = SurveyResponse(
        year=survey.year,
        respondent=home.uprn,
        home=home,
        resident=resident,
        tenure=invitation.tenure,
        collected_on=today,
        method=CollectionMethod.ONLINE,
        source=ResponseSource.RESIDENT,
        had_repair=filters.get(measures.REPAIR_FILTER)
        if invitation.tenure == measures.LCRA
        else None,
        made_complaint=filters.get(measures.COMPLAINT_FILTER),
        has_communal=filters.get(measures.COMMUNAL_FILTER),
        submission_token=submission_token,
        **_cleaned_answers(answers, filters, tenure=invitation.tenure),
    )
    return _store(response)


@transaction.atomic
def record_interview(
    *,
    officer,
    year: int,
    home,
    method: str,
    collected_on: date,
    answers: dict,
    filters: dict,
    resident: Resident | None = None,
    submission_token=None,
) -> SurveyResponse:
    """Answers given to staff in a phone or face-to-face interview, or on paper. An unprompted
    don't know is recorded as such and left out of the results."""
    if home.tenure not in measures.TENURES:
        raise SurveyError("Only social rent and shared ownership households are surveyed")
    if method not in (
        CollectionMethod.PHONE,
        CollectionMethod.FACE_TO_FACE,
        CollectionMethod.PAPER,
    ):
        raise SurveyError(
            "Staff record phone, face-to-face or paper answers; online answers come from residents"
        )
    start, end = measures.year_bounds(year)
    if not start <= collected_on <= end:
        raise SurveyError(f"The interview date must be within {measures.year_label(year)}")
    if collected_on > timezone.localdate():
        raise SurveyError("The interview date cannot be in the future")
    if not answers.get("TP01"):
        raise SurveyError("Record the answer to the first question")
    response = _store(
        SurveyResponse(
            year=year,
            respondent=home.uprn,
            home=home,
            resident=resident,
            tenure=home.tenure,
            collected_on=collected_on,
            method=method,
            source=ResponseSource.STAFF,
            had_repair=filters.get(measures.REPAIR_FILTER)
            if home.tenure == measures.LCRA
            else None,
            made_complaint=filters.get(measures.COMPLAINT_FILTER),
            has_communal=filters.get(measures.COMMUNAL_FILTER),
            entered_by=officer,
            submission_token=submission_token,
            **_cleaned_answers(answers, filters, tenure=home.tenure),
        )
    )
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CREATE,
        subject=f"Survey response {response.respondent} {measures.year_label(year)}",
        resident=resident,
        detail={"method": method, "collected_on": collected_on.isoformat()},
    )
    return response


# -- corrections and withdrawals -------------------------------------------------------------------------------------


def can_correct(*, officer, response: SurveyResponse) -> bool:
    """A manager, or the officer who keyed the answers in, may correct a response staff entered
    or imported. A resident's own online answers are theirs: staff may only withdraw them."""
    return (
        response.withdrawn_at is None
        and response.source != ResponseSource.RESIDENT
        and (officer.is_manager or response.entered_by_id == officer.pk)
    )


def can_withdraw(*, officer, response: SurveyResponse) -> bool:
    return response.withdrawn_at is None and officer.is_manager


def _checked_correction(answers: dict, filters: dict, *, tenure: str) -> tuple[dict, dict]:
    """The corrected answers by field and filter answers, checked as at entry, except that an
    answer to a question the household was not asked is refused rather than dropped: a correction
    says exactly what the record becomes."""
    filters = {name: filters.get(name) for name in measures.FILTERS}
    if tenure != measures.LCRA:
        if filters[measures.REPAIR_FILTER] is not None:
            raise SurveyError("Shared owners are not asked about repairs")
    for name, value in filters.items():
        if value not in (True, False, None):
            raise SurveyError(f"The answer to '{name}' must be yes, no or left out")
    cleaned = {}
    for question in measures.QUESTIONS:
        value = answers.get(question.code) or ""
        if value and value not in (*question.valid_answers, measures.DONT_KNOW):
            raise SurveyError(f"'{value}' is not an answer to {question.code}")
        if value and tenure not in question.tenures():
            raise SurveyError(f"{question.code} is asked of social rent (LCRA) households only")
        if value and question.asked_if and filters[question.asked_if] is not True:
            raise SurveyError(
                f"{question.code} is only asked when the answer to "
                f"'{measures.FILTER_QUESTIONS[question.asked_if].format(landlord='the landlord')}' "
                "is yes: remove the answer or change that answer to yes"
            )
        cleaned[question.field] = value
    if not cleaned["tp01"]:
        raise SurveyError("Record the answer to the first question")
    return cleaned, filters


@transaction.atomic
def correct_response(
    *,
    officer,
    response: SurveyResponse,
    answers: dict,
    filters: dict,
    reason: str,
    submission_token=None,
) -> ResponseCorrection:
    """Correct answers or filter answers keyed wrongly (answers by code, filters by name: True,
    False or None). Checked as at entry; the change is kept in the response's history and the
    audit trail with what it was before and after. The published figures are not touched."""
    reason = reason.strip()
    if not reason:
        raise SurveyError("Say why the answers are being corrected")
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if submission_token:
        done = ResponseCorrection.objects.filter(submission_token=submission_token).first()
        if done is not None:
            return done  # the same form sent twice: one correction
    if response.withdrawn_at is not None:
        raise SurveyError("This response has been withdrawn and cannot be corrected")
    if response.source == ResponseSource.RESIDENT:
        raise SurveyError(
            "The resident gave these answers online themselves: staff cannot change them, "
            "only a manager can withdraw them"
        )
    if not can_correct(officer=officer, response=response):
        raise SurveyError("Only a manager or the officer who entered the answers can correct them")
    fields, new_filters = _checked_correction(answers, filters, tenure=response.tenure)
    before, after = {}, {}
    for question in measures.QUESTIONS:
        old, new = getattr(response, question.field), fields[question.field]
        if old != new:
            before[question.code], after[question.code] = old, new
    for name, new in new_filters.items():
        old = getattr(response, name)
        if old != new:
            before[name], after[name] = old, new
    if not after:
        raise SurveyError("Nothing has changed: change an answer, or go back")
    for name, value in {**fields, **new_filters}.items():
        setattr(response, name, value)
    response.save(update_fields=[*fields, *new_filters])
    correction = ResponseCorrection.objects.create(
        response=response,
        corrected_at=timezone.now(),
        corrected_by=officer,
        reason=reason,
        before=before,
        after=after,
        submission_token=submission_token,
    )
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        subject=f"Survey response {response.respondent} {measures.year_label(response.year)}",
        resident=response.resident,
        detail={"reason": reason, "before": before, "after": after, "response": response.pk},
    )
    return correction


@transaction.atomic
def withdraw_response(*, officer, response: SurveyResponse, reason: str) -> SurveyResponse:
    """Take a response out of the results (a duplicate household, or the resident asked for their
    answers to be removed). It stays stored and visible to managers as withdrawn; the household
    may answer again. The published figures are not touched."""
    if not officer.is_manager:
        raise SurveyError("Only a manager can withdraw a response")
    reason = reason.strip()
    if not reason:
        raise SurveyError("Say why the response is being withdrawn")
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if response.withdrawn_at is not None:
        raise SurveyError("This response has already been withdrawn")
    response.withdrawn_at = timezone.now()
    response.withdrawn_by = officer
    response.withdrawal_reason = reason
    response.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CHANGE,
        subject=f"Survey response {response.respondent} {measures.year_label(response.year)}",
        resident=response.resident,
        detail={
            "reason": reason,
            "before": {"withdrawn": False},
            "after": {"withdrawn": True},
            "response": response.pk,
        },
    )
    return response


# -- publishing ----------------------------------------------------------------------------------------------------


@transaction.atomic
def save_approach(*, year: int, officer, **fields) -> Survey:
    names = {name for name, _ in Survey.APPROACH_FIELDS}
    unknown = set(fields) - names
    if unknown:
        raise ValueError(f"Unknown parts of the summary of approach: {', '.join(sorted(unknown))}")
    survey, _ = Survey.objects.get_or_create(year=year)
    for name, value in fields.items():
        setattr(survey, name, value.strip())
    survey.save()
    record_audit(actor=officer.user, action=AuditEntry.Action.CHANGE, subject=str(survey))
    return survey


@transaction.atomic
def publish_year(*, year: int, officer, note: str = "") -> Publication:
    """Freeze the year's 22 measures and the summary of approach as published. The first
    publication is revision 1; a year already published can only be corrected by a new revision,
    with a note saying what it corrects. Nothing published is ever changed."""
    if not officer.is_manager:
        raise SurveyError("Only a manager can publish the measures")
    if year >= measures.year_of(timezone.localdate()) + 1:
        raise SurveyError(f"{measures.year_label(year)} has not started yet")
    survey = Survey.objects.select_for_update().filter(year=year).first()
    if survey is None:
        raise SurveyError(f"There is no {measures.year_label(year)} survey to publish")
    missing = [
        label
        for name, label in Survey.APPROACH_FIELDS
        if name in REQUIRED_APPROACH and not getattr(survey, name)
    ]
    if missing:
        raise SurveyError(
            "Write the summary of approach first: " + ", ".join(label.lower() for label in missing)
        )
    latest = Publication.objects.filter(year=year).order_by("-revision").first()
    note = note.strip()
    if latest is not None and not note:
        raise SurveyError(
            f"{measures.year_label(year)} is already published and cannot be changed. To correct it, publish a "
            "new revision with a note saying what it corrects."
        )
    mix = selectors.response_mix(year)
    results = selectors.perception_results(year)
    approach = survey.approach() | {
        "responses": mix["total"],
        "responses_by_tenure": mix["by_tenure"],
        "responses_by_method": mix["by_method"],
        "first_collected_on": mix["first_collected_on"].isoformat()
        if mix["first_collected_on"]
        else None,
        "last_collected_on": mix["last_collected_on"].isoformat()
        if mix["last_collected_on"]
        else None,
        "margin_of_error": {
            tenure: {
                # Decimals as strings so the snapshot keeps them exactly; counts as numbers.
                key: (str(value) if isinstance(value, Decimal) else value)
                for key, value in results[tenure]["margin_of_error"].items()
            }
            for tenure in measures.TENURES
        },
        "target_margin_of_error": str(survey.target_margin_of_error),
    }
    publication = Publication.objects.create(
        year=year,
        revision=(latest.revision + 1) if latest else 1,
        published_at=timezone.now(),
        published_by=officer,
        note=note,
        figures=selectors.measure_rows(year),
        approach=approach,
    )
    record_audit(
        actor=officer.user,
        action=AuditEntry.Action.CREATE,
        subject=str(publication),
        detail={"revision": publication.revision},
    )
    return publication


REQUIRED_APPROACH = ("timing", "collection_methods", "sample_method", "representativeness")
