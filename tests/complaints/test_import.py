"""Importing complaint history: a bad file is rejected whole, line by line, and nothing is written;
the same file twice changes nothing; open complaints join the queue with their clock."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from complaints.importing import ImportRejected, import_complaints
from complaints.models import Complaint, ComplaintStage, ComplaintStatus, Source
from portal.models import Case, CaseStatus, Deadline, DeadlineKind, Event
from portal.workdays import end_of_day
from tests import factories
from tests.complaints.builders import at, make_complaint_at
from tests.complaints.test_report import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(db):
    return [factories.HomeFactory(uprn=f"10009000000{n}") for n in range(1, 4)]


def good_file():
    return (
        "\n".join(
            [
                HEADER,
                "OLD-1,100090000001,2025-06-02,2025-06-04,5,2025-06-25,,,,,upheld,repairs,2500",
                "OLD-2,100090000002,2025-09-01,2025-09-02,,2025-09-10,2025-09-15,2025-09-16,,2025-10-01,not upheld,asb,",
                "OLD-3,100090000003,2026-11-02,2026-11-03,,,,,,,,,",
                "OLD-4,100090000001,2026-11-20,,,,,,,,,,",
            ]
        )
        + "\n"
    )


def counts():
    return {model.__name__: model.objects.count() for model in (Complaint, ComplaintStage, Case, Deadline, Event)}


def test_a_good_file_is_imported_with_the_dates_the_report_uses(homes):
    result = import_complaints(good_file())
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)

    one = Complaint.objects.get(external_reference="OLD-1")
    assert one.source == Source.IMPORTED and one.status == ComplaintStatus.RESPONDED
    stage1 = one.stages.get()
    assert (stage1.response_due_on, stage1.responded_on, stage1.outcome) == (
        date(2025, 6, 25),
        date(2025, 6, 25),
        "upheld",
    )
    assert stage1.compensation_pence == 2500
    assert one.case.status == CaseStatus.RESOLVED and one.case.home == homes[0]

    two = Complaint.objects.get(external_reference="OLD-2")
    assert two.stage == 2 and two.status == ComplaintStatus.RESPONDED and two.case.status == CaseStatus.CLOSED
    assert two.stages.get(stage=2).outcome == "not_upheld" and two.stages.get(stage=1).outcome == ""


def test_open_imported_complaints_get_their_clock_so_the_queue_and_reminders_see_them(homes):
    import_complaints(good_file())
    investigating = Complaint.objects.get(external_reference="OLD-3")
    assert investigating.status == ComplaintStatus.INVESTIGATING
    deadline = investigating.case.deadlines.get()
    assert deadline.kind == DeadlineKind.COMPLAINT_RESPONSE
    assert deadline.due_at == end_of_day(date(2026, 11, 17))  # acknowledged 3 Nov + 10 working days
    assert deadline.next_reminder_at is not None
    assert investigating.case.next_due_at == deadline.effective_due_at

    waiting = Complaint.objects.get(external_reference="OLD-4")
    assert waiting.case.deadlines.get().kind == DeadlineKind.COMPLAINT_ACK


def test_importing_the_same_file_again_changes_nothing(homes):
    import_complaints(good_file())
    before = counts()
    result = import_complaints(good_file())
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert counts() == before


def test_importing_a_corrected_row_updates_that_complaint_and_its_clock(homes):
    import_complaints(good_file())
    corrected = good_file().replace("OLD-4,100090000001,2026-11-20,,", "OLD-4,100090000001,2026-11-20,2026-11-23,")
    result = import_complaints(corrected)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    waiting = Complaint.objects.get(external_reference="OLD-4")
    assert waiting.status == ComplaintStatus.INVESTIGATING
    running = waiting.case.deadlines.get(stopped_at__isnull=True)
    assert running.kind == DeadlineKind.COMPLAINT_RESPONSE
    assert Complaint.objects.count() == 4


def test_a_bad_file_is_rejected_whole_with_every_problem_by_line_and_nothing_written(homes):
    bad = (
        "\n".join(
            [
                HEADER,
                "OK-1,100090000001,2025-06-02,2025-06-04,,2025-06-20,,,,,upheld,repairs,",
                "BAD-DATE,100090000001,02/06/2025,,,,,,,,,,",
                "NO-HOME,999999999999,2025-06-02,,,,,,,,,,",
                "BACKWARDS,100090000002,2025-06-02,2025-06-10,,2025-06-05,,,,,upheld,,",
                "OK-1,100090000002,2025-06-02,,,,,,,,,,",
                "ODD,100090000003,2025-06-02,2025-06-03,,2025-06-10,,,,,brilliant,parking,-5",
                "SKIPPED,100090000003,2025-06-02,,,2025-06-10,,,,,,,",
                "SHORT,100090000003,2025-06-02",
            ]
        )
        + "\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_complaints(bad)
    errors = rejected.value.errors
    assert "Line 3: received_on must be a date like 2025-04-01, not '02/06/2025'" in errors
    assert "Line 4: no home has the UPRN 999999999999" in errors
    assert "Line 5: stage1_responded_on (2025-06-05) is before acknowledged_on (2025-06-10)" in errors
    assert "Line 6: reference OK-1 is also on line 2" in errors
    assert any(e.startswith("Line 7: outcome must be blank or one of") for e in errors)
    assert any(e.startswith("Line 7: category 'parking' is not one of") for e in errors)
    assert "Line 7: compensation_pence must be a whole number of 0 or more, not '-5'" in errors
    assert "Line 8: stage1_responded_on is given but acknowledged_on is blank" in errors
    assert "Line 9: expected 13 values, separated by commas" in errors
    assert [int(e.split(":")[0].split()[1]) for e in errors] == sorted(int(e.split(":")[0].split()[1]) for e in errors)
    assert counts() == {"Complaint": 0, "ComplaintStage": 0, "Case": 0, "Deadline": 0, "Event": 0}


def test_a_file_with_the_wrong_columns_is_rejected(homes):
    with pytest.raises(ImportRejected) as rejected:
        import_complaints("reference,uprn,received\nA,100090000001,2025-06-02\n")
    (error,) = rejected.value.errors
    assert error.startswith("Line 1: missing column(s): received_on, acknowledged_on")
    assert "unknown column(s): received" in error


def test_dates_in_the_future_are_rejected(homes):
    with pytest.raises(ImportRejected, match="problem"):
        import_complaints(f"{HEADER}\nFUTURE,100090000001,2099-01-01,,,,,,,,,,\n")


def test_a_reference_of_a_complaint_made_in_the_portal_is_not_overwritten(homes, tenant):
    complaint = make_complaint_at(at(2026, 11, 2), tenant)
    Complaint.objects.filter(pk=complaint.pk).update(external_reference="CLASH")
    with pytest.raises(ImportRejected) as rejected:
        import_complaints(f"{HEADER}\nCLASH,100090000001,2025-06-02,,,,,,,,,,\n")
    assert rejected.value.errors == ["Line 2: reference CLASH belongs to a complaint that was not imported"]


def test_the_command_imports_a_file_and_says_what_it_did(homes, tmp_path):
    path = tmp_path / "complaints.csv"
    path.write_text(good_file(), encoding="utf-8")
    out = io.StringIO()
    call_command("import_complaints", str(path), stdout=out)
    assert "4 new, 0 updated, 0 unchanged" in out.getvalue()


def test_the_command_rejects_a_bad_file_listing_its_problems(homes, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\nX,999,2025-06-02,,,,,,,,,,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_complaints", str(path), stderr=err)
    assert "Line 2: no home has the UPRN 999" in err.getvalue()
    assert not Complaint.objects.exists()
