"""The ASB risk assessment: a short structured questionnaire, scored, giving a risk level.

Modelled on the victim risk assessment matrices police and landlords use (the Home Office's ASB
risk assessment): a few questions each weigh towards harm. Violence, or the fear of it, makes the
risk high whatever the score; otherwise the score decides. The level sets how fast the first
contact must be (settings.ASB_FIRST_CONTACT_WORKING_DAYS).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from engagement.asb.models import RiskLevel


@dataclass(frozen=True)
class Question:
    key: str
    resident_text: str  # asked of the person reporting, about themselves
    officer_text: str  # asked by the officer, about the victim
    weight: int
    makes_high: bool = False


QUESTIONS = [
    Question(
        "violence",
        "Has anyone been hurt, or threatened with violence?",
        "Has the victim been physically hurt or threatened with violence?",
        5,
        makes_high=True,
    ),
    Question(
        "fear_of_harm",
        "Are you afraid that you or someone in your home will be harmed?",
        "Is the victim afraid that they or their household will be harmed?",
        3,
        makes_high=True,
    ),
    Question(
        "targeted",
        "Do you think you are being targeted because of who you are?",
        "Is the victim being targeted because of who they are (a possible hate incident)?",
        3,
    ),
    Question(
        "vulnerable",
        "Does anyone in your home have a disability, long-term illness, or other vulnerability?",
        "Does the victim or their household have a disability, illness or other vulnerability?",
        2,
    ),
    Question(
        "unsafe_at_home",
        "Do you feel unsafe in your own home?",
        "Does the victim feel unsafe in their own home?",
        2,
    ),
    Question(
        "repeated",
        "Has this happened more than once?",
        "Has this happened repeatedly?",
        1,
    ),
    Question(
        "health",
        "Is it affecting your health, sleep or wellbeing?",
        "Is it affecting the victim's health, sleep or wellbeing?",
        1,
    ),
    Question(
        "children",
        "Are children affected?",
        "Are children in the household affected?",
        1,
    ),
]
QUESTION_KEYS = [question.key for question in QUESTIONS]

# Scores at or above these give the level (when no question makes it high by itself).
HIGH_SCORE = 7
MEDIUM_SCORE = 3


@dataclass(frozen=True)
class Result:
    score: int
    level: str
    reasons: tuple[str, ...]


def assess(answers: dict[str, bool]) -> Result:
    score = 0
    forced_high = False
    reasons = []
    for question in QUESTIONS:
        if answers.get(question.key):
            score += question.weight
            reasons.append(question.key)
            forced_high = forced_high or question.makes_high
    if forced_high or score >= HIGH_SCORE:
        level = RiskLevel.HIGH
    elif score >= MEDIUM_SCORE:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.STANDARD
    return Result(score=score, level=level, reasons=tuple(reasons))


def first_contact_working_days(level: str) -> int:
    return settings.ASB_FIRST_CONTACT_WORKING_DAYS[level]


def review_working_days(level: str) -> int:
    return settings.ASB_REVIEW_WORKING_DAYS[level]


def answered_questions(answers: dict, *, audience: str = "officer") -> list[tuple[str, bool]]:
    """The questions in order with the answer given, for showing an assessment."""
    return [
        (
            question.officer_text if audience == "officer" else question.resident_text,
            bool(answers.get(question.key)),
        )
        for question in QUESTIONS
    ]
