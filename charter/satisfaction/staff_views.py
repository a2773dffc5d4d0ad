"""Staff pages: the year's survey and measures, imports, interviews, the summary of approach and
publishing. Officers enter interviews; settings, imports and publishing need a manager."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from charter.satisfaction import forms, importing, measures, selectors, services
from charter.satisfaction.models import ManagementImport, ResponseImport, Survey
from portal.forms import posted
from portal.models import AuditEntry, Landlord, Resident
from portal.services.audit import record_audit
from portal.views.access import manager_required, officer_required
from portal.views.actions import carry_out, submit_form


def _check_year(year: int) -> None:
    if not 2000 <= year <= measures.year_of(timezone.localdate()):
        raise Http404("No such year")


def _year_url(year) -> str:
    return reverse("satisfaction_staff:year", args=[year])


def _year_page(year):
    return redirect(_year_url(year))


def _rejected_message(problems) -> str:
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return f"The file was not imported: it has {count}, listed under Problems in the file. Nothing was written."


@officer_required
def index(request):
    current = measures.year_of(timezone.localdate())
    surveys = {s.year: s for s in Survey.objects.all()}
    published = {p.year: p for p in selectors.published_years()}
    years = sorted({current, *surveys, *published}, reverse=True)
    rows = [
        {
            "year": year,
            "label": measures.year_label(year),
            "survey": surveys.get(year),
            "publication": published.get(year),
        }
        for year in years
    ]
    return render(request, "satisfaction/staff/index.html", {"rows": rows})


@officer_required
def year_view(request, year):
    _check_year(year)
    survey = selectors.survey_for(year)
    results = selectors.perception_results(year)
    management = selectors.management_information(year)
    revisions = selectors.revisions(year)
    latest = selectors.latest_publication(year) if revisions else None
    changed = selectors.changed_since_published(
        latest, selectors.measure_rows(year, results=results, management=management)
    )
    context = {
        "year": year,
        "label": measures.year_label(year),
        "survey": survey,
        "results": results,
        "tenures": [(t, measures.TENURE_LABELS[t], results[t]) for t in measures.TENURES],
        "questions": measures.QUESTIONS,
        "management": management,
        "changed": changed,
        "mix": selectors.response_mix(year),
        "invitations": selectors.invitation_figures(survey) if survey else None,
        "plan": services.sample_plan(survey) if survey else None,
        "revisions": revisions,
        "threshold": measures.SURVEY_THRESHOLD_HOMES,
        "threshold_label": f"{measures.SURVEY_THRESHOLD_HOMES:,}",
        "response_imports": ResponseImport.objects.filter(year=year).select_related("imported_by")[
            :5
        ],
        "record_imports": ManagementImport.objects.filter(year=year).select_related("imported_by")[
            :5
        ],
        "method_labels": dict(forms.CollectionMethod.choices),
    }
    return render(request, "satisfaction/staff/year.html", context)


@manager_required
@require_http_methods(["GET", "POST"])
def survey_settings(request, year):
    _check_year(year)
    survey = selectors.survey_for(year) or Survey(year=year)
    form = forms.SurveySettingsForm(
        posted(request), instance=survey
    )

    def save(data):
        services.save_survey_settings(
            year=year, officer=request.officer, **{name: data[name] for name in form.Meta.fields}
        )
        return "The survey settings are saved."

    saved = submit_form(request, form, save, success_url=_year_url(year))
    if saved:
        return saved
    plan = services.sample_plan(survey) if survey.pk else None
    return render(
        request,
        "satisfaction/staff/settings.html",
        {
            "form": form,
            "year": year,
            "label": measures.year_label(year),
            "survey": survey,
            "plan": plan,
            "tenure_labels": measures.TENURE_LABELS,
        },
    )


@manager_required
@require_POST
def draw_sample(request, year):
    survey = selectors.survey_for(year)
    if survey is None:
        raise Http404("No survey")

    def draw():
        created = services.draw_sample(survey=survey, officer=request.officer)
        return (
            f"{sum(created.values())} households invited ({created[measures.LCRA]} social rent, "
            f"{created[measures.LCHO]} shared ownership). Their invitations are being sent."
        )

    return carry_out(request, draw, then=_year_url(year))


@manager_required
@require_http_methods(["GET", "POST"])
def import_responses(request, year):
    _check_year(year)
    form = forms.CsvUploadForm(
        posted(request),
        posted(request, files=True),
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.import_responses(
                form.text, year=year, officer=request.officer, file_name=upload.name
            )
        except importing.ImportRejected as rejected:
            problems = rejected.errors
            form.add_error(
                "file",
                _rejected_message(problems),
            )
        else:
            record_audit(
                actor=request.user,
                action=AuditEntry.Action.CREATE,
                subject=upload.name,
                detail={"year": year, "responses": result.created},
            )
            messages.success(
                request,
                f"Imported {result.created} responses from {upload.name} ({result.by_tenure[measures.LCRA]} social "
                f"rent, {result.by_tenure[measures.LCHO]} shared ownership).",
            )
            return _year_page(year)
    return render(
        request,
        "satisfaction/staff/import.html",
        {
            "form": form,
            "problems": problems,
            "year": year,
            "label": measures.year_label(year),
            "columns": importing.RESPONSE_COLUMNS,
            "title": "Import survey responses",
            "kind": "responses",
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def import_records(request, year, kind):
    _check_year(year)
    if kind not in ("compliance", "stock-condition"):
        raise Http404("No such records")
    form = forms.CsvUploadForm(
        posted(request),
        posted(request, files=True),
    )
    problems = []
    importer = (
        importing.import_compliance if kind == "compliance" else importing.import_stock_condition
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importer(form.text, year=year, officer=request.officer, file_name=upload.name)
        except importing.ImportRejected as rejected:
            problems = rejected.errors
            form.add_error(
                "file",
                _rejected_message(problems),
            )
        else:
            messages.success(request, f"Imported {result.total} records from {upload.name}.")
            return _year_page(year)
    compliance = kind == "compliance"
    return render(
        request,
        "satisfaction/staff/import.html",
        {
            "form": form,
            "problems": problems,
            "year": year,
            "label": measures.year_label(year),
            "columns": importing.COMPLIANCE_COLUMNS
            if compliance
            else importing.STOCK_CONDITION_COLUMNS,
            "title": "Import compliance records"
            if compliance
            else "Import stock condition records",
            "kind": kind,
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def find_household(request, year):
    _check_year(year)
    form = forms.FindHouseholdForm(posted(request))
    if request.method == "POST" and form.is_valid():
        return redirect("satisfaction_staff:new_interview", year=year, uprn=form.home.uprn)
    return render(
        request,
        "satisfaction/staff/find_household.html",
        {
            "form": form,
            "year": year,
            "label": measures.year_label(year),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def new_interview(request, year, uprn):
    _check_year(year)
    from portal.models import Home

    home = Home.objects.filter(uprn=uprn).first()
    if home is None or home.tenure not in measures.TENURES:
        raise Http404("No such household")
    residents = list(
        Resident.objects.filter(tenancies__home=home, tenancies__end_date__isnull=True)
        .order_by("pk")
        .distinct()
    )
    record_audit(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        subject=f"Survey household {home.uprn}",
        resident=residents[0] if residents else None,
    )
    already = selectors.household_has_answered(year=year, home=home)
    landlord = Landlord.current()
    details = forms.InterviewDetailsForm(
        posted(request), year=year, prefix="interview"
    )
    survey_form = forms.SurveyForm(
        posted(request),
        landlord_name=landlord.name,
        tenure=home.tenure,
        staff=True,
    )
    if request.method == "POST" and not already:
        details_ok, answers_ok = details.is_valid(), survey_form.is_valid()
        if details_ok and answers_ok:
            try:
                services.record_interview(
                    officer=request.officer,
                    year=year,
                    home=home,
                    resident=residents[0] if residents else None,
                    method=details.cleaned_data["method"],
                    collected_on=details.cleaned_data["collected_on"],
                    answers=survey_form.answers(),
                    filters=survey_form.filter_answers(),
                    submission_token=survey_form.cleaned_data.get("submission_token"),
                )
            except services.AlreadyAnswered as error:
                messages.error(request, str(error))
                return _year_page(year)
            except services.SurveyError as error:
                survey_form.add_error(None, str(error))
            else:
                messages.success(request, f"The answers from {home.short_address} are recorded.")
                return _year_page(year)
    return render(
        request,
        "satisfaction/staff/interview.html",
        {
            "details": details,
            "form": survey_form,
            "home": home,
            "residents": residents,
            "already": already,
            "year": year,
            "label": measures.year_label(year),
        },
    )


@officer_required
def responses(request, year):
    _check_year(year)
    managing = request.officer.is_manager
    page = Paginator(selectors.staff_responses(year, include_withdrawn=managing), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "satisfaction/staff/responses.html",
        {
            "page": page,
            "year": year,
            "label": measures.year_label(year),
            "managing": managing,
        },
    )


def _response_or_404(request, year, pk):
    """The response, if this member of staff may see it: withdrawn ones are for managers."""
    _check_year(year)
    response = selectors.staff_response(
        year=year, pk=pk, include_withdrawn=request.officer.is_manager
    )
    if response is None:
        raise Http404("No such response")
    return response


def _response_subject(response) -> str:
    return f"Survey response {response.respondent} {measures.year_label(response.year)}"


def _answer_rows(response) -> list[dict]:
    """The response's filter and question answers in the order they are asked."""
    labels = dict(measures.ANSWER_CHOICES)
    yes_no = {True: "Yes", False: "No", None: "Not answered"}
    landlord = Landlord.current().name
    rows, shown_filters = [], set()
    for question in measures.QUESTIONS:
        if response.tenure not in question.tenures():
            continue
        if question.asked_if and question.asked_if not in shown_filters:
            shown_filters.add(question.asked_if)
            rows.append(
                {
                    "key": measures.FILTER_QUESTIONS[question.asked_if].format(landlord=landlord),
                    "value": yes_no[getattr(response, question.asked_if)],
                }
            )
        value = getattr(response, question.field)
        rows.append(
            {
                "key": f"{question.code}. {question.text(landlord)}",
                "value": labels.get(value, "Not answered") if value else "Not answered",
            }
        )
    return rows


@officer_required
def response_detail(request, year, pk):
    response = _response_or_404(request, year, pk)
    record_audit(
        actor=request.user,
        action=AuditEntry.Action.VIEW,
        subject=_response_subject(response),
        resident=response.resident,
    )
    return render(
        request,
        "satisfaction/staff/response.html",
        {
            "response": response,
            "rows": _answer_rows(response),
            "corrections": selectors.corrections(response),
            "can_correct": services.can_correct(officer=request.officer, response=response),
            "can_withdraw": services.can_withdraw(officer=request.officer, response=response),
            "year": year,
            "label": measures.year_label(year),
        },
    )


@officer_required
@require_http_methods(["GET", "POST"])
def correct_response(request, year, pk):
    response = _response_or_404(request, year, pk)
    if not services.can_correct(officer=request.officer, response=response):
        raise PermissionDenied(
            "Only a manager or the officer who entered these answers can correct them"
        )
    landlord = Landlord.current()
    data = posted(request)
    survey_form = forms.SurveyForm(
        data,
        landlord_name=landlord.name,
        tenure=response.tenure,
        staff=True,
        initial=forms.initial_answers(response),
    )
    reason = forms.CorrectionReasonForm(data, prefix="correction")
    if request.method == "POST":
        answers_ok, reason_ok = survey_form.is_valid(), reason.is_valid()
        if answers_ok and reason_ok:

            def correct(data):
                services.correct_response(
                    officer=request.officer,
                    response=response,
                    answers=survey_form.answers(),
                    filters=survey_form.filter_answers(),
                    reason=reason.cleaned_data["reason"],
                    submission_token=data.get("submission_token"),
                )
                return "The correction is saved."

            corrected = submit_form(
                request,
                survey_form,
                correct,
                success_url=reverse("satisfaction_staff:response", args=[year, response.pk]),
            )
            if corrected:
                return corrected
    return render(
        request,
        "satisfaction/staff/correct.html",
        {
            "form": survey_form,
            "details": reason,
            "response": response,
            "year": year,
            "label": measures.year_label(year),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def withdraw_response(request, year, pk):
    response = _response_or_404(request, year, pk)
    if response.withdrawn_at is not None:
        messages.info(request, "This response has already been withdrawn.")
        return redirect("satisfaction_staff:response", year=year, pk=response.pk)
    form = forms.WithdrawalForm(posted(request))

    def withdraw(data):
        services.withdraw_response(
            officer=request.officer, response=response, reason=data["reason"]
        )
        return (
            "The response is withdrawn: it no longer counts in the results, and the household "
            "may answer again."
        )

    return submit_form(
        request,
        form,
        withdraw,
        success_url=reverse("satisfaction_staff:response", args=[year, response.pk]),
    ) or render(
        request,
        "satisfaction/staff/withdraw.html",
        {
            "form": form,
            "response": response,
            "published": selectors.latest_publication(year),
            "year": year,
            "label": measures.year_label(year),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def approach(request, year):
    _check_year(year)
    survey = selectors.survey_for(year) or Survey(year=year)
    form = forms.ApproachForm(posted(request), instance=survey)
    if request.method == "POST" and form.is_valid():
        services.save_approach(
            year=year,
            officer=request.officer,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, "The summary of approach is saved.")
        return _year_page(year)
    return render(
        request,
        "satisfaction/staff/approach.html",
        {
            "form": form,
            "year": year,
            "label": measures.year_label(year),
            "mix": selectors.response_mix(year),
            "method_labels": dict(forms.CollectionMethod.choices),
        },
    )


@manager_required
@require_http_methods(["GET", "POST"])
def publish(request, year):
    _check_year(year)
    latest = selectors.latest_publication(year)
    form = forms.PublishForm(
        posted(request), revision_needed=latest is not None
    )

    def publish_it(data):
        publication = services.publish_year(
            year=year, officer=request.officer, note=data.get("note", "")
        )
        return f"The {publication.label} measures are published (revision {publication.revision})."

    published = submit_form(
        request, form, publish_it, success_url=reverse("satisfaction:year", args=[year])
    )
    if published:
        return published
    rows = selectors.measure_rows(year)
    return render(
        request,
        "satisfaction/staff/publish.html",
        {
            "form": form,
            "year": year,
            "label": measures.year_label(year),
            "latest": latest,
            "rows": rows,
            "changed": selectors.changed_since_published(latest, rows),
            "year_ended": year < measures.year_of(timezone.localdate()),
            "tenure_labels": measures.TENURE_LABELS,
        },
    )
