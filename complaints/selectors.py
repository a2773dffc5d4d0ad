"""Reads of complaints shared by views, the report command and the CSV: each list a bounded number
of queries, each figure of the annual report an aggregate in the database."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Prefetch, Q, Sum

from complaints import rules
from complaints.models import (
    AnnualReport,
    Category,
    CompensationPayment,
    Complaint,
    ComplaintStage,
    ComplaintStatus,
    LearningEntry,
    Outcome,
    RemedyAction,
    ResponsePoint,
    RootCause,
)
from portal.models import Event, Home


def resident_complaints(resident):
    return Complaint.objects.filter(case__resident=resident).select_related("case").order_by("-created_at", "-id")


def _with_stages(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "stages",
            queryset=ComplaintStage.objects.select_related(
                "response__written_by", "handler", "acknowledged_by"
            ).prefetch_related(Prefetch("response__points", queryset=ResponsePoint.objects.order_by("position"))),
        ),
        "documents",
        Prefetch("actions", queryset=RemedyAction.objects.order_by("due_on", "id")),
    )


def complaint_for_resident(resident, reference: str) -> Complaint | None:
    """The resident's own complaint, or None: the same answer whether it does not exist or is
    someone else's."""
    return (
        _with_stages(Complaint.objects.filter(case__reference=reference, case__resident=resident))
        .select_related("case__home", "related_case")
        .prefetch_related(
            Prefetch(
                "case__events",
                queryset=Event.objects.filter(visible_to_resident=True).order_by("created_at", "id"),
                to_attr="resident_events",
            ),
            "case__deadlines",
        )
        .first()
    )


def complaint_for_staff(reference: str) -> Complaint | None:
    return (
        _with_stages(Complaint.objects.filter(case__reference=reference))
        .select_related("case__resident", "case__home", "case__owner", "case__team", "related_case", "refused_by")
        .prefetch_related(
            Prefetch("case__events", queryset=Event.objects.select_related("actor").order_by("created_at", "id")),
            "case__deadlines",
            "payments",
            "learning_entries",
        )
        .first()
    )


STAFF_FILTERS = {
    "waiting": ("Waiting to be acknowledged", Q(status=ComplaintStatus.AWAITING_ACKNOWLEDGEMENT)),
    "investigating": ("Being looked into", Q(status=ComplaintStatus.INVESTIGATING)),
    "stage1_answered": ("Answered at stage 1", Q(stage=1, status=ComplaintStatus.RESPONDED)),
    "stage2": ("At stage 2", Q(stage=2)),
    "refused": ("Not taken forward", Q(status=ComplaintStatus.REFUSED)),
}


def staff_complaints(filter_key: str = ""):
    complaints = Complaint.objects.select_related("case__resident", "case__home", "case__owner")
    if filter_key in STAFF_FILTERS:
        complaints = complaints.filter(STAFF_FILTERS[filter_key][1])
    return complaints.order_by("-created_at", "-id")


def open_actions():
    return (
        RemedyAction.objects.filter(completed_on__isnull=True)
        .select_related("complaint__case__resident", "complaint__case__owner")
        .order_by("due_on", "id")
    )


def published_learning():
    return LearningEntry.objects.filter(published=True).order_by("-published_at", "-id")


def published_reports():
    return AnnualReport.objects.filter(published_at__isnull=False).order_by("-year")


# -- the annual report ---------------------------------------------------------------------------------------


def _one_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(rules.ONE_DECIMAL, rounding=ROUND_HALF_UP)


def annual_figures(year: int) -> dict:
    """The year's complaints performance (1 April to 31 March), computed in the database.

    CH01: stage 1 complaints received, and stage 2 escalations asked for, in the year, per 1,000
    homes. CH02: of the complaints answered in the year at each stage, the share answered on or
    before the stored last day (acknowledgement + 10 or 20 working days + extension up to the limit).
    """
    start, end = rules.financial_year_bounds(year)
    received = Q(requested_on__range=(start, end))
    answered = Q(responded_on__range=(start, end))
    on_time = answered & Q(responded_on__lte=F("response_due_on"))
    measures = {}
    for stage in (1, 2):
        at_stage = Q(stage=stage)
        measures[f"s{stage}_received"] = Count("id", filter=at_stage & received)
        measures[f"s{stage}_answered"] = Count("id", filter=at_stage & answered)
        measures[f"s{stage}_on_time"] = Count("id", filter=at_stage & on_time)
        measures[f"s{stage}_extended"] = Count("id", filter=at_stage & answered & Q(extension_days__gt=0))
        measures[f"s{stage}_days"] = Avg("working_days_to_respond", filter=at_stage & answered)
        for outcome in Outcome.values:
            measures[f"s{stage}_{outcome}"] = Count("id", filter=at_stage & answered & Q(outcome=outcome))
    measures["offered"] = Sum("compensation_pence", filter=answered)
    stage_figures = ComplaintStage.objects.aggregate(**measures)

    received_in_year = Complaint.objects.filter(stages__stage=1, stages__requested_on__range=(start, end))
    themes = dict(
        received_in_year.exclude(category="")
        .values_list("category")
        .annotate(n=Count("id"))
        .values_list("category", "n")
    )
    uncategorised = received_in_year.filter(category="").count()
    causes = dict(
        ComplaintStage.objects.filter(answered, ~Q(complaint__root_cause=""))
        .values_list("complaint__root_cause")
        .annotate(n=Count("complaint", distinct=True))
        .values_list("complaint__root_cause", "n")
    )
    refused = Complaint.objects.filter(refused_on__range=(start, end)).count()
    paid = CompensationPayment.objects.filter(paid_on__range=(start, end)).aggregate(total=Sum("amount_pence"))["total"]
    published = LearningEntry.objects.filter(published=True, published_at__date__range=(start, end)).count()
    homes = Home.objects.count()

    def stage_block(stage):
        f = stage_figures
        return {
            "received": f[f"s{stage}_received"],
            "answered": f[f"s{stage}_answered"],
            "on_time": f[f"s{stage}_on_time"],
            "extended": f[f"s{stage}_extended"],
            "average_working_days": _one_decimal(f[f"s{stage}_days"]),
            "outcomes": {outcome: f[f"s{stage}_{outcome}"] for outcome in Outcome.values},
        }

    stage1, stage2 = stage_block(1), stage_block(2)
    return {
        "year": rules.financial_year_label(year),
        "starts_on": start.isoformat(),
        "ends_on": end.isoformat(),
        "homes": homes,
        "CH01": {
            "stage1_per_1000": rules.rate(stage1["received"], homes, 1000),
            "stage2_per_1000": rules.rate(stage2["received"], homes, 1000),
            "stage1_received": stage1["received"],
            "stage2_received": stage2["received"],
        },
        "CH02": {
            "stage1_percent": rules.rate(stage1["on_time"], stage1["answered"], 100),
            "stage2_percent": rules.rate(stage2["on_time"], stage2["answered"], 100),
            "stage1_answered": stage1["answered"],
            "stage1_on_time": stage1["on_time"],
            "stage2_answered": stage2["answered"],
            "stage2_on_time": stage2["on_time"],
        },
        "outcomes": {"stage1": stage1["outcomes"], "stage2": stage2["outcomes"]},
        "average_working_days_to_respond": {
            "stage1": stage1["average_working_days"],
            "stage2": stage2["average_working_days"],
        },
        "extended": {"stage1": stage1["extended"], "stage2": stage2["extended"]},
        "refused": refused,
        "themes": {key: themes[key] for key in Category.values if key in themes}
        | ({"uncategorised": uncategorised} if uncategorised else {}),
        "root_causes": {key: causes[key] for key in RootCause.values if key in causes},
        "compensation": {"offered_pence": stage_figures["offered"] or 0, "paid_pence": paid or 0},
        "you_said_we_did_published": published,
    }


def figures_as_json(figures: dict) -> dict:
    """The figures with decimals as plain numbers, for JSON."""

    def convert(value):
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, Decimal):
            return float(value)
        return value

    return convert(figures)


OUTCOME_LABELS = dict(Outcome.choices)
CATEGORY_LABELS = dict(Category.choices) | {"uncategorised": "Not yet categorised"}
ROOT_CAUSE_LABELS = dict(RootCause.choices)


def figures_as_rows(figures: dict) -> list[tuple[str, str, object]]:
    """The figures as (section, measure, value) rows, for the CSV."""

    def show(value):
        return "" if value is None else value

    rows = [
        ("Year", "Financial year", figures["year"]),
        ("Year", "From", figures["starts_on"]),
        ("Year", "To", figures["ends_on"]),
        ("Stock", "Homes", figures["homes"]),
        ("CH01", "Stage 1 complaints received", figures["CH01"]["stage1_received"]),
        ("CH01", "Stage 1 complaints per 1,000 homes", show(figures["CH01"]["stage1_per_1000"])),
        ("CH01", "Stage 2 complaints received", figures["CH01"]["stage2_received"]),
        ("CH01", "Stage 2 complaints per 1,000 homes", show(figures["CH01"]["stage2_per_1000"])),
        ("CH02", "Stage 1 complaints answered", figures["CH02"]["stage1_answered"]),
        ("CH02", "Stage 1 answered within the Code's timescales", figures["CH02"]["stage1_on_time"]),
        ("CH02", "Stage 1 answered within the Code's timescales (%)", show(figures["CH02"]["stage1_percent"])),
        ("CH02", "Stage 2 complaints answered", figures["CH02"]["stage2_answered"]),
        ("CH02", "Stage 2 answered within the Code's timescales", figures["CH02"]["stage2_on_time"]),
        ("CH02", "Stage 2 answered within the Code's timescales (%)", show(figures["CH02"]["stage2_percent"])),
    ]
    for stage in ("stage1", "stage2"):
        label = stage.replace("stage", "Stage ")
        for outcome, count in figures["outcomes"][stage].items():
            rows.append(("Outcomes", f"{label} {OUTCOME_LABELS[outcome].lower()}", count))
        rows.append(
            (
                "Timeliness",
                f"{label} average working days to respond",
                show(figures["average_working_days_to_respond"][stage]),
            )
        )
        rows.append(("Timeliness", f"{label} responses extended", figures["extended"][stage]))
    rows.append(("Refused", "Complaints not taken forward", figures["refused"]))
    for key, count in figures["themes"].items():
        rows.append(("Themes", CATEGORY_LABELS[key], count))
    for key, count in figures["root_causes"].items():
        rows.append(("Root causes", ROOT_CAUSE_LABELS[key], count))
    rows.append(("Compensation", "Offered (pence)", figures["compensation"]["offered_pence"]))
    rows.append(("Compensation", "Paid (pence)", figures["compensation"]["paid_pence"]))
    rows.append(("Learning", "'You said, we did' entries published", figures["you_said_we_did_published"]))
    return rows
