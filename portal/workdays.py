"""The working-day calendar: the one place that counts working days.

Saturdays, Sundays and the landlord's region's bank holidays are not working days. Bank holidays
come from the maintained `holidays` library, so one-off days (the 2022 state funeral, the 2023
coronation) are there without anyone writing them down.

"Within N working days of X" ends at the end of the Nth working day after the day of X. X itself
never counts, whether or not it is a working day: a call-back promised on a Saturday is due by
the end of Monday.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")
SATURDAY = 5


@lru_cache(maxsize=8)
def _bank_holidays(region: str) -> holidays.HolidayBase:
    # Years are filled in on demand by the library as dates are looked up.
    return holidays.country_holidays("GB", subdiv=region)


def current_region() -> str:
    from portal.models import Landlord

    return Landlord.current().bank_holiday_region


def is_working_day(day: date, region: str | None = None) -> bool:
    if day.weekday() >= SATURDAY:
        return False
    return day not in _bank_holidays(region or current_region())


def add_working_days(start: date, days: int, region: str | None = None) -> date:
    """The `days`-th working day after `start` (start not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    region = region or current_region()
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, region):
            counted += 1
    return day


def working_days_between(a: date, b: date, region: str | None = None) -> int:
    """Working days after `a` up to and including `b`; negative when `b` is before `a`.

    The inverse of add_working_days for working days: working_days_between(d, add_working_days(d, n)) == n.
    """
    if b < a:
        return -working_days_between(b, a, region)
    region = region or current_region()
    count = 0
    day = a
    while day < b:
        day += timedelta(days=1)
        if is_working_day(day, region):
            count += 1
    return count


def end_of_day(day: date) -> datetime:
    """The last moment of a day in London, as an aware datetime."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def local_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def deadline_after(moment: datetime, days: int, region: str | None = None) -> datetime:
    """The end of the `days`-th working day after the day of `moment`, London time."""
    return end_of_day(add_working_days(local_date(moment), days, region))


# Office hours, for reminders counted in working hours ("two working hours before the call-back
# is due"). Deadlines themselves fall at the end of a working day.
WORKING_DAY_START = time(9, 0)
WORKING_DAY_END = time(17, 0)


def start_of_working_day(day: date) -> datetime:
    return datetime.combine(day, WORKING_DAY_START, tzinfo=LONDON)


def subtract_working_days(day: date, days: int, region: str | None = None) -> date:
    """The `days`-th working day before `day` (day not counted)."""
    region = region or current_region()
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if is_working_day(day, region):
            counted += 1
    return day


def working_hours_before(moment: datetime, hours: int, region: str | None = None) -> datetime:
    """The moment `hours` office hours before `moment`, skipping nights, weekends and bank holidays.

    A moment after the office closes counts from closing time: two working hours before a
    deadline at 23:59 on Monday is 3pm on Monday.
    """
    region = region or current_region()
    local = moment.astimezone(LONDON)
    day = local.date()
    if is_working_day(day, region) and local.time() >= WORKING_DAY_START:
        clock = min(local.time(), WORKING_DAY_END)
    else:  # before opening, or a day the office is shut: count from the last closing time
        day = subtract_working_days(day, 1, region)
        clock = WORKING_DAY_END
    remaining = timedelta(hours=hours)
    while True:
        available = datetime.combine(day, clock) - datetime.combine(day, WORKING_DAY_START)
        if remaining <= available:
            return datetime.combine(day, clock, tzinfo=LONDON) - remaining
        remaining -= available
        day = subtract_working_days(day, 1, region)
        clock = WORKING_DAY_END


# -- the financial year ---------------------------------------------------------------------------
# Landlords report by financial year, 1 April to 31 March; "2025" is the year starting 1 April 2025.


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def financial_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def financial_year_label(year: int) -> str:
    """As the regulator writes it: "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"
