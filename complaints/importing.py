"""Importing complaint history from another system, from a CSV file.

The whole file is checked first; any problem rejects it, with every problem listed by line, and
nothing is written. Importing the same file again changes nothing: complaints are matched by their
reference in the old system. Imported complaints keep the same dates as complaints made in the
portal, so the annual report counts them the same way; those still open get the portal's clocks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from complaints import rules
from complaints.models import (
    Category,
    Complaint,
    ComplaintStage,
    ComplaintStatus,
    Outcome,
    RefusalGround,
    Source,
    Stage,
)
from portal.models import CaseChannel, CaseKind, CaseStatus, Deadline, DeadlineKind, EventKind, Home
from portal.services.cases import open_case, record_event, refresh_next_due
from portal.services.reminders import schedule_reminders
from portal.workdays import LONDON, end_of_day, local_date

COLUMNS = (
    "reference",
    "uprn",
    "received_on",
    "acknowledged_on",
    "stage1_extension_days",
    "stage1_responded_on",
    "escalated_on",
    "stage2_acknowledged_on",
    "stage2_extension_days",
    "stage2_responded_on",
    "outcome",
    "category",
    "compensation_pence",
)
REFUSED = "refused"
OUTCOMES = {*Outcome.values, REFUSED}
CATEGORIES = {value: value for value in Category.values} | {label.lower(): value for value, label in Category.choices}
MAX_REFERENCE = 60


class ImportRejected(Exception):
    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass
class Row:
    line: int
    reference: str
    home: Home
    received_on: date
    acknowledged_on: date | None
    stage1_extension_days: int
    stage1_responded_on: date | None
    escalated_on: date | None
    stage2_acknowledged_on: date | None
    stage2_extension_days: int
    stage2_responded_on: date | None
    outcome: str
    category: str
    compensation_pence: int

    @property
    def refused(self) -> bool:
        return self.outcome == REFUSED

    @property
    def refused_on(self) -> date | None:
        return (self.stage1_responded_on or self.acknowledged_on or self.received_on) if self.refused else None

    @property
    def answered_stage(self) -> int | None:
        """The stage the outcome and compensation belong to: the last one answered."""
        if self.refused:
            return None
        if self.stage2_responded_on:
            return Stage.STAGE_2
        return Stage.STAGE_1 if self.stage1_responded_on else None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    references: list[str] = field(default_factory=list)

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


# -- reading and checking ------------------------------------------------------------------------------------


class _RowErrors(list):
    def add(self, line, message):
        self.append(f"Line {line}: {message}")


def _date(raw: str, column: str, line: int, errors: _RowErrors, today: date) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        errors.add(line, f"{column} must be a date like 2025-04-01, not '{raw}'")
        return None
    if value > today:
        errors.add(line, f"{column} {raw} is in the future")
    return value


def _whole_number(raw: str, column: str, line: int, errors: _RowErrors) -> int:
    raw = raw.strip()
    if not raw:
        return 0
    if not raw.isdigit():
        errors.add(line, f"{column} must be a whole number of 0 or more, not '{raw}'")
        return 0
    return int(raw)


def read_rows(text: str) -> list[Row]:
    """Every row of the file, checked; ImportRejected with every problem if there is any."""
    errors = _RowErrors()
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    if not header:
        raise ImportRejected(["Line 1: the file is empty; the first line must name the columns"])
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    if missing or unknown or len(header) != len(set(header)):
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        if len(header) != len(set(header)):
            problems.append("a column is named twice")
        raise ImportRejected([f"Line 1: {'; '.join(problems)}. The columns must be: {', '.join(COLUMNS)}"])
    reader.fieldnames = header

    raw_rows = []
    try:
        for raw in reader:
            raw_rows.append((reader.line_num, raw))
    except csv.Error as error:
        raise ImportRejected([f"Line {reader.line_num}: the file is not valid CSV ({error})"]) from None
    if not raw_rows:
        raise ImportRejected(["The file has no complaints in it, only the column names"])

    homes = Home.objects.in_bulk({(raw.get("uprn") or "").strip() for _, raw in raw_rows}, field_name="uprn")
    today = local_date(timezone.now())
    seen: dict[str, int] = {}
    rows = []
    for line, raw in raw_rows:
        if None in raw or any(value is None for value in raw.values()):
            errors.add(line, f"expected {len(COLUMNS)} values, separated by commas")
            continue
        values = {key: (value or "").strip() for key, value in raw.items()}
        reference = values["reference"]
        if not reference:
            errors.add(line, "reference is missing")
        elif len(reference) > MAX_REFERENCE:
            errors.add(line, f"reference is longer than {MAX_REFERENCE} characters")
        elif reference in seen:
            errors.add(line, f"reference {reference} is also on line {seen[reference]}")
        else:
            seen[reference] = line
        home = homes.get(values["uprn"])
        if not values["uprn"]:
            errors.add(line, "uprn is missing")
        elif home is None:
            errors.add(line, f"no home has the UPRN {values['uprn']}")

        dates = {
            name: _date(values[name], name, line, errors, today)
            for name in (
                "received_on",
                "acknowledged_on",
                "stage1_responded_on",
                "escalated_on",
                "stage2_acknowledged_on",
                "stage2_responded_on",
            )
        }
        if not values["received_on"]:
            errors.add(line, "received_on is missing")
        stage1_extension = _whole_number(values["stage1_extension_days"], "stage1_extension_days", line, errors)
        stage2_extension = _whole_number(values["stage2_extension_days"], "stage2_extension_days", line, errors)
        compensation = _whole_number(values["compensation_pence"], "compensation_pence", line, errors)

        outcome = values["outcome"].lower().replace(" ", "_").replace("-", "_")
        if outcome and outcome not in OUTCOMES:
            errors.add(
                line,
                "outcome must be blank or one of upheld, partly_upheld, not_upheld, refused, "
                f"not '{values['outcome']}'",
            )
            outcome = ""
        category = CATEGORIES.get(values["category"].lower(), None) if values["category"] else ""
        if category is None:
            errors.add(line, f"category '{values['category']}' is not one of: {', '.join(Category.values)}")
            category = ""

        # Each step needs the one before it, on the same day or later.
        order = [
            ("received_on", "acknowledged_on"),
            ("acknowledged_on", "stage1_responded_on"),
            ("stage1_responded_on", "escalated_on"),
            ("escalated_on", "stage2_acknowledged_on"),
            ("stage2_acknowledged_on", "stage2_responded_on"),
        ]
        for before, after in order:
            refusal_date = outcome == REFUSED and after == "stage1_responded_on"
            if values[after] and not values[before] and not refusal_date:
                errors.add(line, f"{after} is given but {before} is blank")
            elif dates[before] and dates[after] and dates[after] < dates[before]:
                errors.add(line, f"{after} ({dates[after]}) is before {before} ({dates[before]})")
        if stage1_extension and not values["acknowledged_on"]:
            errors.add(line, "stage1_extension_days is given but acknowledged_on is blank")
        if stage2_extension and not values["stage2_acknowledged_on"]:
            errors.add(line, "stage2_extension_days is given but stage2_acknowledged_on is blank")
        if outcome == REFUSED and values["escalated_on"]:
            errors.add(line, "a refused complaint cannot have been escalated")
        answered = values["stage2_responded_on"] or values["stage1_responded_on"]
        if outcome and outcome != REFUSED and not answered:
            errors.add(line, "outcome is given but the complaint has no response date")
        if compensation and (not answered or outcome == REFUSED):
            errors.add(line, "compensation_pence is given but the complaint has no response")

        if home is not None and dates["received_on"] is not None:
            rows.append(
                Row(
                    line=line,
                    reference=reference,
                    home=home,
                    received_on=dates["received_on"],
                    acknowledged_on=dates["acknowledged_on"],
                    stage1_extension_days=stage1_extension,
                    stage1_responded_on=dates["stage1_responded_on"],
                    escalated_on=dates["escalated_on"],
                    stage2_acknowledged_on=dates["stage2_acknowledged_on"],
                    stage2_extension_days=stage2_extension,
                    stage2_responded_on=dates["stage2_responded_on"],
                    outcome=outcome,
                    category=category,
                    compensation_pence=compensation,
                )
            )

    clashes = Complaint.objects.filter(external_reference__in=seen).exclude(source=Source.IMPORTED)
    for reference in clashes.values_list("external_reference", flat=True):
        errors.add(seen[reference], f"reference {reference} belongs to a complaint that was not imported")
    if errors:
        raise ImportRejected(sorted(errors, key=lambda message: int(message.split(":")[0].split()[1])))
    return rows


# -- writing ------------------------------------------------------------------------------------------------


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=LONDON)


def import_complaints(text: str) -> ImportResult:
    """Check the whole file, then write it in one transaction. ImportRejected if anything is wrong."""
    rows = read_rows(text)
    result = ImportResult()
    with transaction.atomic():
        existing = {
            c.external_reference: c
            for c in Complaint.objects.filter(external_reference__in=[r.reference for r in rows]).select_related("case")
        }
        for row in rows:
            complaint = existing.get(row.reference)
            if complaint is None:
                complaint = _create(row)
                result.created += 1
            elif _snapshot(complaint) == _row_snapshot(row):
                result.unchanged += 1
                continue
            else:
                _apply(complaint, row)
                result.updated += 1
            result.references.append(complaint.reference)
    return result


def _row_snapshot(row: Row) -> tuple:
    return (
        row.home.pk,
        row.received_on,
        row.acknowledged_on,
        row.stage1_extension_days,
        None if row.refused else row.stage1_responded_on,
        row.escalated_on,
        row.stage2_acknowledged_on,
        row.stage2_extension_days,
        row.stage2_responded_on,
        "" if row.refused else row.outcome,
        row.category,
        row.compensation_pence,
        row.refused_on,
    )


def _snapshot(complaint: Complaint) -> tuple:
    stages = {s.stage: s for s in complaint.stages.all()}
    one, two = stages[Stage.STAGE_1], stages.get(Stage.STAGE_2)
    answered = two if two and two.responded_on else one
    return (
        complaint.case.home_id,
        one.requested_on,
        one.acknowledged_on,
        one.extension_days,
        one.responded_on,
        two.requested_on if two else None,
        two.acknowledged_on if two else None,
        two.extension_days if two else 0,
        two.responded_on if two else None,
        answered.outcome,
        complaint.category,
        sum(s.compensation_pence for s in stages.values()),
        complaint.refused_on,
    )


def _create(row: Row) -> Complaint:
    opened_at = _noon(row.received_on)
    case = open_case(
        kind=CaseKind.COMPLAINT,
        summary=f"Complaint imported from another system ({row.reference})",
        channel=CaseChannel.WEB,
        home=row.home,
        opened_at=opened_at,
    )
    record_event(
        case=case,
        kind=EventKind.NOTE,
        message=f"Imported from another system, where its reference was {row.reference}.",
        at=opened_at,
    )
    complaint = Complaint.objects.create(
        case=case,
        what_happened="Imported from another system: the details are held there.",
        source=Source.IMPORTED,
        external_reference=row.reference,
        created_at=opened_at,
    )
    _apply(complaint, row)
    return complaint


def _stage_values(stage: int, requested_on, acknowledged_on, extension_days, responded_on) -> dict:
    values = {
        "requested_on": requested_on,
        "acknowledgement_due_on": rules.acknowledgement_due_on(requested_on, stage),
        "acknowledged_on": acknowledged_on,
        "extension_days": extension_days,
        "responded_on": responded_on,
        "working_days_to_respond": rules.working_days_taken(requested_on, responded_on) if responded_on else None,
        "response_due_on": rules.response_due_on(acknowledged_on, stage, extension_days) if acknowledged_on else None,
    }
    return values


def _apply(complaint: Complaint, row: Row) -> None:
    refused = row.refused
    escalated = row.escalated_on is not None
    stage1 = _stage_values(
        Stage.STAGE_1,
        row.received_on,
        row.acknowledged_on,
        row.stage1_extension_days,
        None if refused else row.stage1_responded_on,
    )
    stage1["outcome"] = row.outcome if row.answered_stage == Stage.STAGE_1 else ""
    stage1["compensation_pence"] = row.compensation_pence if row.answered_stage == Stage.STAGE_1 else 0
    ComplaintStage.objects.update_or_create(complaint=complaint, stage=Stage.STAGE_1, defaults=stage1)
    if escalated:
        stage2 = _stage_values(
            Stage.STAGE_2,
            row.escalated_on,
            row.stage2_acknowledged_on,
            row.stage2_extension_days,
            row.stage2_responded_on,
        )
        stage2["outcome"] = row.outcome if row.answered_stage == Stage.STAGE_2 else ""
        stage2["compensation_pence"] = row.compensation_pence if row.answered_stage == Stage.STAGE_2 else 0
        ComplaintStage.objects.update_or_create(complaint=complaint, stage=Stage.STAGE_2, defaults=stage2)
    else:
        complaint.stages.filter(stage=Stage.STAGE_2).delete()

    current = complaint.stages.get(stage=Stage.STAGE_2 if escalated else Stage.STAGE_1)
    if refused:
        status = ComplaintStatus.REFUSED
    elif current.responded_on:
        status = ComplaintStatus.RESPONDED
    elif current.acknowledged_on:
        status = ComplaintStatus.INVESTIGATING
    else:
        status = ComplaintStatus.AWAITING_ACKNOWLEDGEMENT
    complaint.stage = current.stage
    complaint.status = status
    complaint.category = row.category
    if refused:
        complaint.refusal_ground = complaint.refusal_ground or RefusalGround.OUT_OF_TIME
        complaint.refusal_reason = (
            complaint.refusal_reason or "Recorded as refused in the system this was imported from."
        )
        complaint.refused_on = row.refused_on
    else:
        complaint.refusal_ground = complaint.refusal_reason = ""
        complaint.refused_on = None
    complaint.save()

    case = complaint.case
    case.home = row.home
    case.opened_at = _noon(row.received_on)
    if refused or current.responded_on:
        closed_on = complaint.refused_on if refused else current.responded_on
        case.status = CaseStatus.CLOSED if (refused or escalated) else CaseStatus.RESOLVED
        case.closed_at = _noon(closed_on)
    else:
        case.status = CaseStatus.IN_PROGRESS if current.acknowledged_on else CaseStatus.OPEN
        case.closed_at = None
    case.save(update_fields=["home", "opened_at", "status", "closed_at", "updated_at"])
    _set_clock(case, current, running=not refused and current.responded_on is None)


def _set_clock(case, current: ComplaintStage, *, running: bool) -> None:
    """An open imported complaint gets the clock it is on, so the queue and the reminders see it;
    any clock an earlier import of it set is stopped."""
    now = timezone.now()
    case.deadlines.filter(met_at__isnull=True, stopped_at__isnull=True).update(stopped_at=now, next_reminder_at=None)
    if running:
        if current.acknowledged_on is None:
            kind, due_on, extended_on = DeadlineKind.COMPLAINT_ACK, current.acknowledgement_due_on, None
        else:
            kind = DeadlineKind.COMPLAINT_RESPONSE
            due_on = rules.response_due_on(current.acknowledged_on, current.stage, 0)
            extended_on = current.response_due_on if current.extension_days else None
        deadline = Deadline.objects.create(
            case=case,
            kind=kind,
            due_at=end_of_day(due_on),
            extended_to=end_of_day(extended_on) if extended_on else None,
            extension_reason="Extended in the system this complaint was imported from." if extended_on else "",
        )
        deadline.refresh_from_db(fields=["effective_due_at"])
        schedule_reminders(deadline)
    refresh_next_due(case)
