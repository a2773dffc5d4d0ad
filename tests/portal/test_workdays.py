"""Working days against the real England and Wales calendar."""

from datetime import UTC, date, datetime

import pytest

from portal.workdays import (
    LONDON,
    add_working_days,
    deadline_after,
    is_working_day,
    working_days_between,
)

ENG = "ENG"


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # A plain week: Monday plus one is Tuesday; Friday plus one is the next Monday.
        (date(2026, 11, 23), 1, date(2026, 11, 24)),
        (date(2026, 11, 27), 1, date(2026, 11, 30)),
        # Started at the weekend, counting starts from Monday, which is the first working day.
        (date(2026, 11, 28), 1, date(2026, 11, 30)),
        (date(2026, 11, 29), 5, date(2026, 12, 4)),
        # Christmas 2026: 25th Friday, Boxing Day Saturday observed on Monday 28th.
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 23), 5, date(2027, 1, 4)),
        # New Year's Day 2027 is a Friday.
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        (date(2026, 4, 1), 10, date(2026, 4, 17)),
        # The one-off bank holidays: the state funeral and the coronation.
        (date(2022, 9, 16), 1, date(2022, 9, 20)),
        (date(2023, 5, 5), 1, date(2023, 5, 9)),
        # May 2023 had two bank holidays a week apart: 1 May and the coronation on 8 May.
        (date(2023, 4, 28), 10, date(2023, 5, 16)),
        # Zero working days is the day itself.
        (date(2026, 11, 28), 0, date(2026, 11, 28)),
    ],
)
def test_add_working_days_skips_weekends_and_real_bank_holidays(start, days, expected):
    assert add_working_days(start, days, ENG) == expected


def test_one_off_bank_holidays_come_from_the_library_not_a_hand_written_list():
    assert not is_working_day(date(2022, 9, 19), ENG)
    assert not is_working_day(date(2023, 5, 8), ENG)
    assert is_working_day(date(2024, 5, 8), ENG)


def test_the_region_is_a_setting_scotland_keeps_2_january_and_not_easter_monday():
    assert not is_working_day(date(2026, 1, 2), "SCT")
    assert is_working_day(date(2026, 1, 2), ENG)
    assert is_working_day(date(2026, 4, 6), "SCT")
    assert not is_working_day(date(2026, 4, 6), ENG)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (date(2026, 11, 23), date(2026, 11, 24), 1),
        (date(2026, 11, 27), date(2026, 11, 30), 1),
        (date(2026, 12, 24), date(2026, 12, 29), 1),
        (date(2026, 12, 23), date(2027, 1, 4), 5),
        (date(2026, 11, 23), date(2026, 11, 23), 0),
        (date(2026, 11, 24), date(2026, 11, 23), -1),
        # Over the weekend before Monday: no working day has passed.
        (date(2026, 11, 27), date(2026, 11, 29), 0),
    ],
)
def test_working_days_between_counts_working_days_after_the_first_up_to_the_second(a, b, expected):
    assert working_days_between(a, b, ENG) == expected


@pytest.mark.parametrize("days", [0, 1, 2, 5, 10, 20, 40])
def test_working_days_between_undoes_add_working_days_across_christmas(days):
    start = date(2026, 12, 18)
    assert working_days_between(start, add_working_days(start, days, ENG), ENG) == days


def test_a_deadline_is_the_end_of_the_working_day_in_london_time():
    # Received on Christmas Eve at 4pm: a one-working-day call-back is due by the end of 29 December.
    received = datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)
    due = deadline_after(received, 1, ENG)
    assert due == datetime(2026, 12, 29, 23, 59, 59, tzinfo=LONDON)


def test_a_deadline_uses_the_london_date_not_the_utc_date():
    # 11:30pm on Friday 26 June 2026 in London: the counting day is Friday.
    received = datetime(2026, 6, 26, 23, 30, tzinfo=LONDON)
    assert deadline_after(received, 1, ENG).date() == date(2026, 6, 29)
    # Half past midnight on Thursday in London is still Wednesday in UTC (summer time): the
    # counting day is Thursday, so one working day on is Friday, not Thursday.
    after_midnight = datetime(2026, 6, 25, 0, 30, tzinfo=LONDON)
    assert deadline_after(after_midnight.astimezone(UTC), 1, ENG).date() == date(2026, 6, 26)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1, ENG)


@pytest.mark.django_db
def test_the_region_defaults_to_the_landlords_setting():
    from portal.models import Landlord

    landlord = Landlord.current()
    landlord.bank_holiday_region = "SCT"
    landlord.save()
    assert add_working_days(date(2026, 1, 1), 1) == date(2026, 1, 5)
