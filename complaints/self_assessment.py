"""The annual self-assessment against the Complaint Handling Code: a statement per part of the
Code, each answered by a manager with how far we meet it and the evidence."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    statement: str


ITEMS = (
    Item(
        "definition",
        "Definition of a complaint",
        "We use the Code's definition of a complaint, and staff recognise dissatisfaction however it is expressed.",
    ),
    Item(
        "service_requests",
        "Definition of a complaint",
        "When a resident is unhappy with how a service request is handled, we offer a stage 1 complaint and the request carries on.",
    ),
    Item(
        "exclusions",
        "Exclusions",
        "We refuse a complaint only for a reason the Code allows, explain it, and tell the resident they can go to the Ombudsman.",
    ),
    Item(
        "accessibility",
        "Accessibility and awareness",
        "Residents can complain in any way, including through a representative, and we make reasonable adjustments.",
    ),
    Item(
        "publicity",
        "Accessibility and awareness",
        "Our complaints policy, this self-assessment and how to contact the Ombudsman are published where residents can find them.",
    ),
    Item(
        "staff",
        "Complaint handling staff",
        "A named person or team is responsible for complaints, with the authority and training to put things right.",
    ),
    Item(
        "two_stages",
        "The complaint handling process",
        "We have two stages only, and no extra stage before or between them.",
    ),
    Item(
        "stage1_times",
        "Stage 1",
        "We acknowledge stage 1 complaints within 5 working days and respond within 10 working days of acknowledging them.",
    ),
    Item(
        "extensions",
        "Stage 1 and stage 2",
        "Extensions are rare, within the Code's limits, and the resident is told the reason and the Ombudsman's details.",
    ),
    Item(
        "stage2_escalation",
        "Stage 2",
        "We escalate to stage 2 on request without asking for reasons, and a different person handles stage 2.",
    ),
    Item(
        "stage2_times",
        "Stage 2",
        "We acknowledge stage 2 within 5 working days and respond within 20 working days of acknowledging it.",
    ),
    Item(
        "remedies",
        "Putting things right",
        "Our remedies put things right: apologies, actions with dates that we track to completion, and compensation where due.",
    ),
    Item(
        "annual_report",
        "Self-assessment, reporting and compliance",
        "We publish an annual complaints performance and service improvement report with this self-assessment.",
    ),
    Item(
        "governance",
        "Scrutiny and oversight",
        "A member of our governing body is responsible for complaints and sees this report and our response to it.",
    ),
    Item(
        "learning",
        "Continuous learning and improvement",
        "We use what complaints tell us to improve services, and tell residents what changed.",
    ),
)


class Compliance:
    MEETS = "meets"
    PARTLY = "partly"
    DOES_NOT = "does_not"
    choices = [
        (MEETS, "We meet this"),
        (PARTLY, "We partly meet this"),
        (DOES_NOT, "We do not meet this yet"),
    ]
    labels = dict(choices)


def answered_items(answers: dict) -> list[dict]:
    """Each item with its answer, in the Code's order, for the report pages."""
    rows = []
    for item in ITEMS:
        answer = answers.get(item.key, {})
        rows.append(
            {
                "item": item,
                "status": answer.get("status", ""),
                "status_label": Compliance.labels.get(answer.get("status", ""), "Not answered"),
                "evidence": answer.get("evidence", ""),
            }
        )
    return rows
