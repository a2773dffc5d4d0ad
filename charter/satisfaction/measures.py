"""The Regulator of Social Housing's Tenant Satisfaction Measures: the survey's questions in their
required wording and order, the answer scales, the 22 measures' descriptions, and the arithmetic
(percentages rounded half up to one decimal; the margin of error at 95% confidence).

Everything here is plain Python with no database access, so the rules can be read and tested on
their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from portal.workdays import financial_year_bounds, financial_year_label, financial_year_of

ONE_DECIMAL = Decimal("0.1")
Z_95 = Decimal("1.96")
# A tenure is surveyed only where the landlord has this many homes of it; we still compute
# below it (a smaller landlord may publish voluntarily) and say so beside the figures.
SURVEY_THRESHOLD_HOMES = 1000

LCRA = "LCRA"
LCHO = "LCHO"
TENURES = (LCRA, LCHO)
TENURE_LABELS = {LCRA: "Social rent (LCRA)", LCHO: "Shared ownership (LCHO)", "ALL": "All homes"}


# -- answers ---------------------------------------------------------------------------------------------------

VERY_SATISFIED = "very_satisfied"
FAIRLY_SATISFIED = "fairly_satisfied"
NEITHER = "neither"
FAIRLY_DISSATISFIED = "fairly_dissatisfied"
VERY_DISSATISFIED = "very_dissatisfied"
STRONGLY_AGREE = "strongly_agree"
AGREE = "agree"
DISAGREE = "disagree"
STRONGLY_DISAGREE = "strongly_disagree"
DONT_KNOW = "dont_know"

SATISFACTION_SCALE = (
    (VERY_SATISFIED, "Very satisfied"),
    (FAIRLY_SATISFIED, "Fairly satisfied"),
    (NEITHER, "Neither satisfied nor dissatisfied"),
    (FAIRLY_DISSATISFIED, "Fairly dissatisfied"),
    (VERY_DISSATISFIED, "Very dissatisfied"),
)
AGREEMENT_SCALE = (
    (STRONGLY_AGREE, "Strongly agree"),
    (AGREE, "Agree"),
    (NEITHER, "Neither agree nor disagree"),
    (DISAGREE, "Disagree"),
    (STRONGLY_DISAGREE, "Strongly disagree"),
)
DONT_KNOW_LABEL = "Don't know, not applicable or refused (not read out)"
ANSWER_CHOICES = [
    *SATISFACTION_SCALE,
    *[(value, label) for value, label in AGREEMENT_SCALE if value != NEITHER],
    (DONT_KNOW, "Don't know, not applicable or refused"),
]

# The valid answers (the denominator) and the positive ones (the numerator) of each scale.
SATISFACTION_VALID = tuple(value for value, _ in SATISFACTION_SCALE)
SATISFACTION_POSITIVE = (VERY_SATISFIED, FAIRLY_SATISFIED)
AGREEMENT_VALID = tuple(value for value, _ in AGREEMENT_SCALE)
AGREEMENT_POSITIVE = (STRONGLY_AGREE, AGREE)


# -- the questions ---------------------------------------------------------------------------------------------

REPAIR_FILTER = "had_repair"
COMPLAINT_FILTER = "made_complaint"
COMMUNAL_FILTER = "has_communal"
FILTERS = (REPAIR_FILTER, COMPLAINT_FILTER, COMMUNAL_FILTER)
FILTER_QUESTIONS = {
    REPAIR_FILTER: "Has {landlord} carried out a repair to your home in the last 12 months?",
    COMPLAINT_FILTER: "Have you made a complaint to {landlord} in the last 12 months?",
    COMMUNAL_FILTER: (
        "Do you live in a building with communal areas, either inside or outside, that {landlord} is "
        "responsible for maintaining?"
    ),
}


@dataclass(frozen=True)
class Question:
    code: str
    wording: str  # "{landlord}" stands for the landlord's name
    name: str  # the regulator's short name of the measure
    description: str  # the regulator's description of the measure
    agreement: bool = False  # TP08 is on the agree/disagree scale
    asked_if: str = ""  # the filter question that must be answered "yes"
    lcra_only: bool = False

    @property
    def field(self) -> str:
        return self.code.lower()

    @property
    def scale(self):
        return AGREEMENT_SCALE if self.agreement else SATISFACTION_SCALE

    @property
    def valid_answers(self):
        return AGREEMENT_VALID if self.agreement else SATISFACTION_VALID

    @property
    def positive_answers(self):
        return AGREEMENT_POSITIVE if self.agreement else SATISFACTION_POSITIVE

    def text(self, landlord: str) -> str:
        return self.wording.format(landlord=landlord)

    def tenures(self):
        return (LCRA,) if self.lcra_only else TENURES


QUESTIONS = (
    Question(
        "TP01",
        "Taking everything into account, how satisfied or dissatisfied are you with the service provided by "
        "{landlord}?",
        "Overall satisfaction",
        "Proportion of respondents who report that they are satisfied with the overall service from their landlord.",
    ),
    Question(
        "TP02",
        "How satisfied or dissatisfied are you with the overall repairs service from {landlord} over the last "
        "12 months?",
        "Satisfaction with repairs",
        "Proportion of respondents who have received a repair in the last 12 months who report that they are "
        "satisfied with the overall repairs service.",
        asked_if=REPAIR_FILTER,
        lcra_only=True,
    ),
    Question(
        "TP03",
        "How satisfied or dissatisfied are you with the time taken to complete your most recent repair after "
        "you reported it?",
        "Satisfaction with time taken to complete most recent repair",
        "Proportion of respondents who have received a repair in the last 12 months who report that they are "
        "satisfied with the time taken to complete their most recent repair.",
        asked_if=REPAIR_FILTER,
        lcra_only=True,
    ),
    Question(
        "TP04",
        "How satisfied or dissatisfied are you that {landlord} provides a home that is well maintained?",
        "Satisfaction that the home is well maintained",
        "Proportion of respondents who report that they are satisfied that their home is well maintained.",
    ),
    Question(
        "TP05",
        "Thinking about the condition of the property or building you live in, how satisfied or dissatisfied "
        "are you that {landlord} provides a home that is safe?",
        "Satisfaction that the home is safe",
        "Proportion of respondents who report that they are satisfied that their home is safe.",
    ),
    Question(
        "TP06",
        "How satisfied or dissatisfied are you that {landlord} listens to your views and acts upon them?",
        "Satisfaction that the landlord listens to tenant views and acts upon them",
        "Proportion of respondents who report that they are satisfied that their landlord listens to tenant "
        "views and acts upon them.",
    ),
    Question(
        "TP07",
        "How satisfied or dissatisfied are you that {landlord} keeps you informed about things that matter "
        "to you?",
        "Satisfaction that the landlord keeps tenants informed about things that matter to them",
        "Proportion of respondents who report that they are satisfied that their landlord keeps them informed "
        "about things that matter to them.",
    ),
    Question(
        "TP08",
        'To what extent do you agree or disagree with the following: "{landlord} treats me fairly and with '
        'respect"?',
        "Agreement that the landlord treats tenants fairly and with respect",
        "Proportion of respondents who report that they agree their landlord treats them fairly and with respect.",
        agreement=True,
    ),
    Question(
        "TP09",
        "How satisfied or dissatisfied are you with {landlord}'s approach to complaints handling?",
        "Satisfaction with the landlord's approach to handling complaints",
        "Proportion of respondents who report making a complaint in the last 12 months who are satisfied with "
        "their landlord's approach to complaints handling.",
        asked_if=COMPLAINT_FILTER,
    ),
    Question(
        "TP10",
        "How satisfied or dissatisfied are you that {landlord} keeps these communal areas clean and well "
        "maintained?",
        "Satisfaction that the landlord keeps communal areas clean and well maintained",
        "Proportion of respondents with communal areas who report that they are satisfied that their landlord "
        "keeps communal areas clean and well maintained.",
        asked_if=COMMUNAL_FILTER,
    ),
    Question(
        "TP11",
        "How satisfied or dissatisfied are you that {landlord} makes a positive contribution to your "
        "neighbourhood?",
        "Satisfaction that the landlord makes a positive contribution to neighbourhoods",
        "Proportion of respondents who report that they are satisfied that their landlord makes a positive "
        "contribution to neighbourhoods.",
    ),
    Question(
        "TP12",
        "How satisfied or dissatisfied are you with {landlord}'s approach to handling anti-social behaviour?",
        "Satisfaction with the landlord's approach to handling anti-social behaviour",
        "Proportion of respondents who report that they are satisfied with their landlord's approach to "
        "handling anti-social behaviour.",
    ),
)
QUESTIONS_BY_CODE = {q.code: q for q in QUESTIONS}
# Where each filter question is asked: just before the first question it opens.
FILTER_BEFORE = {REPAIR_FILTER: "TP02", COMPLAINT_FILTER: "TP09", COMMUNAL_FILTER: "TP10"}


# -- management information -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManagementMeasure:
    code: str
    name: str
    description: str
    source: str


MANAGEMENT_MEASURES = (
    ManagementMeasure(
        "BS01",
        "Gas safety checks",
        "Proportion of homes for which all required gas safety checks have been carried out.",
        "compliance",
    ),
    ManagementMeasure(
        "BS02",
        "Fire safety checks",
        "Proportion of homes for which all required fire risk assessments have been carried out.",
        "compliance",
    ),
    ManagementMeasure(
        "BS03",
        "Asbestos safety checks",
        "Proportion of homes for which all required asbestos management surveys or re-inspections have been "
        "carried out.",
        "compliance",
    ),
    ManagementMeasure(
        "BS04",
        "Water safety checks",
        "Proportion of homes for which all required legionella risk assessments have been carried out.",
        "compliance",
    ),
    ManagementMeasure(
        "BS05",
        "Lift safety checks",
        "Proportion of homes for which all required communal passenger lift safety checks have been carried out.",
        "compliance",
    ),
    ManagementMeasure(
        "CH01",
        "Complaints relative to the size of the landlord",
        "Number of stage one and of stage two complaints received per 1,000 homes.",
        "complaints",
    ),
    ManagementMeasure(
        "CH02",
        "Complaints responded to within Complaint Handling Code timescales",
        "Proportion of stage one and of stage two complaints responded to within the Housing Ombudsman's "
        "Complaint Handling Code timescales.",
        "complaints",
    ),
    ManagementMeasure(
        "NM01",
        "Anti-social behaviour cases relative to the size of the landlord",
        "Number of anti-social behaviour cases opened per 1,000 homes, and of those involving hate incidents.",
        "asb",
    ),
    ManagementMeasure(
        "RP01",
        "Homes that do not meet the Decent Homes Standard",
        "Proportion of homes that do not meet the Decent Homes Standard.",
        "stock_condition",
    ),
    ManagementMeasure(
        "RP02",
        "Repairs completed within target timescale",
        "Proportion of non-emergency and of emergency responsive repairs completed within the landlord's "
        "target timescale.",
        "repairs",
    ),
)
MANAGEMENT_BY_CODE = {m.code: m for m in MANAGEMENT_MEASURES}
COMPLIANCE_CODES = ("BS01", "BS02", "BS03", "BS04", "BS05")
STOCK_CONDITION_CODES = ("RP01",)

ALL_CODES = tuple(
    sorted(
        [q.code for q in QUESTIONS] + [m.code for m in MANAGEMENT_MEASURES],
        key=lambda c: ({"BS": 0, "CH": 1, "NM": 2, "RP": 3, "TP": 4}[c[:2]], c),
    )
)
NAMES = {q.code: q.name for q in QUESTIONS} | {m.code: m.name for m in MANAGEMENT_MEASURES}
DESCRIPTIONS = {q.code: q.description for q in QUESTIONS} | {
    m.code: m.description for m in MANAGEMENT_MEASURES
}


# -- arithmetic -----------------------------------------------------------------------------------------------


def one_decimal(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent(part: int, whole: int) -> Decimal | None:
    """part of whole as a percentage, rounded half up to one decimal place; None when whole is 0."""
    if not whole:
        return None
    return one_decimal(Decimal(part) * 100 / Decimal(whole))


def per_thousand(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return one_decimal(Decimal(part) * 1000 / Decimal(whole))


def margin_of_error(*, p: Decimal | float, responses: int, households: int) -> Decimal | None:
    """Plus or minus this many percentage points at 95% confidence, for a share p (0 to 1) from
    `responses` of `households`, with the finite population correction:
    1.96 * sqrt(p(1-p)/n) * sqrt((N-n)/(N-1)). None when it cannot be worked out."""
    n, N = responses, households
    if n <= 0 or N <= 1 or n > N:
        return None
    p = Decimal(str(p))
    variance = p * (1 - p) / n
    correction = Decimal(N - n) / Decimal(N - 1)
    return one_decimal(Z_95 * (variance * correction).sqrt() * 100)


def responses_needed(*, margin: Decimal | float, households: int) -> int:
    """How many responses give at most `margin` percentage points at 95% confidence at p = 0.5
    from `households` households (the planning figure, with the finite population correction)."""
    if households <= 0:
        return 0
    e = float(margin) / 100
    n0 = (1.96**2) * 0.25 / (e * e)
    return min(households, math.ceil(n0 / (1 + (n0 - 1) / households)))


# -- the financial year -------------------------------------------------------------------------------------------


# The portal's financial-year calendar, under the short names this app's modules use.
year_bounds = financial_year_bounds
year_label = financial_year_label
year_of = financial_year_of
