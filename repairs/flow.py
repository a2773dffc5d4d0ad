"""The report-a-repair answers, kept in the session between question pages.

The steps follow from the answers: a problem with emergency questions adds a page per question.
Changing an earlier answer forgets the later ones it no longer fits, so the check-your-answers
page never shows a combination the pages would not offer.
"""

from __future__ import annotations

import uuid

from repairs import catalogue

SESSION_KEY = "repairs:report"

WHERE, CATEGORY, PROBLEM, DESCRIPTION, PHOTOS, ACCESS, CHECK = (
    "where",
    "category",
    "problem",
    "description",
    "photos",
    "access",
    "check",
)


def question_step(code: str) -> str:
    return f"question:{code}"


class ReportFlow:
    def __init__(self, session):
        self.session = session
        self.data = session.get(SESSION_KEY) or {}

    # -- life of a report ---------------------------------------------------------------------------------

    @classmethod
    def start(cls, session, *, home_id: int, contact_phone: str = "") -> ReportFlow:
        flow = cls(session)
        flow.data = {
            "token": str(uuid.uuid4()),
            "home": home_id,
            "answers": {},
            "contact_phone": contact_phone,
        }
        flow.save()
        return flow

    @property
    def started(self) -> bool:
        return bool(self.data.get("token"))

    def save(self) -> None:
        self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)
        self.data = {}

    # -- answers -------------------------------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self.data.get("token", "")

    @property
    def home_id(self) -> int | None:
        return self.data.get("home")

    def get(self, key, default=""):
        return self.data.get(key, default)

    @property
    def answers(self) -> dict[str, bool]:
        return dict(self.data.get("answers") or {})

    @property
    def location(self) -> catalogue.Location | None:
        return catalogue.LOCATIONS_BY_CODE.get(self.data.get("where", ""))

    @property
    def category(self) -> catalogue.Category | None:
        category = catalogue.CATEGORIES_BY_CODE.get(self.data.get("category", ""))
        location = self.location
        if (
            category is None
            or location is None
            or category not in catalogue.categories_for(location)
        ):
            return None
        return category

    @property
    def problem(self) -> catalogue.Problem | None:
        location, category = self.location, self.category
        if location is None or category is None:
            return None
        return catalogue.problem_in_place(
            location_code=location.code,
            category_code=category.code,
            problem_code=self.data.get("problem", ""),
        )

    def set_where(self, code: str) -> None:
        if code != self.data.get("where"):
            self.data["where"] = code
            if self.category is None:  # what they chose before does not fit this place
                self.data.pop("category", None)
                self.data.pop("problem", None)
                self.data["answers"] = {}
            elif self.problem is None:
                self.data.pop("problem", None)
                self.data["answers"] = {}
        self.save()

    def set_category(self, code: str) -> None:
        if code != self.data.get("category"):
            self.data["category"] = code
            self.data.pop("problem", None)
            self.data["answers"] = {}
        self.save()

    def set_problem(self, code: str) -> None:
        if code != self.data.get("problem"):
            self.data["problem"] = code
            self.data["answers"] = {}
        self.save()

    def set_answer(self, question: str, value: bool) -> None:
        answers = self.answers
        problem = self.problem
        # Later answers may no longer be asked (a new emergency stops the questions): drop them.
        if problem and question in problem.questions:
            keep = problem.questions[: problem.questions.index(question)]
            answers = {code: answers[code] for code in keep if code in answers}
        answers[question] = value
        self.data["answers"] = answers
        self.save()

    def set(self, **values) -> None:
        self.data.update(values)
        self.save()

    # -- where they are -------------------------------------------------------------------------------------

    def emergency(self) -> catalogue.Emergency | None:
        problem = self.problem
        if problem is None:
            return None
        return catalogue.recognise_emergency(
            problem, self.answers, self.data.get("description", "")
        )

    def steps(self) -> list[str]:
        steps = [WHERE, CATEGORY, PROBLEM]
        problem = self.problem
        if problem:
            answers = self.answers
            for code in problem.questions:
                steps.append(question_step(code))
                trigger = problem.emergency_if.get(code)
                if code not in answers or (trigger and answers[code] is trigger[0]):
                    break
        return [*steps, DESCRIPTION, PHOTOS, ACCESS, CHECK]

    def is_answered(self, step: str) -> bool:
        if step == WHERE:
            return self.location is not None
        if step == CATEGORY:
            return self.category is not None
        if step == PROBLEM:
            return self.problem is not None
        if step.startswith("question:"):
            return step.split(":", 1)[1] in self.answers
        if step == DESCRIPTION:
            return bool(self.data.get("description"))
        if step == PHOTOS:
            return bool(self.data.get("photos_seen"))
        if step == ACCESS:
            return bool(self.data.get("access_given"))
        return False

    def first_unanswered(self) -> str:
        for step in self.steps():
            if not self.is_answered(step):
                return step
        return CHECK

    def may_visit(self, step: str) -> bool:
        """A page can be shown once every page before it has an answer."""
        steps = self.steps()
        if step not in steps:
            return False
        return all(self.is_answered(earlier) for earlier in steps[: steps.index(step)])

    def previous(self, step: str) -> str | None:
        steps = self.steps()
        if step not in steps or steps.index(step) == 0:
            return None
        return steps[steps.index(step) - 1]

    def following(self, step: str) -> str:
        steps = self.steps()
        return steps[steps.index(step) + 1] if step in steps and step != CHECK else CHECK

    @property
    def complete(self) -> bool:
        return self.first_unanswered() == CHECK
