"""Importing a contractor's responses: a file with any problem is rejected whole, every bad line
listed, nothing written; a good file is written in one go. The command and the upload page share
the same code."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from charter.satisfaction import importing
from charter.satisfaction.models import ResponseImport, SurveyResponse
from tests import factories
from tests.satisfaction.factories import SurveyResponseFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "respondent,tenure,collected_on,method,had_repair,made_complaint,has_communal,"
    "TP01,TP02,TP03,TP04,TP05,TP06,TP07,TP08,TP09,TP10,TP11,TP12"
)
GOOD = [
    "C-001,LCRA,2025-06-01,online,yes,no,yes,very_satisfied,fairly_satisfied,neither,very_satisfied,"
    "very_satisfied,neither,fairly_satisfied,agree,,fairly_satisfied,neither,dont_know",
    "C-002,LCRA,2025-06-02,phone,no,yes,no,neither,,,fairly_satisfied,very_dissatisfied,neither,"
    "fairly_satisfied,strongly_agree,very_dissatisfied,,neither,",
    "C-003,LCHO,2026-03-31,face_to_face,,,,fairly_satisfied,,,fairly_satisfied,very_dissatisfied,neither,"
    "fairly_satisfied,disagree,,,neither,",
]


def csv_text(*lines):
    return "\n".join([HEADER, *lines]) + "\n"


def replace(line, column, value):
    names = HEADER.split(",")
    values = line.split(",")
    values[names.index(column)] = value
    return ",".join(values)


def rejected(text, year=2025):
    with pytest.raises(importing.ImportRejected) as caught:
        importing.import_responses(text, year=year)
    assert (
        not SurveyResponse.objects.exists()
        or SurveyResponse.objects.filter(import_batch__isnull=False).count() == 0
    )
    return caught.value.errors


def test_a_good_file_is_imported_whole():
    result = importing.import_responses(csv_text(*GOOD), year=2025, file_name="wave1.csv")
    assert result.created == 3 and result.by_tenure == {"LCRA": 2, "LCHO": 1}
    first = SurveyResponse.objects.get(respondent="C-001")
    assert first.tp12 == "dont_know" and first.tp09 == "" and first.had_repair is True
    assert ResponseImport.objects.get().rows == 3


NOTHING_FILTERED_IN = "C-010,LCRA,2025-06-01,online,no,no,no,very_satisfied,,,fairly_satisfied,neither,neither,neither,agree,,,neither,"


@pytest.mark.parametrize(
    ("filter_column", "question"),
    [
        ("had_repair", "TP02"),
        ("had_repair", "TP03"),
        ("made_complaint", "TP09"),
        ("has_communal", "TP10"),
    ],
)
def test_an_answer_to_a_question_the_filter_excluded_rejects_the_file(filter_column, question):
    bad = replace(NOTHING_FILTERED_IN, question, "very_satisfied")
    errors = rejected(csv_text(GOOD[1], bad))
    assert errors == [
        f"Line 3: {question} is answered but {filter_column} is no: {question} is asked only when "
        f"{filter_column} is yes"
    ]
    assert not SurveyResponse.objects.exists()


def test_a_dont_know_to_an_excluded_question_is_an_answer_too():
    errors = rejected(
        csv_text(
            replace(GOOD[1], "TP09", "very_satisfied"),
            replace(GOOD[1].replace("C-002", "C-9"), "TP10", "dont_know"),
        )
    )
    assert [e.split(":")[0] for e in errors] == ["Line 3"]


def test_a_respondent_twice_in_the_file_is_rejected():
    errors = rejected(csv_text(GOOD[0], GOOD[1], GOOD[0]))
    assert errors == [
        "Line 4: respondent C-001 is also on line 2: one response per household a year"
    ]


def test_a_respondent_already_stored_for_the_year_is_rejected_but_another_year_is_fine():
    SurveyResponseFactory(respondent="C-002", year=2025)
    SurveyResponseFactory(respondent="C-001", year=2024)
    errors = rejected(csv_text(*GOOD))
    assert errors == [
        "Line 3: respondent C-002 already has a response for 2025/26: one per household a year"
    ]
    assert SurveyResponse.objects.count() == 2


def test_a_home_that_answered_in_the_portal_cannot_be_imported_again():
    home = factories.HomeFactory(uprn="100023336956")
    SurveyResponseFactory(respondent="portal-answer", home=home)
    errors = rejected(csv_text(GOOD[0].replace("C-001", "100023336956")))
    assert errors == [
        "Line 2: respondent 100023336956 already has a response for 2025/26: one per household a year"
    ]


def test_unknown_values_and_dates_outside_the_year_are_listed_line_by_line():
    lines = [
        replace(GOOD[0], "tenure", "LEASEHOLD"),
        replace(GOOD[1], "method", "carrier_pigeon"),
        replace(GOOD[2], "TP08", "very_satisfied"),
        replace(GOOD[0].replace("C-001", "C-004"), "had_repair", "maybe"),
        replace(GOOD[0].replace("C-001", "C-005"), "collected_on", "2025-03-31"),
        replace(GOOD[0].replace("C-001", "C-006"), "collected_on", "31/05/2025"),
        replace(GOOD[0].replace("C-001", "C-007"), "TP01", "ecstatic"),
    ]
    errors = rejected(csv_text(*lines))
    assert errors == [
        "Line 2: tenure must be LCRA or LCHO, not 'LEASEHOLD'",
        "Line 3: method must be one of online, phone, paper, face_to_face, not 'carrier_pigeon'",
        "Line 4: TP08 must be one of strongly_agree, agree, neither, disagree, strongly_disagree, dont_know or "
        "blank, not 'very_satisfied'",
        "Line 5: had_repair must be yes, no or blank, not 'maybe'",
        "Line 6: collected_on 31 March 2025 is outside the financial year 2025/26 (1 April 2025 to 31 March 2026)",
        "Line 7: collected_on must be a date like 2025-06-30, not '31/05/2025'",
        "Line 8: TP01 must be one of very_satisfied, fairly_satisfied, neither, fairly_dissatisfied, "
        "very_dissatisfied, dont_know or blank, not 'ecstatic'",
    ]
    assert not SurveyResponse.objects.exists()


def test_a_file_with_wrong_columns_says_which():
    errors = rejected("respondent,tenure,colour\nA,LCRA,blue\n")
    assert errors[0].startswith("Line 1: missing column(s): collected_on, method")
    assert "unknown column(s): colour" in errors[0]


def test_the_command_imports_and_prints_results_as_json(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(csv_text(*GOOD), encoding="utf-8")
    out = StringIO()
    call_command("import_tsm_responses", "--year", "2025", str(path), stdout=out, skip_checks=True)
    assert "Imported 3 responses for 2025/26 (2 LCRA, 1 LCHO)" in out.getvalue()

    out = StringIO()
    call_command("tsm_results", "--year", "2025", "--format", "json", stdout=out, skip_checks=True)
    data = json.loads(out.getvalue())
    assert data["year"] == "2025/26"
    assert data["LCRA"]["TP01"] == {"percent": 50.0, "valid": 2}
    assert data["LCRA"]["TP02"] == {"percent": 100.0, "valid": 1}
    assert data["LCRA"]["TP12"] == {"percent": None, "valid": 0}
    assert "TP02" not in data["LCHO"] and data["LCHO"]["TP08"] == {"percent": 0.0, "valid": 1}
    assert set(data["LCRA"]["margin_of_error"]) == {"TP01", "planning", "homes", "responses"}

    table = StringIO()
    call_command(
        "tsm_results", "--year", "2025", "--format", "table", stdout=table, skip_checks=True
    )
    assert "TP01       50.0%       2  Overall satisfaction" in table.getvalue()


def test_the_command_lists_every_problem_and_writes_nothing(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(csv_text(GOOD[0], GOOD[0]), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command(
            "import_tsm_responses", "--year", "2025", str(path), stderr=err, skip_checks=True
        )
    assert "Line 3: respondent C-001 is also on line 2" in err.getvalue()
    assert not SurveyResponse.objects.exists()
