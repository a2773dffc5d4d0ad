"""What residents can report: the places, the tree of common problems, and the questions that
pick out an emergency. Kept as data here so the report pages, the services and the tests read
one source; each problem names its default priority by the code of a RepairPriority row.

An emergency is recognised from the answers, never left to the resident to judge: the problem
itself ("I can smell gas"), a yes or a no to one of its questions ("Is anyone at home under 5
or vulnerable?" for no heating), or words in the description that mean gas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HOME = "home"
COMMUNAL = "communal"
BOTH = "both"


@dataclass(frozen=True)
class Location:
    code: str
    label: str
    where: str  # HOME or COMMUNAL
    hint: str = ""


LOCATIONS = (
    Location("kitchen", "Kitchen", HOME),
    Location("bathroom", "Bathroom or toilet", HOME),
    Location("bedroom", "Bedroom", HOME),
    Location("living_room", "Living room", HOME),
    Location("hallway", "Hallway, stairs or landing inside your home", HOME),
    Location(
        "whole_home", "All over your home", HOME, "For example heating, hot water or electrics"
    ),
    Location("outside", "Outside your home", HOME, "Garden, shed, fences, paths or outside walls"),
    Location("communal_entrance", "Main entrance or door entry", COMMUNAL),
    Location("communal_stairs", "Shared stairs, landings or corridors", COMMUNAL),
    Location("communal_lift", "Lift", COMMUNAL),
    Location("communal_bins", "Bin store or rubbish chute", COMMUNAL),
    Location("communal_roof", "Roof or outside of the building", COMMUNAL),
    Location("communal_grounds", "Shared grounds, paths, parking or outside lights", COMMUNAL),
)
LOCATIONS_BY_CODE = {location.code: location for location in LOCATIONS}


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    hint: str = ""


QUESTIONS = {
    q.code: q
    for q in (
        Question(
            "smell_gas",
            "Can you smell gas?",
            "Gas smells like rotten eggs.",
        ),
        Question(
            "vulnerable",
            "Is there a child under 5, or someone who is older, disabled or unwell, in your home?",
            "We come within 24 hours when someone at risk from the cold has no heating or hot water.",
        ),
        Question(
            "near_electrics",
            "Is the water coming through near lights, light switches, sockets or other electrics?",
        ),
        Question(
            "can_stop_water",
            "Can you stop the water?",
            "For example by turning off a tap, or the stopcock where the water comes into your home.",
        ),
        Question("only_toilet", "Is this the only toilet in your home?"),
        Question("sewage_inside", "Is sewage coming into your home or the building?"),
    )
}


@dataclass(frozen=True)
class Emergency:
    code: str
    title: str
    what_to_do: tuple[str, ...]
    # Shown first and large: what to do this minute.
    urgent_action: str = ""


EMERGENCIES = {
    e.code: e
    for e in (
        Emergency(
            "gas",
            "If you can smell gas",
            (
                "Do not use light switches, electrical appliances, doorbells or anything else that could make a spark.",
                "Do not smoke, light matches or use a naked flame.",
                "Open doors and windows on your way out, if you can.",
                "Turn off the gas at the meter, if you can do it safely.",
                "Leave your home and tell your neighbours.",
                "Call the gas emergency number from outside.",
            ),
            urgent_action="Leave your home now and call the National Gas Emergency Service.",
        ),
        Emergency(
            "water_electrics",
            "Water is coming through near electrics",
            (
                "Do not touch light switches, sockets or anything electrical near the water.",
                "Turn the electricity off at the fuse box (consumer unit), if you can reach it without "
                "touching water.",
                "Turn the water off at the stopcock, if you can.",
                "Catch the water in a bucket and move your belongings away from it.",
                "If there is a fire, or sparks, leave your home and call 999.",
            ),
            urgent_action="Keep away from electrics near the water and turn the electricity off if it is safe.",
        ),
        Emergency(
            "no_heat_vulnerable",
            "No heating or hot water with someone at risk from the cold",
            (
                "Keep the person who is at risk in one warm room, with extra layers and blankets.",
                "Have warm drinks and at least one hot meal a day.",
                "Call us if they become unwell, or call NHS 111. In an emergency call 999.",
            ),
            urgent_action="Keep everyone warm. We will come within 24 hours.",
        ),
        Emergency(
            "uncontrolled_leak",
            "Water that will not stop",
            (
                "Turn the water off at the stopcock. It is usually under the kitchen sink.",
                "Do not touch electrics near the water. Turn the electricity off at the fuse box if it is safe.",
                "Catch the water in a bucket and move your belongings away from it.",
            ),
            urgent_action="Turn off the water at the stopcock now.",
        ),
        Emergency(
            "electrical_danger",
            "A dangerous electrical fault",
            (
                "Do not touch the socket, switch or anything plugged into it.",
                "Turn the electricity off at the fuse box (consumer unit), if it is safe.",
                "If there is smoke or fire, leave your home and call 999.",
            ),
            urgent_action="Do not touch it, and turn the electricity off at the fuse box if it is safe.",
        ),
        Emergency(
            "no_power",
            "No electricity at all",
            (
                "Check whether your neighbours have electricity. If they do not, it is a power cut: call 105, "
                "the national power cut number.",
                "Check your fuse box (consumer unit): a switch may have turned off.",
                "If you have a prepayment meter, check it has credit.",
            ),
            urgent_action="Check with your neighbours; if they have no power either, call 105.",
        ),
        Emergency(
            "not_secure",
            "Your home cannot be locked",
            (
                "Stay with your home if you can, or ask someone you trust to.",
                "Call 999 if you are in danger.",
            ),
            urgent_action="We will come within 24 hours to make your home secure.",
        ),
        Emergency(
            "only_toilet_blocked",
            "Your only toilet is blocked",
            (
                "Do not flush it again until it is cleared.",
                "Turn off the water to the cistern if it is overflowing.",
            ),
            urgent_action="Do not flush the toilet again. We will come within 24 hours.",
        ),
        Emergency(
            "sewage",
            "Sewage is coming in",
            (
                "Keep children and pets away from it.",
                "Do not use your toilets, sinks, bath or washing machine until it is cleared.",
                "Wash your hands well if you touch anything it has reached.",
            ),
            urgent_action="Keep everyone away from it and stop using water. We will come within 24 hours.",
        ),
        Emergency(
            "lift_trapped",
            "Someone is trapped in a lift",
            (
                "Tell the person in the lift to press the alarm button and stay calm.",
                "If anyone is hurt or unwell, call 999.",
                "Do not try to open the lift doors yourself.",
            ),
            urgent_action="Call 999 if anyone is hurt or unwell. We will send the lift engineers now.",
        ),
    )
}


@dataclass(frozen=True)
class Problem:
    code: str
    label: str
    priority: str  # the code of a RepairPriority
    questions: tuple[str, ...] = ()
    # question code -> (the answer that means an emergency, the emergency's code)
    emergency_if: dict[str, tuple[bool, str]] = field(default_factory=dict)
    always_emergency: str = ""
    hazard: bool = False  # damp and mould: opens the Awaab's Law clocks
    where: str = BOTH
    hint: str = ""


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    where: str
    problems: tuple[Problem, ...]
    hint: str = ""


_NO_HEAT = {"smell_gas": (True, "gas"), "vulnerable": (True, "no_heat_vulnerable")}

CATEGORIES = (
    Category(
        "leaks",
        "Leaks and water",
        BOTH,
        (
            Problem(
                "ceiling_leak",
                "Water coming through a ceiling",
                "urgent",
                questions=("near_electrics",),
                emergency_if={"near_electrics": (True, "water_electrics")},
            ),
            Problem(
                "pipe_leak",
                "Leaking pipe, tap or radiator",
                "urgent",
                questions=("can_stop_water",),
                emergency_if={"can_stop_water": (False, "uncontrolled_leak")},
            ),
            Problem("dripping_tap", "Dripping tap", "routine", where=HOME),
            Problem("overflow", "Overflow pipe dripping outside", "routine"),
        ),
    ),
    Category(
        "heating",
        "Heating, hot water and gas",
        HOME,
        (
            Problem("smell_gas", "I can smell gas", "emergency", always_emergency="gas"),
            Problem(
                "no_heating_or_hot_water",
                "No heating and no hot water",
                "urgent",
                questions=("smell_gas", "vulnerable"),
                emergency_if=_NO_HEAT,
            ),
            Problem(
                "no_heating",
                "No heating",
                "urgent",
                questions=("smell_gas", "vulnerable"),
                emergency_if=_NO_HEAT,
            ),
            Problem(
                "no_hot_water",
                "No hot water",
                "urgent",
                questions=("smell_gas", "vulnerable"),
                emergency_if=_NO_HEAT,
            ),
            Problem("radiator", "A radiator is not warming up", "routine"),
            Problem("boiler_pressure", "Boiler losing pressure or making a noise", "routine"),
        ),
    ),
    Category(
        "electrics",
        "Electrics, lighting and alarms",
        BOTH,
        (
            Problem(
                "no_power",
                "No electricity at all",
                "emergency",
                always_emergency="no_power",
                where=HOME,
            ),
            Problem(
                "sparking",
                "Sparks, a burning smell or a scorched socket or switch",
                "emergency",
                always_emergency="electrical_danger",
            ),
            Problem("socket", "Socket or switch not working", "routine"),
            Problem("light", "Light not working", "routine"),
            Problem(
                "smoke_alarm", "Smoke or carbon monoxide alarm not working or beeping", "urgent"
            ),
        ),
    ),
    Category(
        "doors_windows",
        "Doors, windows and locks",
        BOTH,
        (
            Problem(
                "cannot_secure",
                "Front door or a window will not lock, so my home is not secure",
                "emergency",
                always_emergency="not_secure",
                where=HOME,
            ),
            Problem("broken_glass", "Broken or cracked glass", "urgent"),
            Problem("door_sticking", "Door or window sticking or hard to open", "routine"),
            Problem("draught", "Draughts or a broken seal", "routine"),
        ),
    ),
    Category(
        "damp_mould",
        "Damp and mould",
        BOTH,
        (
            Problem("mould", "Black mould on walls, ceilings or windows", "routine", hazard=True),
            Problem("damp", "Damp patches, or walls wet to the touch", "routine", hazard=True),
            Problem("condensation", "A lot of condensation", "routine", hazard=True),
        ),
        hint="We investigate damp and mould within 10 working days.",
    ),
    Category(
        "drains",
        "Drains, toilets and sinks",
        BOTH,
        (
            Problem(
                "blocked_toilet",
                "Blocked toilet",
                "urgent",
                questions=("only_toilet",),
                emergency_if={"only_toilet": (True, "only_toilet_blocked")},
                where=HOME,
            ),
            Problem("blocked_sink", "Blocked sink, bath or shower", "routine", where=HOME),
            Problem(
                "blocked_drain",
                "Blocked drain, or sewage coming up outside",
                "urgent",
                questions=("sewage_inside",),
                emergency_if={"sewage_inside": (True, "sewage")},
            ),
        ),
    ),
    Category(
        "kitchen",
        "Kitchen",
        HOME,
        (
            Problem("cupboard", "Cupboard door or drawer broken", "routine"),
            Problem("worktop", "Worktop damaged", "routine"),
            Problem("kitchen_tap", "Kitchen tap or sink broken", "routine"),
            Problem("kitchen_extractor", "Extractor fan not working", "routine"),
        ),
    ),
    Category(
        "bathroom",
        "Bathroom",
        HOME,
        (
            Problem("toilet_flush", "Toilet will not flush, or the seat is broken", "routine"),
            Problem("shower", "Shower not working", "routine"),
            Problem("sealant", "Sealant round the bath or shower needs replacing", "routine"),
            Problem("bath_panel", "Bath panel loose or broken", "routine"),
            Problem("bathroom_extractor", "Extractor fan not working", "routine"),
        ),
    ),
    Category(
        "roof",
        "Roof, gutters and outside walls",
        BOTH,
        (
            Problem(
                "roof_leak",
                "Roof leaking into the building",
                "urgent",
                questions=("near_electrics",),
                emergency_if={"near_electrics": (True, "water_electrics")},
            ),
            Problem("roof_tiles", "Loose or missing roof tiles", "urgent"),
            Problem("gutter", "Blocked, broken or overflowing gutter", "routine"),
            Problem("wall_crack", "Cracks in outside walls", "routine"),
        ),
    ),
    Category(
        "lifts",
        "Lifts",
        COMMUNAL,
        (
            Problem(
                "lift_trapped",
                "Someone is trapped in the lift",
                "emergency",
                always_emergency="lift_trapped",
            ),
            Problem("lift_not_working", "Lift not working", "urgent"),
            Problem(
                "lift_fault",
                "Lift working but faulty, for example doors, buttons or lights",
                "routine",
            ),
        ),
    ),
    Category(
        "door_entry",
        "Door entry and shared doors",
        COMMUNAL,
        (
            Problem("entrance_insecure", "Main entrance door will not shut or lock", "urgent"),
            Problem("entry_phone", "Door entry phone or fob reader not working", "urgent"),
            Problem("shared_door", "Another shared door is broken", "routine"),
        ),
    ),
    Category(
        "communal",
        "Shared areas: lights, bins and paths",
        COMMUNAL,
        (
            Problem("communal_lights", "Lights out in a shared area", "urgent"),
            Problem("bin_store", "Bin store door or rubbish chute broken", "routine"),
            Problem("paths", "Damaged path, steps or handrail", "routine"),
        ),
    ),
    Category(
        "other",
        "Something else",
        BOTH,
        (
            Problem(
                "other",
                "Something not listed here",
                "routine",
                hint="You can describe it on the next page",
            ),
        ),
    ),
)
CATEGORIES_BY_CODE = {category.code: category for category in CATEGORIES}
PROBLEMS_BY_CODE = {
    problem.code: problem for category in CATEGORIES for problem in category.problems
}


def _fits(item_where: str, where: str) -> bool:
    return item_where == BOTH or item_where == where


def locations_for(*, may_report_inside: bool, has_communal_areas: bool) -> list[Location]:
    return [
        location
        for location in LOCATIONS
        if (location.where == HOME and may_report_inside)
        or (location.where == COMMUNAL and has_communal_areas)
    ]


def categories_for(location: Location) -> list[Category]:
    return [c for c in CATEGORIES if _fits(c.where, location.where) and problems_for(c, location)]


def problems_for(category: Category, location: Location) -> list[Problem]:
    return [p for p in category.problems if _fits(p.where, location.where)]


def problem_in_place(
    *, location_code: str, category_code: str, problem_code: str
) -> Problem | None:
    """The problem if that combination of answers is one the pages offer, else None."""
    location = LOCATIONS_BY_CODE.get(location_code)
    category = CATEGORIES_BY_CODE.get(category_code)
    if location is None or category is None or category not in categories_for(location):
        return None
    return next((p for p in problems_for(category, location) if p.code == problem_code), None)


# Words that mean gas, wherever a resident types them: "I can smell gas", "gas leak", "smells of gas".
_GAS_WORDS = re.compile(
    r"\b(smell\w*\s+(of\s+)?gas|gas\s+(leak\w*|smell\w*|escape)|leak\w*\s+gas)\b", re.IGNORECASE
)


def mentions_gas(text: str) -> bool:
    return bool(_GAS_WORDS.search(text or ""))


def recognise_emergency(
    problem: Problem, answers: dict[str, bool], description: str = ""
) -> Emergency | None:
    """The emergency the answers show, or None. Gas first: it is the one that means leave now."""
    found = []
    if problem.always_emergency:
        found.append(problem.always_emergency)
    for question, (trigger, emergency) in problem.emergency_if.items():
        if question in answers and answers[question] is trigger:
            found.append(emergency)
    if mentions_gas(description):
        found.append("gas")
    if not found:
        return None
    return EMERGENCIES["gas"] if "gas" in found else EMERGENCIES[found[0]]


def next_question(problem: Problem, answers: dict[str, bool]) -> Question | None:
    """The first of the problem's questions not yet answered. Questions stop at the first
    answer that shows an emergency: nobody should be answering forms with gas in the air."""
    for code in problem.questions:
        if code not in answers:
            return QUESTIONS[code]
        trigger = problem.emergency_if.get(code)
        if trigger and answers[code] is trigger[0]:
            return None
    return None
