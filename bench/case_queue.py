"""Benchmark the officers' case queue and the reminder sweep for a large landlord.

It builds 150,000 homes (one resident each), 77 staff and 1,000,000 cases over five years (most
closed, about 6% open, each with its deadline: call-backs, repair targets, complaint responses...),
then prints:
  - the server time of the first page of /staff/queue/ for a housing officer through Django's
    test Client (median of several runs after a warm-up), for each view of the queue, with the
    number of SQL queries, beside the query count of the same page over a 10-case database;
  - the EXPLAIN (ANALYZE) plan of the first page's query;
  - the time of the reminder sweep (portal.services.reminders.sweep_deadline_reminders) over
    about 1,000,000 running deadlines, of which a few thousand have a reminder falling due.
Targets: first page under 150 ms, sweep under 5 seconds.

It needs PostgreSQL, and a database of its own whose name ends in "_bench": the script drops it,
creates it and migrates it at the start of every run. Run from the project folder:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/doorstep_bench .venv/bin/python bench/case_queue.py

Without DATABASE_URL it uses that same address (so `make bench` runs it as it is). Options:
--cases, --homes, --sweep-deadlines, --runs (timed requests per page). Set REDIS_URL to queue the
reminder emails on Redis, as in production; without it they go to Celery's file-system broker in
a temporary folder. Generating the data takes two to three minutes, the whole run about five.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Python puts this script's folder first on the path, where this file would hide the standard
# library's `queue` module (psycopg and Celery need it): take the folder off, put the project on.
PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != PROJECT_DIR / "bench"]
sys.path.insert(0, str(PROJECT_DIR))

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from bisect import bisect  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from functools import lru_cache  # noqa: E402
from itertools import accumulate  # noqa: E402
from types import SimpleNamespace  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/doorstep_bench"
NEIGHBOURHOODS = 60
ESTATES = 600
TEAM_SIZE = 6
DUE_NOW_TARGET = 3_000  # deadlines whose reminder falls due in the sweep
SWEEP_DEADLINES = 1_000_000  # running deadlines for the sweep
LONDON = ZoneInfo("Europe/London")

STREETS = ["Church", "Station", "Victoria", "Park", "Mill", "Queen", "King", "Manor", "Grove", "Elm"]
ROADS = ["Road", "Street", "Lane", "Avenue", "Close", "Way"]
FIRST_NAMES = ["Olivia", "Amelia", "Isla", "Aisha", "Fatima", "Zofia", "Oliver", "George", "Kwame", "Arjun"]
LAST_NAMES = ["Smith", "Jones", "Taylor", "Patel", "Khan", "Okafor", "Nowak", "Ahmed", "Hughes", "Green"]
# kind of case: (share of cases, share of them still open, deadline kind, working days to it).
# Enquiries close within days, repairs and complaints take weeks: about 6% of cases are open.
KINDS = {
    "enquiry": (0.45, 0.015, "callback", 1),
    "repair": (0.40, 0.10, "repair_target", 20),
    "complaint": (0.08, 0.12, "complaint_response", 10),
    "safety_concern": (0.04, 0.08, "safety_action", 5),
    "hazard": (0.02, 0.15, "hazard_investigation", 10),
    "asb": (0.01, 0.20, "contact", 5),
}
PREFIXES = {"enquiry": "E", "repair": "R", "complaint": "C", "safety_concern": "S", "hazard": "H", "asb": "A"}
CHANNELS = ["web"] * 4 + ["phone"] * 4 + ["email", "text", "walk_in", "letter"]


def set_up_django(temp_dir: Path) -> None:
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not url.startswith("postgres"):
        sys.exit("The queue benchmark runs on PostgreSQL: set DATABASE_URL=postgres://.../doorstep_bench")
    name = url.rsplit("/", 1)[-1].split("?")[0]
    if not name.endswith("_bench"):
        sys.exit(f"DATABASE_URL names the database {name!r}: the benchmark only runs on one whose name ends in _bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["VAR_DIR"] = str(temp_dir / "var")
    os.environ["STAFF_REQUIRE_MFA"] = "false"
    _create_database(url, name)  # dropped first if it exists
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # No collected static files here, and sign-in should not cost a slow password hash.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)


def _create_database(url: str, name: str) -> None:
    """A new, empty database for every run: a run stopped half way (the bulk load drops and
    rebuilds indexes) must not leave the next one measuring a damaged schema."""
    import psycopg

    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def empty_tables() -> None:
    from django.apps import apps
    from django.db import connection

    tables = [model._meta.db_table for model in apps.get_app_config("portal").get_models()]
    tables += [m2m.remote_field.through._meta.db_table for model in apps.get_app_config("portal").get_models()
               for m2m in model._meta.local_many_to_many]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(sorted(set(tables)))} RESTART IDENTITY CASCADE")


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY rows into a model's table: far faster than INSERT for a million rows."""
    from django.db import connection

    count = 0
    connection.ensure_connection()
    with connection.cursor() as cursor:
        columns_sql = ", ".join(f'"{column}"' for column in columns)
        with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns_sql}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


@contextmanager
def indexes_dropped(model):
    """Drop a table's plain indexes (not its primary key or unique constraints) for a bulk load
    and build them again after: one sort per index instead of a million index insertions."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(i.oid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)


def reset_sequence(model) -> None:
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))")


# The landlord --------------------------------------------------------------------------------


def make_staff(neighbourhoods) -> dict:
    """Per neighbourhood a housing officer, in teams of six, each team with a leader; two
    managers and five contact centre staff."""
    from django.contrib.auth.hashers import make_password

    from portal.models import Officer, OfficerRole, Team, User

    password = make_password("bench-password-not-secret")
    teams = Team.objects.bulk_create(Team(name=f"Housing team {n + 1}") for n in range(len(neighbourhoods) // TEAM_SIZE))
    people = []
    for number, patch in enumerate(neighbourhoods):
        people.append(("officer", f"Officer {number + 1}", teams[number // TEAM_SIZE], patch))
    people += [("team_leader", f"Team leader {n + 1}", team, None) for n, team in enumerate(teams)]
    people += [("manager", f"Manager {n + 1}", None, None) for n in range(2)]
    people += [("contact_centre", f"Contact centre {n + 1}", None, None) for n in range(5)]
    users = User.objects.bulk_create(
        User(email=f"staff{n}@bench.example.org", password=password) for n in range(len(people))
    )
    officers = Officer.objects.bulk_create(
        Officer(user=user, name=name, role=role, team=team, patch=patch)
        for user, (role, name, team, patch) in zip(users, people, strict=True)
    )
    leaders = [o for o in officers if o.role == OfficerRole.TEAM_LEADER]
    for team, leader in zip(teams, leaders, strict=True):
        team.leader = leader
    Team.objects.bulk_update(teams, ["leader"])
    return {
        "patch_officers": {o.patch_id: o for o in officers if o.role == OfficerRole.OFFICER},
        "officer": next(o for o in officers if o.role == OfficerRole.OFFICER),
    }


def postcode(random_: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    area = random_.choice(["MK", "SE", "M", "WN", "B", "LS"])
    return f"{area}{random_.randint(1, 19)} {random_.randint(0, 9)}{random_.choice(letters)}{random_.choice(letters)}"


def make_homes(count: int, random_: random.Random):
    from portal.models import Estate, Home, Neighbourhood, Resident

    neighbourhoods = Neighbourhood.objects.bulk_create(
        Neighbourhood(name=f"Neighbourhood {n + 1:02d}") for n in range(NEIGHBOURHOODS)
    )
    estates = Estate.objects.bulk_create(
        Estate(neighbourhood=neighbourhoods[n % NEIGHBOURHOODS], name=f"{STREETS[n % len(STREETS)]} Estate {n}")
        for n in range(ESTATES)
    )
    with indexes_dropped(Home), indexes_dropped(Resident):
        _copy_homes_and_residents(count, random_, estates)
    reset_sequence(Home)
    reset_sequence(Resident)
    return neighbourhoods, [estate.neighbourhood_id for estate in estates]


def _copy_homes_and_residents(count: int, random_: random.Random, estates) -> None:
    from portal.models import Home, Resident

    copy_rows(
        Home,
        ["id", "uprn", "address_line_1", "address_line_2", "address_line_3", "town", "postcode",
         "neighbourhood_id", "estate_id", "block_id", "tenure", "bedrooms", "has_communal_areas"],
        (
            [n + 1, str(100_000_000_000 + n), f"{n % 300 + 1} {STREETS[n % 10]} {ROADS[n % 6]}", "", "",
             "Millbrook", postcode(random_), estates[n % ESTATES].neighbourhood_id, estates[n % ESTATES].pk,
             None, "LCRA", random_.randint(1, 4), False]
            for n in range(count)
        ),
    )
    now = datetime.now().astimezone()
    copy_rows(
        Resident,
        ["id", "first_name", "last_name", "email", "phone", "preferred_channel", "preferred_language",
         "accessibility_needs", "needs_large_print", "needs_easy_read", "needs_interpreter", "created_at", "updated_at"],
        (
            [n + 1, random_.choice(FIRST_NAMES), random_.choice(LAST_NAMES), f"resident{n}@bench.example.org",
             "", "email", "English", "", False, False, False, now, now]
            for n in range(count)
        ),
    )


# Cases and their deadlines --------------------------------------------------------------------


@lru_cache(maxsize=100_000)
def working_deadline(opened: date, days: int):
    from portal.workdays import deadline_after, end_of_day

    return deadline_after(end_of_day(opened), days, "ENG")


@lru_cache(maxsize=100_000)
def stage_times_for(kind: str, due: datetime):
    """The reminder stages of a deadline, cached: deadlines of a kind due at the same moment share
    them (only the 'before it was set' rule differs, applied per deadline)."""
    from portal.services.reminders import stage_times

    ever = datetime(1970, 1, 1).astimezone()
    # The region is given: looking it up may read the Landlord row, which cannot be done while
    # the connection is busy with a COPY.
    return stage_times(SimpleNamespace(kind=kind, effective_due_at=due, created_at=ever), region="ENG")


def reminder_times(kind: str, due: datetime, created: datetime, now: datetime):
    """(the latest reminder stage already passed or None, the next one to come or None) for a
    running deadline."""
    latest, upcoming = None, None
    for stage, at in stage_times_for(kind, due):
        if stage != "overdue" and at <= created:
            continue  # no reminder for a stage before the deadline was set
        if at <= now:
            latest = at
        elif upcoming is None:
            upcoming = at
    return latest, upcoming


def make_cases(count: int, homes: int, staff: dict, estate_patch: list[int], random_: random.Random, now: datetime):
    """Write the cases and one deadline each with COPY. Returns the ids of the open cases.

    Plain arithmetic on random() rather than randint() and choices(): a million rows of them
    is most of the generator's time."""
    from portal.models import Case, Deadline, ReferenceSequence

    rand = random_.random
    kinds = list(KINDS)
    cumulative = list(accumulate(KINDS[kind][0] for kind in kinds))
    numbers: dict[tuple[str, int], int] = {}
    open_ids: list[int] = []
    deadlines: list[list] = []
    waiting: list[tuple[int, datetime]] = []  # (index in deadlines, latest stage passed)
    now_ts = now.timestamp()
    week, five_years, day = 7 * 86400, 5 * 365 * 86400, 86400
    patch_officers = staff["patch_officers"]
    owners = {patch: (officer.pk, officer.team_id) for patch, officer in patch_officers.items()}
    open_statuses = ["open"] * 4 + ["in_progress"] * 5 + ["on_hold"]
    closed_statuses = ["resolved", "resolved", "resolved", "closed"]

    def rows():
        for case_id in range(1, count + 1):
            kind = kinds[bisect(cumulative, rand() * cumulative[-1])]
            _, open_share, deadline_kind, days = KINDS[kind]
            home = int(rand() * homes) + 1
            is_open = rand() < open_share
            if is_open:
                # Open cases are recent: a call-back from the last two days, a repair from the last six weeks.
                opened = datetime.fromtimestamp(now_ts - 60 - rand() * (2 if days == 1 else 42) * day, LONDON)
            else:
                opened = datetime.fromtimestamp(now_ts - week - rand() * five_years, LONDON)
            due = working_deadline(opened.date(), days)
            prefix, year = PREFIXES[kind], opened.year
            number = numbers[prefix, year] = numbers.get((prefix, year), 0) + 1
            owner_id, team_id = owners[estate_patch[(home - 1) % ESTATES]]
            if is_open:
                open_ids.append(case_id)
                status, closed = open_statuses[int(rand() * 10)], None
                if rand() >= 0.85:
                    owner_id = None
                stages = reminder_times(deadline_kind, due, opened, now)
                if stages[0] is not None:
                    waiting.append((len(deadlines), stages[0]))
                deadlines.append([case_id, deadline_kind, due, None, "", None, None, stages[1], opened])
            else:
                status = closed_statuses[int(rand() * 4)]
                met = min(opened + (due - opened) * (0.1 + 1.1 * rand()), now)
                closed = min(met + timedelta(hours=1 + 200 * rand()), now)
                deadlines.append([case_id, deadline_kind, due, None, "", met, None, None, opened])
            yield [
                case_id, f"{prefix}-{year}-{number:06d}", kind, "Bench case", home, home, status, owner_id, team_id,
                CHANNELS[int(rand() * len(CHANNELS))], opened, closed, None if closed else due, opened,
            ]

    with indexes_dropped(Case):
        copy_rows(
            Case,
            ["id", "reference", "kind", "summary", "resident_id", "home_id", "status", "owner_id", "team_id",
             "channel", "opened_at", "closed_at", "next_due_at", "updated_at"],
            rows(),
        )
    reset_sequence(Case)
    # Most reminders already went; a few thousand deadlines have one waiting for the sweep.
    for position, latest_passed in random_.sample(waiting, min(DUE_NOW_TARGET, len(waiting))):
        deadlines[position][7] = latest_passed
    with indexes_dropped(Deadline):
        copy_rows(
            Deadline,
            ["case_id", "kind", "due_at", "extended_to", "extension_reason", "met_at", "stopped_at",
             "next_reminder_at", "created_at"],
            deadlines,
        )
    ReferenceSequence.objects.bulk_create(
        ReferenceSequence(prefix=prefix, year=year, last_number=number) for (prefix, year), number in numbers.items()
    )
    return open_ids


def add_sweep_deadlines(open_ids: list[int], total_running: int, random_: random.Random, now: datetime) -> int:
    """Pile running deadlines onto the open cases until about `total_running` are running: longer
    clocks (repairs, complaint responses, further works) due over the coming months, every past
    reminder already sent. Far more than a real landlord has open, to stress the sweep."""
    from portal.models import Deadline

    running = Deadline.objects.filter(met_at__isnull=True, stopped_at__isnull=True).count()
    extra = max(total_running - running, 0)
    kinds = ["repair_target", "complaint_response", "hazard_further_work", "safety_action"]

    rand = random_.random
    today = now.astimezone(LONDON).date()

    def rows():
        for _ in range(extra):
            kind = kinds[int(rand() * len(kinds))]
            created = now - timedelta(days=int(rand() * 30))
            due = working_deadline(today + timedelta(days=3 + int(rand() * 178)), 0)
            yield [open_ids[int(rand() * len(open_ids))], kind, due, None, "", None, None,
                   reminder_times(kind, due, created, now)[1], created]

    with indexes_dropped(Deadline):
        return copy_rows(
            Deadline,
            ["case_id", "kind", "due_at", "extended_to", "extension_reason", "met_at", "stopped_at",
             "next_reminder_at", "created_at"],
            rows(),
        )


def make_small_landlord() -> None:
    """Ten open cases, for the query count of the same page over a tiny database."""
    from portal.models import Case

    neighbourhoods, estate_patch = make_homes(10, random.Random(7))
    staff = make_staff(neighbourhoods)
    now = datetime.now().astimezone()
    make_cases(10, 10, staff, estate_patch, random.Random(8), now)
    Case.objects.update(status="open", closed_at=None)


# Measuring ------------------------------------------------------------------------------------


def page_timings(client, url: str, runs: int) -> tuple[float, int, int]:
    """Median server time in milliseconds of `runs` requests after a warm-up, the query count,
    the status code, and the median CPU time of this process (Python's share of the server time:
    on a busy machine the wall-clock time also counts waiting for a CPU)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates compiled, connection open, caches filled
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries)  # now: the next request empties the connection's query log
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(timings), query_count, response.status_code, statistics.median(cpu)


def signed_in_client(officer):
    from django.test import Client

    client = Client()
    client.force_login(officer.user)
    return client


QUEUE_URLS = [
    ("All open cases (first page)", "/staff/queue/"),
    ("Mine", "/staff/queue/?view=mine"),
    ("My team", "/staff/queue/?view=team"),
    ("My patch", "/staff/queue/?view=patch"),
    ("Unassigned", "/staff/queue/?view=unassigned"),
    ("Due today", "/staff/queue/?view=today"),
    ("Overdue", "/staff/queue/?view=overdue"),
    ("Kind: complaint", "/staff/queue/?kind=complaint"),
    ("Status: on hold", "/staff/queue/?status=on_hold"),
    ("Neighbourhood 7", "/staff/queue/?neighbourhood=7"),
    ("Channel: letter", "/staff/queue/?channel=letter"),
    ("Search: a reference", "/staff/queue/?q=r-2026-000100"),
    ("Search: a name", "/staff/queue/?q=Zofia+Nowak"),
    ("Search: a postcode", "/staff/queue/?q=mk93ab"),
    ("Page 40 of all open cases", "/staff/queue/?page=40"),
    ("Team leader view", "/staff/team/"),
]
LEADER_URLS = {"/staff/team/"}


def explain_first_page(officer) -> str:
    from portal import queue

    return queue.page_query(queue.queue_cases(officer, queue.QueueFilters()), 1).explain(analyze=True, buffers=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--homes", type=int, default=150_000)
    parser.add_argument("--sweep-deadlines", type=int, default=SWEEP_DEADLINES)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="doorstep-bench-") as temp:
        set_up_django(Path(temp))
        from django.db import connection

        from portal.models import Case, Deadline, Landlord, Officer
        from portal.services.reminders import sweep_deadline_reminders

        print(f"Database: PostgreSQL {connection.settings_dict['NAME']}", flush=True)

        # 1. Ten cases: the query count the big landlord must match.
        empty_tables()
        make_small_landlord()
        officer = Officer.objects.filter(role="officer").order_by("id").first()
        client = signed_in_client(officer)
        leader = Officer.objects.filter(role="team_leader").order_by("id").first()
        leader_client = signed_in_client(leader)
        small_counts = {
            label: page_timings(leader_client if url in LEADER_URLS else client, url, 1)[1] for label, url in QUEUE_URLS
        }

        # 2. The large landlord.
        empty_tables()
        Landlord.current()
        random_ = random.Random(2026)
        now = datetime.now().astimezone()
        started = time.perf_counter()
        neighbourhoods, estate_patch = make_homes(options.homes, random_)
        staff = make_staff(neighbourhoods)
        print(f"{'Homes and residents':<40} {options.homes:>10,} in {time.perf_counter() - started:6.1f} s", flush=True)
        started = time.perf_counter()
        open_ids = make_cases(options.cases, options.homes, staff, estate_patch, random_, now)
        print(f"{'Cases, one deadline each':<40} {options.cases:>10,} in {time.perf_counter() - started:6.1f} s", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"{'Open cases':<40} {len(open_ids):>10,}")

        # 3. The queue's pages.
        officer = staff["officer"]
        officer.refresh_from_db()
        client = signed_in_client(officer)
        leader_client = signed_in_client(Officer.objects.filter(role="team_leader").order_by("id").first())
        print(f"\nServer time per page for {officer.name} (median of {options.runs} after a warm-up):")
        print(f"  (load average {', '.join(f'{load:.1f}' for load in os.getloadavg())} on {os.cpu_count()} CPUs)")
        print(f"  {'page':<32} {'median ms':>10} {'CPU ms':>7} {'queries':>8} {'10 cases':>9}")
        for label, url in QUEUE_URLS:
            page_client = leader_client if url in LEADER_URLS else client
            median, queries, status, cpu = page_timings(page_client, url, options.runs)
            flag = "" if status == 200 else f"  HTTP {status}"
            same = "" if queries == small_counts.get(label) else "  <- differs"
            print(f"  {label:<32} {median:>10.1f} {cpu:>7.1f} {queries:>8} {small_counts.get(label, '-'):>9}{flag}{same}",
                  flush=True)
        print("\nEXPLAIN ANALYZE of the first page's query:")
        print("  " + explain_first_page(officer).replace("\n", "\n  "))

        # 4. The reminder sweep over about a million running deadlines.
        started = time.perf_counter()
        added = add_sweep_deadlines(open_ids, options.sweep_deadlines, random_, now)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE portal_deadline")
        running = Deadline.objects.filter(met_at__isnull=True, stopped_at__isnull=True).count()
        due = Deadline.objects.filter(next_reminder_at__lte=now, met_at__isnull=True, stopped_at__isnull=True).count()
        print(f"\n{'Running deadlines added':<40} {added:>10,} in {time.perf_counter() - started:6.1f} s")
        print(f"{'Running deadlines':<40} {running:>10,}")
        print(f"{'Of which a reminder is due':<40} {due:>10,}", flush=True)
        print(f"  (load average {', '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs)")
        started, cpu = time.perf_counter(), time.process_time()
        result = sweep_deadline_reminders(now=now)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{'Reminder sweep':<40} {seconds:>10.2f} s ({cpu:.2f} s CPU in this process): "
              f"{result.reminders:,} reminders, {result.notifications:,} messages queued")
        left = Deadline.objects.filter(next_reminder_at__lte=now, met_at__isnull=True, stopped_at__isnull=True).count()
        started = time.perf_counter()
        sweep_deadline_reminders(now=now)
        print(f"{'The same sweep again (nothing to send)':<40} {time.perf_counter() - started:>10.2f} s, {left} left due")
        print(f"\nOpen cases in the database: {Case.objects.filter(closed_at__isnull=True).count():,}")
        connection.close()


if __name__ == "__main__":
    main()
