"""The notice form reads times the way people write them."""

from datetime import time

import pytest

from engagement.news.forms import parse_time


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("9am", time(9, 0)),
        ("9:30am", time(9, 30)),
        ("2.30pm", time(14, 30)),
        ("14:30", time(14, 30)),
        ("12pm", time(12, 0)),
        ("12am", time(0, 0)),
        ("midday", time(12, 0)),
        (" 5 PM ", time(17, 0)),
    ],
)
def test_a_time_written_in_any_common_way_is_understood(typed, meant):
    assert parse_time(typed) == meant


@pytest.mark.parametrize("typed", ["9", "25:00", "13pm", "9:75", "teatime"])
def test_a_time_that_could_mean_two_things_or_none_is_refused(typed):
    with pytest.raises(ValueError):
        parse_time(typed)
