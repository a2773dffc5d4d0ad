"""The officers' case queue: every open case of every kind in one list, most urgent first.

Reads only (a selector module). Every view of the queue is one query over `Case` ordered by
`next_due_at` (the earliest running deadline, kept by portal.services.cases), filtered by columns
that partial indexes over open cases cover, and paged without counting: a page fetches one row
more than it shows to know whether there is a next page. The team leader's figures are
conditional aggregates in the database, a fixed handful of queries however many cases there are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.models import (
    Case,
    Deadline,
    DeadlineKind,
    Home,
    Neighbourhood,
    Officer,
    Resident,
)
from portal.selectors import in_patch
from portal.workdays import (
    LONDON,
    add_working_days,
    current_region,
    local_date,
    working_days_between,
)

PAGE_SIZE = 25
# Earliest deadline first, cases without one last; the order of the partial indexes on Case.
QUEUE_ORDER = (F("next_due_at").asc(nulls_last=True), "id")

# Views of the queue, offered as links; the value is the `view` GET parameter.
VIEW_ALL = "all"
VIEW_MINE = "mine"
VIEW_TEAM = "team"
VIEW_PATCH = "patch"
VIEW_UNASSIGNED = "unassigned"
VIEW_DUE_TODAY = "today"
VIEW_OVERDUE = "overdue"
VIEWS = [
    (VIEW_ALL, "All open cases"),
    (VIEW_MINE, "Mine"),
    (VIEW_TEAM, "My team"),
    (VIEW_PATCH, "My patch"),
    (VIEW_UNASSIGNED, "Unassigned"),
    (VIEW_DUE_TODAY, "Due today"),
    (VIEW_OVERDUE, "Overdue"),
]
VIEW_NAMES = dict(VIEWS)

# E-2026-000123, R-2026-45: a search that looks like a reference looks for that case only.
REFERENCE_PATTERN = re.compile(r"[A-Z]{1,2}-\d{4}-\d{1,8}", re.IGNORECASE)
# A full UK postcode, with or without its space.
POSTCODE_PATTERN = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}", re.IGNORECASE)


@dataclass(frozen=True)
class QueueFilters:
    """What the officer asked to see. Empty strings and None mean 'any'."""

    view: str = VIEW_ALL
    kind: str = ""
    status: str = ""
    neighbourhood_id: int | None = None
    channel: str = ""
    search: str = ""

    @property
    def is_filtered(self) -> bool:
        return bool(self.kind or self.status or self.neighbourhood_id or self.channel or self.search)


# Reads ---------------------------------------------------------------------------------------


def next_deadline_kind() -> Subquery:
    """The kind of a case's earliest running deadline, as a correlated subquery, so the page
    needs no query per row."""
    return Subquery(
        Deadline.objects.filter(case=OuterRef("pk"), met_at__isnull=True, stopped_at__isnull=True)
        .order_by("effective_due_at", "id")
        .values("kind")[:1]
    )


def open_cases() -> QuerySet[Case]:
    """Cases in an open status (received, in progress, on hold). services.cases.change_status
    sets closed_at exactly when a case leaves those, so `closed_at IS NULL` says it alone: it is
    the condition of the queue's partial indexes, and adding the status as well would make
    PostgreSQL think open cases many times rarer than they are (the two are correlated) and
    choose worse plans."""
    return Case.objects.filter(closed_at__isnull=True)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first moment of a London day and of the day after, as aware datetimes."""
    start = datetime.combine(day, time.min, tzinfo=LONDON)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)


def queue_cases(officer: Officer, filters: QueueFilters, *, now: datetime | None = None) -> QuerySet[Case]:
    """The open cases an officer asked to see, most urgent first (no deadline last)."""
    now = now or timezone.now()
    cases = _in_view(open_cases(), officer, filters.view, now)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.neighbourhood_id:
        cases = cases.filter(in_patch(filters.neighbourhood_id))
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    cases = _search(cases, filters.search)
    return cases.order_by(*QUEUE_ORDER)


def queue_page_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a page of the queue shows for each case: one query with the joins and the
    next deadline's kind."""
    return cases.select_related("resident", "home", "owner", "estate").annotate(next_deadline=next_deadline_kind())


def _in_view(cases: QuerySet[Case], officer: Officer, view: str, now: datetime) -> QuerySet[Case]:
    if view == VIEW_MINE:
        return cases.filter(owner=officer)
    if view == VIEW_TEAM:
        if officer.team_id is None:
            return cases.none()
        # The team's own cases and any case a member owns (owned cases may carry another team).
        members = Officer.objects.filter(team_id=officer.team_id).values("id")
        return cases.filter(Q(team_id=officer.team_id) | Q(owner_id__in=members))
    if view == VIEW_PATCH:
        if officer.patch_id is None:
            return cases.none()
        return cases.filter(in_patch(officer.patch_id))
    if view == VIEW_UNASSIGNED:
        return cases.filter(owner__isnull=True)
    if view == VIEW_DUE_TODAY:
        start, end = day_bounds(local_date(now))
        return cases.filter(next_due_at__gte=start, next_due_at__lt=end)
    if view == VIEW_OVERDUE:
        return cases.filter(next_due_at__lt=now)
    return cases


def _search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """A reference finds that case; a postcode the cases at it; other words find the cases of
    residents whose names start with them ('Olivia Oka') and of homes whose address holds
    them ('Station Road')."""
    text = " ".join(text.split())
    if not text:
        return cases
    if REFERENCE_PATTERN.fullmatch(text):
        # References are stored in capitals, so an exact match uses the unique index.
        return cases.filter(reference=text.upper())
    if POSTCODE_PATTERN.fullmatch(text):
        compact = text.replace(" ", "").upper()
        homes = Home.objects.filter(postcode__iexact=f"{compact[:-3]} {compact[-3:]}")
        return cases.filter(home__in=homes.values("pk"))
    residents = Resident.objects.all()
    for word in text.split()[:4]:
        residents = residents.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    homes = Home.objects.filter(Q(address_line_1__icontains=text) | Q(address_line_2__icontains=text))
    # Subqueries over residents and homes, so PostgreSQL finds the few matching people and
    # homes first, then their cases by index, rather than testing every open case's joins.
    return cases.filter(Q(resident__in=residents.values("pk")) | Q(home__in=homes.values("pk")))


@dataclass
class QueuePage:
    """A page of the queue without a count of the whole list."""

    cases: list
    number: int
    page_size: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.page_size + 1 if self.cases else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.page_size + len(self.cases)


def queue_page(cases: QuerySet[Case], number: int, *, page_size: int = PAGE_SIZE) -> QueuePage:
    """One page, in one query: fetches page_size + 1 rows to know if another page follows,
    never COUNT(*). The page's ids are chosen first in a subquery that reads only the case
    table's indexes; the joins and the next-deadline subquery then run for those rows alone,
    not for every row skipped on the way to page 40."""
    number = max(number, 1)
    rows = list(page_query(cases, number, page_size=page_size))
    return QueuePage(cases=rows[:page_size], number=number, page_size=page_size, has_next=len(rows) > page_size)


def page_query(cases: QuerySet[Case], number: int, *, page_size: int = PAGE_SIZE) -> QuerySet[Case]:
    """The query of one page (page_size + 1 rows), as queue_page runs it."""
    offset = (max(number, 1) - 1) * page_size
    page_ids = cases.values("pk")[offset : offset + page_size + 1]
    return queue_page_cases(Case.objects.filter(pk__in=page_ids)).order_by(*QUEUE_ORDER)


def csv_rows(cases: QuerySet[Case]):
    """The queue as tuples for the CSV export, streamed in chunks from the database."""
    return (
        cases.annotate(next_deadline=next_deadline_kind())
        .values_list(
            "reference",
            "kind",
            "status",
            "resident__first_name",
            "resident__last_name",
            "home__address_line_1",
            "home__address_line_2",
            "home__town",
            "home__postcode",
            "owner__name",
            "next_deadline",
            "next_due_at",
            "channel",
            "opened_at",
        )
        .iterator(chunk_size=2000)
    )


def neighbourhoods():
    return Neighbourhood.objects.order_by("name")


def assignable_officers() -> list[tuple[int, str]]:
    """(id, 'name (team)') for everyone a case can be assigned to: plain tuples, as the queue
    draws a list of every officer on each page."""
    return [
        (pk, f"{name} ({team})" if team else name)
        for pk, name, team in Officer.objects.filter(is_active=True, user__is_active=True)
        .order_by("name", "id")
        .values_list("id", "name", "team__name")
    ]


# When it is due, in words ---------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """When something is due, for a person: words, and a tag whose text says what its colour
    says (colour is never the only signal)."""

    words: str
    tag: str = ""
    tag_class: str = ""


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _clock(moment: datetime) -> str:
    """5pm, 9:30am, midday; 'end of the day' for the 23:59 of a working-day deadline."""
    if moment.hour == 23 and moment.minute == 59:
        return "end of the day"
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return _plural(minutes, "minute")
    return _plural(minutes // 60, "hour")


@lru_cache(maxsize=4096)
def _working_days_between(a: date, b: date, region: str) -> int:
    # Rows of a page share a handful of due days; counting each pair once keeps the page quick.
    return working_days_between(a, b, region)


def describe_due(due: datetime | None, *, now: datetime | None = None, region: str | None = None) -> Due:
    """'due in 3 hours', 'due today by 5pm', 'due tomorrow by end of the day', 'due in 4 working
    days', '2 working days overdue' (working days counted by portal.workdays)."""
    if due is None:
        return Due("no deadline")
    now = now or timezone.now()
    region = region or current_region()
    due_local, now_local = due.astimezone(LONDON), now.astimezone(LONDON)
    today, due_day = now_local.date(), due_local.date()
    overdue = Due("", "Overdue", "govuk-tag--red")
    if due <= now:
        late = _working_days_between(due_day, today, region)
        if late >= 1:
            return Due(f"{_plural(late, 'working day')} overdue", overdue.tag, overdue.tag_class)
        if due_day == today:
            return Due(f"{_duration(now - due)} overdue", overdue.tag, overdue.tag_class)
        # Due on a Friday, looked at on the Saturday: no working day has passed yet.
        return Due(f"overdue since {due_day:%A}", overdue.tag, overdue.tag_class)
    if due_day == today:
        if due - now <= timedelta(hours=3) and _clock(due_local) != "end of the day":
            return Due(f"due in {_duration(due - now)}", "Due today", "govuk-tag--orange")
        return Due(f"due today by {_clock(due_local)}", "Due today", "govuk-tag--orange")
    next_working_day = add_working_days(today, 1, region)
    soon = ("Due soon", "govuk-tag--yellow") if due_day <= next_working_day else ("", "")
    if due_day == today + timedelta(days=1):
        return Due(f"due tomorrow by {_clock(due_local)}", *soon)
    days = _working_days_between(today, due_day, region)
    if due_day <= next_working_day or days <= 1:
        return Due(f"due {due_day:%A} by {_clock(due_local)}", *soon)
    return Due(f"due in {_plural(days, 'working day')}", *soon)


# The team leader's view -----------------------------------------------------------------------


def month_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day.replace(day=1), time.min, tzinfo=LONDON)
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start, datetime.combine(following, time.min, tzinfo=LONDON)


def officers_overseen(officer: Officer) -> QuerySet[Officer]:
    """Managers see every officer; a team leader the members of the teams they lead or are in."""
    officers = Officer.objects.filter(is_active=True).select_related("team", "patch")
    if not officer.is_manager:
        teams = Q(team__leader=officer)
        if officer.team_id:
            teams |= Q(team_id=officer.team_id)
        officers = officers.filter(teams)
    return officers.order_by("name", "id")


def _workload(now: datetime) -> dict:
    start, end = day_bounds(local_date(now))
    return {
        "open_cases": Count("id"),
        "due_today": Count("id", filter=Q(next_due_at__gte=start, next_due_at__lt=end)),
        "overdue": Count("id", filter=Q(next_due_at__lt=now)),
    }


def _callbacks(now: datetime) -> dict:
    """Call-backs due this calendar month: kept within one working day (met by the original due
    time), out of those kept or already past due. A call-back stopped before it fell due (the
    case closed another way) is left out; one stopped after it fell due, unmet, was missed."""
    missed = Q(met_at__isnull=True, due_at__lt=now) & (Q(stopped_at__isnull=True) | Q(stopped_at__gt=F("due_at")))
    return {
        "callbacks_on_time": Count("id", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
        "callbacks_counted": Count("id", filter=Q(met_at__isnull=False) | missed),
    }


def _callbacks_this_month(now: datetime) -> QuerySet[Deadline]:
    start, end = month_bounds(local_date(now))
    return Deadline.objects.filter(kind=DeadlineKind.CALLBACK, due_at__gte=start, due_at__lt=end)


@dataclass
class WorkloadRow:
    label: str
    open_cases: int = 0
    due_today: int = 0
    overdue: int = 0
    callbacks_on_time: int = 0
    callbacks_counted: int = 0
    officer: Officer | None = None
    neighbourhood: Neighbourhood | None = None

    @property
    def callback_percentage(self) -> float | None:
        if not self.callbacks_counted:
            return None
        return 100 * self.callbacks_on_time / self.callbacks_counted


def _fill(rows: dict, aggregates, key: str) -> None:
    """Copy aggregate rows (one per officer or patch) onto the table rows they belong to."""
    for aggregate in aggregates:
        row = rows.get(aggregate.pop(key))
        if row is not None:
            for name, value in aggregate.items():
                setattr(row, name, value)


def team_workload(officer: Officer, *, now: datetime | None = None) -> dict:
    """Per officer and per patch: open cases, due today, overdue, and call-backs kept within a
    working day this month. Five queries whatever the number of officers, patches or cases."""
    now = now or timezone.now()
    officers = list(officers_overseen(officer))
    officer_rows = {o.pk: WorkloadRow(label=o.name, officer=o) for o in officers}
    if officer.is_manager:
        patches = list(neighbourhoods())
    else:
        patches = sorted({o.patch for o in officers if o.patch_id}, key=lambda patch: patch.name)
    patch_rows = {p.pk: WorkloadRow(label=p.name, neighbourhood=p) for p in patches}

    _fill(
        officer_rows,
        open_cases().filter(owner_id__in=officer_rows).values("owner_id").annotate(**_workload(now)),
        "owner_id",
    )
    # A case's patch is its home's or, for a case about a place with no home (a communal repair
    # found on an inspection), its estate's: the same cases the "My patch" view shows.
    _fill(
        patch_rows,
        open_cases()
        .filter(Q(home__neighbourhood_id__in=patch_rows) | Q(estate__neighbourhood_id__in=patch_rows))
        .values(patch=Coalesce("home__neighbourhood_id", "estate__neighbourhood_id"))
        .annotate(**_workload(now)),
        "patch",
    )
    # Call-backs counted once, by owner and patch together (reading this month's call-backs
    # and their cases is most of this page's work), then added up per officer and per patch.
    callbacks = (
        _callbacks_this_month(now)
        .filter(Q(case__owner_id__in=officer_rows) | Q(case__home__neighbourhood_id__in=patch_rows))
        .values("case__owner_id", "case__home__neighbourhood_id")
        .annotate(**_callbacks(now))
    )
    for group in callbacks:
        for row in (officer_rows.get(group["case__owner_id"]), patch_rows.get(group["case__home__neighbourhood_id"])):
            if row is not None:
                row.callbacks_on_time += group["callbacks_on_time"]
                row.callbacks_counted += group["callbacks_counted"]
    unassigned = open_cases().filter(owner__isnull=True)
    if not officer.is_manager:
        unassigned = unassigned.filter(Q(team__leader=officer) | Q(team_id=officer.team_id or 0))
    unassigned_row = WorkloadRow(label="Not assigned to anyone", **unassigned.aggregate(**_workload(now)))
    return {
        "officers": list(officer_rows.values()),
        "unassigned": unassigned_row,
        "patches": list(patch_rows.values()),
        "month_start": month_bounds(local_date(now))[0],
    }
