"""Public pages (the published measures, no sign-in) and the resident's online survey."""

from __future__ import annotations

import csv
from datetime import date

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from charter.satisfaction import charts, measures, selectors, services
from charter.satisfaction.forms import SurveyForm
from charter.satisfaction.models import CollectionMethod
from portal.forms import posted
from portal.models import Landlord
from portal.views.access import resident_required


def published_years(request):
    return render(
        request, "satisfaction/public/index.html", {"publications": selectors.published_years()}
    )


def _sections(publication, earlier_years):
    """The measures grouped by code, each line with its chart over the published years."""
    years = [p for p in earlier_years if p.year < publication.year] + [publication]
    lines = selectors.history(years)
    sections, by_code = [], {}
    for row in selectors.published_rows(publication):
        key = (row["code"], row["part"], row["tenure"])
        points = lines.get(key, [(publication.year, row["value"])])
        # The chart shows this revision's figure for its own year, with earlier years' latest.
        points = [(year, value) for year, value in points if year != publication.year] + [
            (publication.year, row["value"])
        ]
        chart_id = f"chart-{row['code']}-{row['tenure']}-{len(by_code.get(row['code'], {}).get('lines', []))}".lower()
        title = (
            f"{row['code']} {row['part'] or row['name']}, {measures.TENURE_LABELS[row['tenure']]}"
        )
        line = {
            **row,
            "tenure_label": measures.TENURE_LABELS[row["tenure"]],
            "points": [(measures.year_label(year), value) for year, value in points],
            "chart": charts.bar_chart(
                chart_id=chart_id, title=title, points=points, unit=row["unit"]
            ),
            "chart_id": chart_id,
        }
        if row["code"] not in by_code:
            by_code[row["code"]] = {
                "code": row["code"],
                "name": row["name"],
                "description": row["description"],
                "lines": [],
            }
            sections.append(by_code[row["code"]])
        by_code[row["code"]]["lines"].append(line)
    return sections


def _results_page(request, publication):
    all_years = selectors.published_years()
    context = {
        "publication": publication,
        "sections": _sections(publication, all_years),
        "revisions": selectors.revisions(publication.year),
        "other_years": [p for p in all_years if p.year != publication.year],
        "approach_fields": _approach(publication),
        "margins": [
            (
                measures.TENURE_LABELS[tenure],
                publication.approach.get("margin_of_error", {}).get(tenure),
            )
            for tenure in measures.TENURES
        ],
        "collected": _collected(publication.approach),
        "methods": [
            (dict(CollectionMethod.choices).get(method, method).lower(), n)
            for method, n in sorted(publication.approach.get("responses_by_method", {}).items())
        ],
        "threshold": measures.SURVEY_THRESHOLD_HOMES,
        "threshold_label": f"{measures.SURVEY_THRESHOLD_HOMES:,}",
        "tenure_labels": measures.TENURE_LABELS,
    }
    return render(request, "satisfaction/public/year.html", context)


def _approach(publication):
    from charter.satisfaction.models import Survey

    return [(label, publication.approach.get(name, "")) for name, label in Survey.APPROACH_FIELDS]


def _collected(approach):
    first, last = approach.get("first_collected_on"), approach.get("last_collected_on")
    if not first:
        return ""
    return f"{date.fromisoformat(first):%-d %B %Y} to {date.fromisoformat(last):%-d %B %Y}"


def year_results(request, year):
    publication = selectors.latest_publication(year)
    if publication is None:
        raise Http404("Not published")
    return _results_page(request, publication)


def revision(request, year, number):
    publication = selectors.publication_revision(year, number)
    if publication is None:
        raise Http404("No such revision")
    return _results_page(request, publication)


def _csv(publication):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="tenant-satisfaction-measures-{publication.year}-revision-{publication.revision}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "year",
            "revision",
            "code",
            "measure",
            "part",
            "tenure",
            "value",
            "unit",
            "base",
            "note",
            "description",
        ]
    )
    for row in publication.figures:
        writer.writerow(
            [
                publication.label,
                publication.revision,
                row["code"],
                row["name"],
                row["part"],
                row["tenure"],
                "" if row["value"] is None else row["value"],
                row["unit"],
                row["valid"],
                row["note"],
                row["description"],
            ]
        )
    return response


def year_csv(request, year):
    publication = selectors.latest_publication(year)
    if publication is None:
        raise Http404("Not published")
    return _csv(publication)


def revision_csv(request, year, number):
    publication = selectors.publication_revision(year, number)
    if publication is None:
        raise Http404("No such revision")
    return _csv(publication)


# -- the resident's survey ---------------------------------------------------------------------------------------------


@resident_required
@require_http_methods(["GET", "POST"])
def survey(request):
    resident = request.resident
    invitation = selectors.open_invitation(resident, today=timezone.localdate())
    if invitation is None:
        return render(request, "satisfaction/resident/not_invited.html", status=200)
    survey = invitation.survey
    if selectors.household_has_answered(year=survey.year, home=invitation.home):
        return render(request, "satisfaction/resident/answered.html", {"survey": survey})
    landlord = Landlord.current()
    form = SurveyForm(
        posted(request),
        landlord_name=landlord.name,
        tenure=invitation.tenure,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_online_response(
                resident=resident,
                invitation=invitation,
                answers=form.answers(),
                filters=form.filter_answers(),
                submission_token=form.cleaned_data.get("submission_token"),
            )
        except services.AlreadyAnswered:
            return render(request, "satisfaction/resident/answered.html", {"survey": survey})
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect("satisfaction:thanks")
    return render(request, "satisfaction/resident/survey.html", {"form": form, "survey": survey})


@resident_required
def thanks(request):
    return render(request, "satisfaction/resident/thanks.html")
