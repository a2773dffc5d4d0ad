"""The Complaint Handling Code's timescales and the financial year, in one place.

Every working-day count goes through portal.workdays. The clocks are stored as dates on the
complaint's stages, so a complaint imported from another system and one made in the portal are
measured the same way.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from portal.workdays import add_working_days, working_days_between
from portal.workdays import financial_year_bounds as financial_year_bounds
from portal.workdays import financial_year_label as financial_year_label
from portal.workdays import financial_year_of as financial_year_of

STAGE_1 = 1
STAGE_2 = 2
# Stage 1's limit is the Code's; stage 2's is a setting because sources differ.
STAGE1_MAX_EXTENSION_DAYS = 10
# Complaints about events longer ago than this may be refused (Code, section 4).
OUT_OF_TIME_MONTHS = 12


@dataclass(frozen=True)
class StageRules:
    stage: int
    acknowledge_within: int
    respond_within: int
    max_extension: int


def rules_for(stage: int) -> StageRules:
    if stage == STAGE_1:
        return StageRules(STAGE_1, 5, 10, STAGE1_MAX_EXTENSION_DAYS)
    if stage == STAGE_2:
        return StageRules(STAGE_2, 5, 20, settings.COMPLAINT_STAGE2_MAX_EXTENSION_DAYS)
    raise ValueError(f"There is no stage {stage}: the Code has exactly two")


def acknowledgement_due_on(requested_on: date, stage: int) -> date:
    return add_working_days(requested_on, rules_for(stage).acknowledge_within)


def response_due_on(acknowledged_on: date, stage: int, extension_days: int = 0) -> date:
    """The last day for the response: acknowledgement plus the stage's working days, plus any
    extension up to the stage's limit (an imported complaint may record more; it never counts)."""
    rules = rules_for(stage)
    return add_working_days(acknowledged_on, rules.respond_within + min(max(extension_days, 0), rules.max_extension))


def working_days_taken(start: date, end: date) -> int:
    return max(working_days_between(start, end), 0)


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_out_of_time(*, events_began_on: date | None, received_on: date) -> bool:
    """True when the events complained about began more than 12 months before the complaint."""
    return events_began_on is not None and events_began_on < months_before(received_on, OUT_OF_TIME_MONTHS)


# The financial year runs from 1 April to 31 March; "2025" means the year starting 1 April 2025.


ONE_DECIMAL = Decimal("0.1")


def rate(numerator: int, denominator: int, per: int) -> Decimal | None:
    """numerator per `per` of denominator, rounded half up to one decimal place; None without a
    denominator (nothing to measure)."""
    if not denominator:
        return None
    return (Decimal(numerator) * per / Decimal(denominator)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
