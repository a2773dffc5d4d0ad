"""The perception measures on known answers: the share very or fairly satisfied (TP08: agree)
of the valid answers, "neither" in the denominator, don't know and blanks out, rounded half up."""

from decimal import Decimal

import pytest

from charter.satisfaction import measures, selectors
from tests import factories
from tests.satisfaction.factories import SurveyResponseFactory, responses

pytestmark = pytest.mark.django_db


def results(year=2025):
    return selectors.perception_results(year)


def test_neither_counts_in_the_denominator_and_dont_know_does_not():
    responses(2, tp01="very_satisfied")
    responses(1, tp01="fairly_satisfied")
    responses(1, tp01="neither")
    responses(3, tp01="dont_know")
    SurveyResponseFactory(tp01="")
    tp01 = results()["LCRA"]["TP01"]
    assert tp01["valid"] == 4
    assert tp01["percent"] == Decimal("75.0")


def test_two_of_three_is_66_point_7():
    responses(2, tp04="fairly_satisfied")
    responses(1, tp04="very_dissatisfied")
    assert results()["LCRA"]["TP04"]["percent"] == Decimal("66.7")


def test_an_exact_half_at_the_second_decimal_rounds_up():
    # 1 of 8 is exactly 12.5; 137 of 200... 0.685 -> 68.5 exactly; 1 of 16 is 6.25 -> 6.3 half up
    # (binary floating point and banker's rounding would both give 6.2).
    responses(1, tp05="very_satisfied")
    responses(15, tp05="fairly_dissatisfied")
    assert results()["LCRA"]["TP05"]["percent"] == Decimal("6.3")
    assert measures.percent(1, 16) == Decimal("6.3")
    assert measures.percent(3, 16) == Decimal("18.8")  # 18.75


def test_tp08_counts_strongly_agree_and_agree():
    responses(1, tp08="strongly_agree")
    responses(1, tp08="agree")
    responses(1, tp08="neither")
    responses(1, tp08="disagree")
    responses(1, tp08="dont_know")
    tp08 = results()["LCRA"]["TP08"]
    assert (tp08["percent"], tp08["valid"]) == (Decimal("50.0"), 4)


def test_filtered_questions_count_only_those_asked():
    responses(2, had_repair=True, tp02="very_satisfied", tp03="very_dissatisfied")
    responses(5, had_repair=False)
    figures = results()["LCRA"]
    assert (figures["TP02"]["valid"], figures["TP02"]["percent"]) == (2, Decimal("100.0"))
    assert (figures["TP03"]["valid"], figures["TP03"]["percent"]) == (2, Decimal("0.0"))
    assert figures["TP01"]["valid"] == 7


def test_tp02_and_tp03_are_for_social_rent_only_and_tenures_are_apart():
    responses(3, tenure="LCHO", tp01="very_dissatisfied", tp02="very_satisfied")
    responses(1, tenure="LCRA", tp01="very_satisfied")
    out = results()
    assert "TP02" not in out["LCHO"] and "TP03" not in out["LCHO"]
    assert out["LCHO"]["TP01"] == {"percent": Decimal("0.0"), "valid": 3, "positive": 0}
    assert out["LCRA"]["TP01"]["percent"] == Decimal("100.0")


def test_a_measure_without_valid_answers_has_no_percent_and_other_years_do_not_count():
    responses(2, year=2024, tp12="very_satisfied")
    figures = results()["LCRA"]["TP12"]
    assert figures["percent"] is None and figures["valid"] == 0
    json_block = selectors.results_as_json(results())
    assert json_block["LCRA"]["TP12"] == {"percent": None, "valid": 0}
    assert json_block["year"] == "2025/26"


def test_the_results_are_one_query_however_many_responses(django_assert_num_queries):
    responses(30, tp01="very_satisfied", tp08="agree")
    responses(30, tenure="LCHO", tp01="neither")
    with django_assert_num_queries(1):
        selectors.perception_counts(2025)


def test_margin_of_error_known_values():
    # 1.96 * sqrt(0.5*0.5/400) * sqrt((10000-400)/9999) = 0.048 -> 4.8 points
    assert measures.margin_of_error(p=Decimal("0.5"), responses=400, households=10000) == Decimal(
        "4.8"
    )
    # 1.96 * sqrt(0.7*0.3/500) * sqrt(500/999) = 0.02846... -> 2.8
    assert measures.margin_of_error(p=Decimal("0.7"), responses=500, households=1000) == Decimal(
        "2.8"
    )
    # Everyone answered: no sampling error.
    assert measures.margin_of_error(p=Decimal("0.5"), responses=200, households=200) == Decimal(
        "0.0"
    )
    assert measures.margin_of_error(p=Decimal("0.5"), responses=0, households=200) is None


def test_responses_needed_for_a_target_margin():
    # The classic 384 for an infinite population, fewer with the correction.
    assert measures.responses_needed(margin=5, households=10**9) == 385
    assert measures.responses_needed(margin=5, households=600) == 235
    assert measures.margin_of_error(p=Decimal("0.5"), responses=235, households=600) <= Decimal(
        "5.0"
    )


def test_the_margin_of_error_uses_the_tenures_homes_and_tp01_answers():
    for _ in range(10):
        factories.HomeFactory(tenure="LCRA")
    responses(4, tp01="very_satisfied")
    responses(1, tp01="neither")
    margin = results()["LCRA"]["margin_of_error"]
    assert margin["homes"] == 10 and margin["responses"] == 5
    # p = 0.8: 1.96 * sqrt(0.16/5) * sqrt(5/9) = 0.2613 -> 26.1; at p = 0.5: 0.3266 -> 32.7
    assert margin["TP01"] == Decimal("26.1")
    assert margin["planning"] == Decimal("32.7")
    assert results()["LCRA"]["below_threshold"] is True
