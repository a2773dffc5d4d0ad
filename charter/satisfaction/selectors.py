"""Reads of the survey and the measures, shared by the staff pages, the public pages, the results
command and the charter app. Every figure is an aggregate in the database: the perception results
are one query with conditional counts, whatever the number of responses."""

from __future__ import annotations

import logging
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, Max, Min, Q

from charter.satisfaction import measures
from charter.satisfaction.models import (
    Invitation,
    ManagementRecord,
    Publication,
    Survey,
    SurveyResponse,
)
from portal.models import Home, Tenancy

logger = logging.getLogger(__name__)


# -- perception results ----------------------------------------------------------------------------------------


def homes_by_tenure() -> dict[str, int]:
    """Homes of each surveyed tenure: the population N for the margin of error."""
    counts = Home.objects.aggregate(
        **{tenure: Count("id", filter=Q(tenure=tenure)) for tenure in measures.TENURES}
    )
    return {tenure: counts[tenure] for tenure in measures.TENURES}


def perception_counts(year: int) -> dict:
    """For each tenure and question, the valid answers and the positive ones, and the responses:
    one query with conditional counts over the year's responses."""
    aggregates = {}
    for tenure in measures.TENURES:
        in_tenure = Q(tenure=tenure)
        aggregates[f"{tenure}_responses"] = Count("id", filter=in_tenure)
        for question in measures.QUESTIONS:
            if tenure not in question.tenures():
                continue
            field = question.field
            aggregates[f"{tenure}_{question.code}_valid"] = Count(
                "id", filter=in_tenure & Q(**{f"{field}__in": question.valid_answers})
            )
            aggregates[f"{tenure}_{question.code}_positive"] = Count(
                "id", filter=in_tenure & Q(**{f"{field}__in": question.positive_answers})
            )
    return SurveyResponse.objects.counted().filter(year=year).aggregate(**aggregates)


def perception_results(year: int, *, homes: dict[str, int] | None = None) -> dict:
    """The year's 12 perception measures for LCRA and LCHO, with the margin of error of TP01:

    {"year": "2025/26", "LCRA": {"TP01": {"percent": Decimal("71.3"), "valid": 1234}, ...,
     "responses": n, "margin_of_error": {"TP01": Decimal, "planning": Decimal, "homes": N, "responses": n}},
     "LCHO": {...}}

    TP02 and TP03 are for LCRA only and absent from LCHO. A measure with no valid answers has
    percent None. The margin of error is worked out from TP01's valid answers n among the
    tenure's homes N, at the observed share p and at p = 0.5 (the planning figure)."""
    counts = perception_counts(year)
    homes = homes if homes is not None else homes_by_tenure()
    result: dict = {"year": measures.year_label(year)}
    for tenure in measures.TENURES:
        block: dict = {}
        for question in measures.QUESTIONS:
            if tenure not in question.tenures():
                continue
            valid = counts[f"{tenure}_{question.code}_valid"]
            positive = counts[f"{tenure}_{question.code}_positive"]
            block[question.code] = {
                "percent": measures.percent(positive, valid),
                "valid": valid,
                "positive": positive,
            }
        n = block["TP01"]["valid"]
        N = homes.get(tenure, 0)
        observed = Decimal(block["TP01"]["positive"]) / n if n else None
        block["margin_of_error"] = {
            "TP01": measures.margin_of_error(p=observed, responses=n, households=N) if n else None,
            "planning": measures.margin_of_error(p=Decimal("0.5"), responses=n, households=N)
            if n
            else None,
            "homes": N,
            "responses": n,
        }
        block["responses"] = counts[f"{tenure}_responses"]
        block["below_threshold"] = N < measures.SURVEY_THRESHOLD_HOMES
        result[tenure] = block
    return result


def results_as_json(results: dict) -> dict:
    """The results in the shape `tsm_results --format json` prints: percents as numbers with one
    decimal place, no internal counts."""

    def number(value):
        return None if value is None else float(value)

    out: dict = {"year": results["year"]}
    for tenure in measures.TENURES:
        block = results[tenure]
        out[tenure] = {
            code: {"percent": number(figures["percent"]), "valid": figures["valid"]}
            for code, figures in block.items()
            if code.startswith("TP")
        }
        margin = block["margin_of_error"]
        out[tenure]["margin_of_error"] = {
            "TP01": number(margin["TP01"]),
            "planning": number(margin["planning"]),
            "homes": margin["homes"],
            "responses": margin["responses"],
        }
    return out


def response_mix(year: int) -> dict:
    """How the year's responses were collected, by tenure and method: the achieved sample for the
    summary of approach."""
    rows = (
        SurveyResponse.objects.counted()
        .filter(year=year)
        .values("tenure", "method")
        .annotate(n=Count("id"))
        .order_by("tenure", "method")
    )
    mix: dict = {"total": 0, "by_tenure": {t: 0 for t in measures.TENURES}, "by_method": {}}
    for row in rows:
        mix["total"] += row["n"]
        mix["by_tenure"][row["tenure"]] = mix["by_tenure"].get(row["tenure"], 0) + row["n"]
        mix["by_method"][row["method"]] = mix["by_method"].get(row["method"], 0) + row["n"]
    dates = (
        SurveyResponse.objects.counted()
        .filter(year=year)
        .aggregate(first=Min("collected_on"), last=Max("collected_on"))
    )
    mix["first_collected_on"], mix["last_collected_on"] = dates["first"], dates["last"]
    return mix


# -- management information -------------------------------------------------------------------------------------


def recorded_measures(year: int) -> dict:
    """BS01 to BS05 and RP01 from the imported records: how many homes (or blocks) each covers
    and how many met it. One query."""
    codes = measures.COMPLIANCE_CODES + measures.STOCK_CONDITION_CODES
    aggregates = {}
    for code in codes:
        aggregates[f"{code}_total"] = Count("id", filter=Q(measure=code))
        aggregates[f"{code}_met"] = Count("id", filter=Q(measure=code, met=True))
    counts = ManagementRecord.objects.filter(year=year).aggregate(**aggregates)
    return {
        code: {"total": counts[f"{code}_total"], "met": counts[f"{code}_met"]} for code in codes
    }


def _nm01(year: int):
    try:
        from engagement.asb.selectors import nm01
    except ImportError:
        logger.info("NM01 is not available: engagement.asb.selectors.nm01 is missing")
        return None
    return nm01(year=year)


def management_information(year: int) -> list[dict]:
    """The ten management measures for the year, as rows (see measure_rows), from the complaints,
    repairs and ASB apps and from the imported compliance and stock condition records."""
    from complaints.selectors import annual_figures
    from repairs.selectors import repairs_completed_within_target, rp02_totals

    rows = []
    recorded = recorded_measures(year)
    for code in measures.COMPLIANCE_CODES:
        figures = recorded[code]
        rows.append(
            _row(
                code,
                "",
                "ALL",
                measures.percent(figures["met"], figures["total"]),
                "%",
                figures["total"],
                available=bool(figures["total"]),
                missing="No compliance records imported for this year",
            )
        )

    complaints = annual_figures(year)
    ch01, ch02 = complaints["CH01"], complaints["CH02"]
    homes = complaints["homes"]
    rows.append(
        _row(
            "CH01",
            "Stage 1 complaints per 1,000 homes",
            "ALL",
            ch01["stage1_per_1000"],
            "per 1,000 homes",
            ch01["stage1_received"],
            available=bool(homes),
            missing="No homes recorded",
        )
    )
    rows.append(
        _row(
            "CH01",
            "Stage 2 complaints per 1,000 homes",
            "ALL",
            ch01["stage2_per_1000"],
            "per 1,000 homes",
            ch01["stage2_received"],
            available=bool(homes),
            missing="No homes recorded",
        )
    )
    rows.append(
        _row(
            "CH02",
            "Stage 1 complaints answered within the Code's timescales",
            "ALL",
            ch02["stage1_percent"],
            "%",
            ch02["stage1_answered"],
            available=bool(ch02["stage1_answered"]),
            missing="No stage 1 complaints answered in the year",
        )
    )
    rows.append(
        _row(
            "CH02",
            "Stage 2 complaints answered within the Code's timescales",
            "ALL",
            ch02["stage2_percent"],
            "%",
            ch02["stage2_answered"],
            available=bool(ch02["stage2_answered"]),
            missing="No stage 2 complaints answered in the year",
        )
    )

    asb = _nm01(year)
    if asb is None:
        for part in (
            "Anti-social behaviour cases per 1,000 homes",
            "Cases involving hate incidents per 1,000 homes",
        ):
            rows.append(
                _row(
                    "NM01",
                    part,
                    "ALL",
                    None,
                    "per 1,000 homes",
                    0,
                    available=False,
                    missing="Not available: anti-social behaviour cases are not recorded in the portal yet",
                )
            )
    else:
        rows.append(
            _row(
                "NM01",
                "Anti-social behaviour cases per 1,000 homes",
                "ALL",
                _decimal(asb["per_1000"]),
                "per 1,000 homes",
                asb["cases"],
                available=bool(asb["homes"]),
                missing="No homes recorded",
            )
        )
        rows.append(
            _row(
                "NM01",
                "Cases involving hate incidents per 1,000 homes",
                "ALL",
                _decimal(asb["hate_per_1000"]),
                "per 1,000 homes",
                asb["hate_cases"],
                available=bool(asb["homes"]),
                missing="No homes recorded",
            )
        )

    figures = recorded["RP01"]
    rows.append(
        _row(
            "RP01",
            "",
            "ALL",
            measures.percent(figures["total"] - figures["met"], figures["total"]),
            "%",
            figures["total"],
            available=bool(figures["total"]),
            missing="No stock condition records imported for this year",
        )
    )

    start, end = measures.year_bounds(year)
    rp02 = rp02_totals(
        repairs_completed_within_target(start=start, end=end + timedelta(days=1), by="year")
    )
    rows.append(
        _row(
            "RP02",
            "Non-emergency repairs completed within target",
            measures.LCRA,
            measures.percent(rp02.non_emergency_in_time, rp02.non_emergency_completed),
            "%",
            rp02.non_emergency_completed,
            available=bool(rp02.non_emergency_completed),
            missing="No non-emergency repairs completed in the year",
        )
    )
    rows.append(
        _row(
            "RP02",
            "Emergency repairs completed within target",
            measures.LCRA,
            measures.percent(rp02.emergency_in_time, rp02.emergency_completed),
            "%",
            rp02.emergency_completed,
            available=bool(rp02.emergency_completed),
            missing="No emergency repairs completed in the year",
        )
    )
    return rows


def _decimal(value):
    if value is None:
        return None
    return measures.one_decimal(Decimal(str(value)))


def _row(code, part, tenure, value, unit, base, *, available=True, missing=""):
    """One line of the measures: a measure (or part of one) for a tenure. `base` is the number it
    rests on: valid responses for a perception measure, homes or cases for the others."""
    return {
        "code": code,
        "name": measures.NAMES[code],
        "part": part,
        "description": measures.DESCRIPTIONS[code],
        "tenure": tenure,
        "value": None if value is None else str(value),
        "unit": unit,
        "valid": base,
        "note": "" if available else missing,
    }


def measure_rows(
    year: int, *, results: dict | None = None, management: list[dict] | None = None
) -> list[dict]:
    """All 22 measures for the year as the rows a publication freezes: perception measures for
    each tenure, then management information. Values are strings of one-decimal numbers (or None),
    so the snapshot stores them exactly. Pass figures already worked out to avoid doing it twice."""
    results = results if results is not None else perception_results(year)
    rows = []
    for question in measures.QUESTIONS:
        for tenure in question.tenures():
            figures = results[tenure][question.code]
            rows.append(
                _row(
                    question.code,
                    "",
                    tenure,
                    figures["percent"],
                    "%",
                    figures["valid"],
                    available=bool(figures["valid"]),
                    missing="No valid answers",
                )
            )
    rows.extend(management if management is not None else management_information(year))
    order = {code: index for index, code in enumerate(measures.ALL_CODES)}
    rows.sort(key=lambda row: order[row["code"]])
    return rows


# -- the survey -----------------------------------------------------------------------------------------------------


def survey_for(year: int) -> Survey | None:
    return Survey.objects.filter(year=year).first()


def open_invitation(resident, *, today) -> Invitation | None:
    """The resident's invitation to a survey open today, if any."""
    return (
        Invitation.objects.filter(resident=resident, survey__opens_on__lte=today)
        .filter(Q(survey__closes_on__isnull=True) | Q(survey__closes_on__gte=today))
        .select_related("survey", "home")
        .order_by("-survey__year")
        .first()
    )


def household_has_answered(*, year: int, home) -> bool:
    return SurveyResponse.objects.counted().filter(year=year, home=home).exists()


def current_home(resident):
    tenancy = (
        Tenancy.objects.filter(residents=resident, end_date__isnull=True)
        .select_related("home")
        .order_by("-start_date")
    ).first()
    return tenancy.home if tenancy else None


def staff_responses(year: int, *, include_withdrawn: bool = False):
    """The year's responses for the staff list, newest first. Withdrawn ones only for managers."""
    responses = SurveyResponse.objects.filter(year=year)
    if not include_withdrawn:
        responses = responses.counted()
    return responses.select_related("home", "entered_by").order_by("-collected_on", "-id")


def staff_response(*, year: int, pk: int, include_withdrawn: bool = False):
    """One response with who entered, imported or withdrew it, or None."""
    responses = SurveyResponse.objects.filter(year=year, pk=pk)
    if not include_withdrawn:
        responses = responses.counted()
    return responses.select_related(
        "home", "resident", "entered_by", "withdrawn_by", "import_batch"
    ).first()


def corrections(response) -> list:
    """The response's correction history, newest first, with who made each."""
    return list(
        response.corrections.select_related("corrected_by").order_by("-corrected_at", "-id")
    )


def invitation_figures(survey: Survey) -> dict:
    counts = survey.invitations.aggregate(
        invited=Count("id"),
        reminded=Count("id", filter=Q(reminders_sent__gt=0)),
        **{tenure: Count("id", filter=Q(tenure=tenure)) for tenure in measures.TENURES},
    )
    counts["answered_online"] = (
        SurveyResponse.objects.counted().filter(year=survey.year, source="resident").count()
    )
    return counts


# -- publications ---------------------------------------------------------------------------------------------------


def latest_publication(year: int) -> Publication | None:
    return (
        Publication.objects.filter(year=year)
        .select_related("published_by")
        .order_by("-revision")
        .first()
    )


def publication_revision(year: int, revision: int) -> Publication | None:
    return (
        Publication.objects.filter(year=year, revision=revision)
        .select_related("published_by")
        .first()
    )


def revisions(year: int) -> list[Publication]:
    return list(
        Publication.objects.filter(year=year).defer("figures", "approach").order_by("-revision")
    )


def published_years() -> list[Publication]:
    """The latest revision of each published year, newest year first."""
    latest = {}
    for publication in Publication.objects.defer("approach").order_by("year", "revision"):
        latest[publication.year] = publication
    return [latest[year] for year in sorted(latest, reverse=True)]


def published_measures(year: int) -> list[dict] | None:
    """The measures of the year's latest published revision, or None if the year is unpublished.

    Each row: code ("TP01"), name, part ("" or "Stage 1 complaints per 1,000 homes"), description
    (the regulator's), tenure ("LCRA", "LCHO" or "ALL"), value (Decimal or None), unit ("%" or
    "per 1,000 homes"), percent (the value when the unit is "%", else None), valid (the valid
    responses, or the homes, cases or repairs it rests on), note (why there is no value)."""
    publication = latest_publication(year)
    if publication is None:
        return None
    return published_rows(publication)


def published_rows(publication: Publication) -> list[dict]:
    return [_with_numbers(row) for row in publication.figures]


def _with_numbers(row: dict) -> dict:
    value = None if row["value"] is None else Decimal(row["value"])
    return {**row, "value": value, "percent": value if row["unit"] == "%" else None}


def changed_since_published(publication: Publication | None, rows: list[dict]) -> list[dict]:
    """The measure lines whose live figure (or what it rests on) differs from the published
    revision, each with both: what a new revision would correct. Empty when nothing changed."""
    if publication is None:
        return []
    published = {(row["code"], row["part"], row["tenure"]): row for row in publication.figures}
    changed = []
    for row in rows:
        before = published.get((row["code"], row["part"], row["tenure"]))
        if before is None or (before["value"], before["valid"]) != (row["value"], row["valid"]):
            changed.append({**row, "published": before})
    return changed


def history(years: list[Publication]) -> dict[tuple, list[tuple[int, Decimal | None]]]:
    """Each measure line's value in each published year (oldest first), for the charts."""
    lines: dict[tuple, list] = {}
    for publication in sorted(years, key=lambda p: p.year):
        for row in publication.figures:
            key = (row["code"], row["part"], row["tenure"])
            value = None if row["value"] is None else Decimal(row["value"])
            lines.setdefault(key, []).append((publication.year, value))
    return lines
