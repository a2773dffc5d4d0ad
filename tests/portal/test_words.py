"""How deadlines read to residents and officers."""

from datetime import datetime

import time_machine

from portal.models import Deadline, DeadlineKind
from portal.templatetags.doorstep import due_in_words, promise
from portal.workdays import LONDON

MONDAY_END = datetime(2026, 11, 30, 23, 59, 59, tzinfo=LONDON)


def test_a_promise_still_running_says_what_we_will_do_and_by_when():
    with time_machine.travel(datetime(2026, 11, 27, 10, tzinfo=LONDON)):
        deadline = Deadline(kind=DeadlineKind.CALLBACK, due_at=MONDAY_END, effective_due_at=MONDAY_END)
        assert promise(deadline) == "We will call you back by end of Monday 30 November"


def test_a_broken_promise_says_so_and_apologises():
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON)):
        deadline = Deadline(kind=DeadlineKind.COMPLAINT_ACK, due_at=MONDAY_END, effective_due_at=MONDAY_END)
        assert promise(deadline) == (
            "We promised to acknowledge your complaint by end of Monday 30 November. We are sorry this is late."
        )


def test_due_in_words_for_staff_names_the_day_it_went_overdue():
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=LONDON)):
        assert due_in_words(MONDAY_END).startswith("overdue since")
