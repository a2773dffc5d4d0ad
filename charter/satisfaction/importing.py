"""Importing CSV files for a year's Tenant Satisfaction Measures: survey responses from a
contractor, and the landlord's compliance and stock condition records.

Each file is checked whole first. Any problem rejects it, with every bad line listed in plain
English, and nothing is written. The same code serves the management commands and the staff
upload pages.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from charter.satisfaction import measures
from charter.satisfaction.models import (
    CollectionMethod,
    ManagementImport,
    ManagementRecord,
    RecordKind,
    ResponseImport,
    ResponseSource,
    SurveyResponse,
)
from portal.models import Home
from portal.workdays import local_date

RESPONSE_COLUMNS = (
    "respondent",
    "tenure",
    "collected_on",
    "method",
    "had_repair",
    "made_complaint",
    "has_communal",
    *(q.code for q in measures.QUESTIONS),
)
COMPLIANCE_COLUMNS = ("measure", "asset", "compliant")
STOCK_CONDITION_COLUMNS = ("uprn", "meets_decent_homes_standard")
MAX_RESPONDENT = 60
MAX_ASSET = 60
YES_NO = {"yes": True, "no": False}


class ImportRejected(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


class _Errors(list):
    def add(self, line: int, message: str) -> None:
        self.append((line, f"Line {line}: {message}"))

    def messages(self) -> list[str]:
        return [message for _, message in sorted(self, key=lambda item: item[0])]


def decode(data: bytes) -> str:
    """The file's text; ImportRejected when it is not UTF-8 text."""
    limit = settings.SATISFACTION_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRejected([f"The file is larger than {limit // (1024 * 1024)} MB"])
    if b"\x00" in data[:4096]:
        raise ImportRejected(["The file is not a CSV file: save it as CSV UTF-8 and try again"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected(
            ["The file is not UTF-8 text: save it as CSV UTF-8 and try again"]
        ) from None


def _read(text: str, columns: tuple[str, ...], what: str) -> list[tuple[int, dict]]:
    """The file's rows as (line number, values) with the header checked."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        raise ImportRejected([f"Line 1: the file is not valid CSV ({error})"]) from None
    if not header:
        raise ImportRejected(["Line 1: the file is empty; the first line must name the columns"])
    missing = [name for name in columns if name not in header]
    unknown = [name for name in header if name not in columns]
    if missing or unknown or len(header) != len(set(header)):
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        if len(header) != len(set(header)):
            problems.append("a column is named twice")
        raise ImportRejected(
            [f"Line 1: {'; '.join(problems)}. The columns must be: {', '.join(columns)}"]
        )
    reader.fieldnames = header
    rows = []
    errors = _Errors()
    try:
        for raw in reader:
            if None in raw or any(value is None for value in raw.values()):
                errors.add(reader.line_num, f"expected {len(columns)} values separated by commas")
                continue
            rows.append((reader.line_num, {key: value.strip() for key, value in raw.items()}))
    except csv.Error as error:
        raise ImportRejected(
            [f"Line {reader.line_num}: the file is not valid CSV ({error})"]
        ) from None
    if errors:
        raise ImportRejected(errors.messages())
    if not rows:
        raise ImportRejected([f"The file has no {what} in it, only the column names"])
    return rows


def _year_check(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise ImportRejected([f"{year} is not a financial year we can import"])


# -- survey responses --------------------------------------------------------------------------------------------


@dataclass
class ResponseImportResult:
    year: int
    created: int
    by_tenure: dict


def check_responses(text: str, *, year: int) -> list[SurveyResponse]:
    """Every row checked; the unsaved responses, or ImportRejected with every problem."""
    _year_check(year)
    rows = _read(text, RESPONSE_COLUMNS, "responses")
    errors = _Errors()
    start, end = measures.year_bounds(year)
    today = local_date(timezone.now())
    label = measures.year_label(year)

    respondents = {values["respondent"] for _, values in rows if values["respondent"]}
    homes = Home.objects.in_bulk(respondents, field_name="uprn")
    stored = set(
        SurveyResponse.objects.counted()
        .filter(year=year, respondent__in=respondents)
        .values_list("respondent", flat=True)
    )
    homes_answered = set(
        SurveyResponse.objects.counted()
        .filter(year=year, home__in=[home.pk for home in homes.values()])
        .values_list("home_id", flat=True)
    )
    methods = set(CollectionMethod.values)
    seen: dict[str, int] = {}
    responses = []
    for line, values in rows:
        respondent = values["respondent"]
        if not respondent:
            errors.add(line, "respondent is blank: give each household's reference")
        elif len(respondent) > MAX_RESPONDENT:
            errors.add(line, f"respondent is longer than {MAX_RESPONDENT} characters")
        elif respondent in seen:
            errors.add(
                line,
                f"respondent {respondent} is also on line {seen[respondent]}: one response per household a year",
            )
        elif respondent in stored or (
            respondent in homes and homes[respondent].pk in homes_answered
        ):
            errors.add(
                line,
                f"respondent {respondent} already has a response for {label}: one per household a year",
            )
        if respondent and respondent not in seen:
            seen[respondent] = line

        tenure = values["tenure"].upper()
        if tenure not in measures.TENURES:
            errors.add(line, f"tenure must be LCRA or LCHO, not '{values['tenure']}'")

        collected_on = None
        if not values["collected_on"]:
            errors.add(line, "collected_on is blank: give the date of the answers, like 2025-06-30")
        else:
            try:
                collected_on = date.fromisoformat(values["collected_on"])
            except ValueError:
                errors.add(
                    line,
                    f"collected_on must be a date like 2025-06-30, not '{values['collected_on']}'",
                )
            else:
                if not start <= collected_on <= end:
                    errors.add(
                        line,
                        f"collected_on {collected_on:%d %B %Y} is outside the financial year {label} "
                        f"(1 April {year} to 31 March {year + 1})",
                    )
                elif collected_on > today:
                    errors.add(line, f"collected_on {collected_on:%d %B %Y} is in the future")

        method = values["method"].lower()
        if method not in methods:
            errors.add(
                line,
                f"method must be one of {', '.join(CollectionMethod.values)}, not '{values['method']}'",
            )

        filters = {}
        for name in measures.FILTERS:
            raw = values[name].lower()
            if raw and raw not in YES_NO:
                errors.add(line, f"{name} must be yes, no or blank, not '{values[name]}'")
            filters[name] = YES_NO.get(raw)

        answers = {}
        for question in measures.QUESTIONS:
            raw = values[question.code].lower()
            allowed = (*question.valid_answers, measures.DONT_KNOW)
            if raw and raw not in allowed:
                errors.add(
                    line,
                    f"{question.code} must be one of {', '.join(allowed)} or blank, not '{values[question.code]}'",
                )
                raw = ""
            if raw and question.asked_if and filters.get(question.asked_if) is False:
                errors.add(
                    line,
                    f"{question.code} is answered but {question.asked_if} is no: "
                    f"{question.code} is asked only when {question.asked_if} is yes",
                )
            answers[question.field] = raw

        home = homes.get(respondent)
        responses.append(
            SurveyResponse(
                year=year,
                respondent=respondent,
                home=home,
                tenure=tenure,
                collected_on=collected_on,
                method=method,
                source=ResponseSource.IMPORTED,
                had_repair=filters[measures.REPAIR_FILTER],
                made_complaint=filters[measures.COMPLAINT_FILTER],
                has_communal=filters[measures.COMMUNAL_FILTER],
                **answers,
            )
        )
    if errors:
        raise ImportRejected(errors.messages())
    return responses


def import_responses(
    text: str, *, year: int, officer=None, file_name: str = ""
) -> ResponseImportResult:
    """Check the whole file, then write every response in one transaction."""
    responses = check_responses(text, year=year)
    try:
        with transaction.atomic():
            batch = ResponseImport.objects.create(
                year=year, file_name=file_name[:200], imported_by=officer, rows=len(responses)
            )
            for response in responses:
                response.import_batch = batch
            SurveyResponse.objects.bulk_create(responses, batch_size=1000)
    except IntegrityError:
        # Someone stored a response for one of these households while the file was being checked.
        raise ImportRejected(
            [
                "A response for one of these households was stored while the file was checked: import it again"
            ]
        ) from None
    by_tenure = {
        tenure: sum(1 for r in responses if r.tenure == tenure) for tenure in measures.TENURES
    }
    return ResponseImportResult(year=year, created=len(responses), by_tenure=by_tenure)


# -- compliance and stock condition records ------------------------------------------------------------------------


@dataclass
class RecordImportResult:
    year: int
    kind: str
    by_measure: dict

    @property
    def total(self):
        return sum(self.by_measure.values())


def check_compliance(text: str, *, year: int) -> list[ManagementRecord]:
    """Compliance records: one row per home (or block) a check is required for, with `measure`
    BS01 to BS05, `asset` the UPRN or block reference, `compliant` yes or no."""
    _year_check(year)
    rows = _read(text, COMPLIANCE_COLUMNS, "compliance records")
    errors = _Errors()
    seen: dict[tuple, int] = {}
    records = []
    for line, values in rows:
        code = values["measure"].upper()
        if code not in measures.COMPLIANCE_CODES:
            errors.add(
                line,
                f"measure must be one of {', '.join(measures.COMPLIANCE_CODES)}, not '{values['measure']}'",
            )
        asset = values["asset"]
        if not asset:
            errors.add(line, "asset is blank: give the home's UPRN or the block's reference")
        elif len(asset) > MAX_ASSET:
            errors.add(line, f"asset is longer than {MAX_ASSET} characters")
        elif (code, asset) in seen:
            errors.add(line, f"{code} for {asset} is also on line {seen[(code, asset)]}")
        else:
            seen[(code, asset)] = line
        compliant = values["compliant"].lower()
        if compliant not in YES_NO:
            errors.add(line, f"compliant must be yes or no, not '{values['compliant']}'")
        records.append(
            ManagementRecord(year=year, measure=code, asset=asset, met=YES_NO.get(compliant, False))
        )
    if errors:
        raise ImportRejected(errors.messages())
    return records


def check_stock_condition(text: str, *, year: int) -> list[ManagementRecord]:
    """Stock condition records: one row per home surveyed, `uprn` and
    `meets_decent_homes_standard` yes or no."""
    _year_check(year)
    rows = _read(text, STOCK_CONDITION_COLUMNS, "homes")
    errors = _Errors()
    known = set(
        Home.objects.filter(uprn__in=[v["uprn"] for _, v in rows]).values_list("uprn", flat=True)
    )
    seen: dict[str, int] = {}
    records = []
    for line, values in rows:
        uprn = values["uprn"]
        if not uprn:
            errors.add(line, "uprn is blank")
        elif uprn in seen:
            errors.add(line, f"uprn {uprn} is also on line {seen[uprn]}")
        elif uprn not in known:
            errors.add(line, f"no home has the UPRN {uprn}")
        else:
            seen[uprn] = line
        decent = values["meets_decent_homes_standard"].lower()
        if decent not in YES_NO:
            errors.add(
                line,
                f"meets_decent_homes_standard must be yes or no, not '{values['meets_decent_homes_standard']}'",
            )
        records.append(
            ManagementRecord(year=year, measure="RP01", asset=uprn, met=YES_NO.get(decent, False))
        )
    if errors:
        raise ImportRejected(errors.messages())
    return records


@transaction.atomic
def _replace_records(records, *, year, kind, codes, officer, file_name) -> RecordImportResult:
    """A year's records of a kind are a snapshot of the landlord's system: a new file replaces
    the year's earlier one for the measures it covers."""
    present = sorted({record.measure for record in records})
    ManagementRecord.objects.filter(year=year, measure__in=present).delete()
    ManagementRecord.objects.bulk_create(records, batch_size=2000)
    ManagementImport.objects.create(
        year=year, kind=kind, file_name=file_name[:200], imported_by=officer, rows=len(records)
    )
    by_measure = {
        code: sum(1 for r in records if r.measure == code) for code in codes if code in present
    }
    return RecordImportResult(year=year, kind=kind, by_measure=by_measure)


def import_compliance(
    text: str, *, year: int, officer=None, file_name: str = ""
) -> RecordImportResult:
    records = check_compliance(text, year=year)
    return _replace_records(
        records,
        year=year,
        kind=RecordKind.COMPLIANCE,
        codes=measures.COMPLIANCE_CODES,
        officer=officer,
        file_name=file_name,
    )


def import_stock_condition(
    text: str, *, year: int, officer=None, file_name: str = ""
) -> RecordImportResult:
    records = check_stock_condition(text, year=year)
    return _replace_records(
        records,
        year=year,
        kind=RecordKind.STOCK_CONDITION,
        codes=measures.STOCK_CONDITION_CODES,
        officer=officer,
        file_name=file_name,
    )
