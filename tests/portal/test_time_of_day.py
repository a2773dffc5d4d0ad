"""Forms read a time of day the way people write it, and say plainly when they cannot."""

from datetime import time

import pytest
from django import forms

from portal.forms import TimeOfDayField, parse_time_of_day


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("9am", time(9, 0)),
        ("9:30am", time(9, 30)),
        ("2.30pm", time(14, 30)),
        ("14:30", time(14, 30)),
        ("14.30", time(14, 30)),
        ("1430", time(14, 30)),
        ("0930", time(9, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("midday", time(12, 0)),
        ("Midnight", time(0, 0)),
        (" 5 PM ", time(17, 0)),
        ("6:30 pm", time(18, 30)),
    ],
)
def test_a_time_written_in_any_common_way_is_understood(typed, meant):
    assert parse_time_of_day(typed) == meant


@pytest.mark.parametrize("typed", ["9", "25:00", "13pm", "0am", "9:75", "teatime", "", "14:3"])
def test_a_time_that_could_mean_two_things_or_none_is_refused(typed):
    with pytest.raises(ValueError):
        parse_time_of_day(typed)


class MeetingForm(forms.Form):
    starts = TimeOfDayField(label="Start time")
    ends = TimeOfDayField(label="End time (optional)", required=False)


def test_the_field_gives_a_time_and_leaves_an_optional_blank_empty():
    form = MeetingForm({"starts": "6.30pm", "ends": ""})
    assert form.is_valid()
    assert form.cleaned_data == {"starts": time(18, 30), "ends": None}


def test_a_missing_or_unreadable_time_is_named_in_the_message():
    form = MeetingForm({"starts": "", "ends": "late"})
    assert not form.is_valid()
    assert form.errors["starts"] == ["Enter the start time"]
    assert form.errors["ends"] == ["Enter the end time in the form 14:30 or 2:30pm"]


def test_what_was_typed_stays_in_the_box_when_it_cannot_be_read():
    form = MeetingForm({"starts": "teatime"})
    assert not form.is_valid()
    assert 'value="teatime"' in str(form["starts"])
