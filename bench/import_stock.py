"""Benchmark the stock import for a large landlord: 150,000 homes, then 150,000 tenancies.

It writes the two CSV files into a temporary folder, runs `import_homes` and `import_tenancies`
through call_command (a first import, a re-import of the same file, and a re-import with a share of
the homes changed) and prints how long each took. The target is under a minute for each first import.

Run from the project folder:

    DJANGO_SETTINGS_MODULE=portal.settings .venv/bin/python bench/import_stock.py [--homes 150000]

The database is a throwaway one; the data in the one you work in is never touched:
- Without DATABASE_URL: a new SQLite file in a temporary folder (VAR_DIR is pointed there before
  Django starts), removed at the end.
- With DATABASE_URL (PostgreSQL): a new database named after the one in the URL plus
  "_import_stock" (doorstep_bench_import_stock below), created, migrated and dropped at the end by
  Django's test-database machinery. The user in the URL needs the right to create databases.

      DATABASE_URL=postgres://postgres@127.0.0.1:5432/doorstep_bench \\
          DJANGO_SETTINGS_MODULE=portal.settings .venv/bin/python bench/import_stock.py
"""

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# The project, not this folder, goes first on the path, so `portal` imports and no script here can
# hide a standard module.
sys.path[0] = str(PROJECT_DIR)

STREETS = "Church Station Victoria Park Mill Queen King Manor Grove Elm Oak Chapel Albert Windsor Orchard".split()
ROAD_KINDS = "Road Street Lane Avenue Close Way Crescent Drive".split()
TOWNS = ["Millbrook", "Eastleigh Vale", "Thornbury", "Ashford Green", "Kingsmead"]
FIRST_NAMES = (
    "Olivia Amelia Isla Ava Mia Grace Aisha Fatima Zofia Chloe "
    "Oliver George Noah Muhammad Jack Leo Harry Kwame Tomasz Arjun"
).split()
LAST_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Khan "
    "Robinson Wright Thompson Evans Walker Okafor Nowak Ahmed Hughes Green"
).split()
TENURES = ["LCRA"] * 7 + ["LCHO", "leasehold", "social_rent"]
HOME_HEADER = (
    "uprn address_line_1 address_line_2 address_line_3 town postcode neighbourhood estate block tenure bedrooms "
    "communal_areas"
).split()
RESIDENT_FIELDS = ["first_name", "last_name", "email", "phone", "date_of_birth"]
TENANCY_HEADER = ["tenancy_ref", "uprn", "start_date", "end_date"] + [
    f"resident_{number}_{field}" for number in (1, 2) for field in RESIDENT_FIELDS
]
FIRST_UPRN = 100_000_000_000


def postcode(random_: random.Random) -> str:
    area = random_.choice(["MK", "SE", "M", "WN", "B", "LS"])
    letters = "ABDEFGHJLNPQRSTUWXYZ"  # those an inward code uses
    return f"{area}{random_.randint(1, 19)} {random_.randint(0, 9)}{random_.choice(letters)}{random_.choice(letters)}"


def home_rows(count: int, *, seed: int = 1):
    random_ = random.Random(seed)
    for number in range(count):
        neighbourhood = f"Neighbourhood {number % 60 + 1}"
        estate_number = number % 600
        in_block = number % 5 < 3  # three in five are flats
        on_estate = in_block or number % 5 == 3
        street = f"{number % 300 + 1} {STREETS[number % len(STREETS)]} {ROAD_KINDS[number % len(ROAD_KINDS)]}"
        yield [
            str(FIRST_UPRN + number),
            f"Flat {number % 40 + 1}" if in_block else street,
            street if in_block else "",
            "",
            TOWNS[number % len(TOWNS)],
            postcode(random_),
            neighbourhood,
            f"{STREETS[estate_number % len(STREETS)]} Estate {estate_number}" if on_estate else "",
            f"Block {number % 7 + 1}" if in_block else "",
            random_.choice(TENURES),
            str(random_.randint(0, 5)),
            "yes" if in_block else "no",
        ]


def tenancy_rows(count: int, *, seed: int = 2):
    random_ = random.Random(seed)
    for number in range(count):
        start = date(1990, 1, 1) + timedelta(days=random_.randint(0, 12_000))
        ended = number % 20 == 0
        row = [f"T{number:08d}", str(FIRST_UPRN + number), start.isoformat(), ""]
        if ended:
            row[3] = (start + timedelta(days=random_.randint(30, 3000))).strftime("%d/%m/%Y")
        for resident in range(1 if number % 2 else 2):
            first, last = random_.choice(FIRST_NAMES), random_.choice(LAST_NAMES)
            born = date(1940, 1, 1) + timedelta(days=random_.randint(0, 22_000))
            row += [
                first,
                last,
                f"{first}.{last}{number}-{resident}@example.org".lower()
                if random_.random() < 0.7
                else "",
                f"07700 {random_.randint(0, 999_999):06d}" if random_.random() < 0.8 else "",
                born.isoformat(),
            ]
        yield row + [""] * (len(TENANCY_HEADER) - len(row))


def write_csv(path: Path, header: list[str], rows) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)


def with_changes(rows, share: float, *, seed: int = 3):
    """The same homes with a share of them given another number of bedrooms."""
    random_ = random.Random(seed)
    for row in rows:
        if random_.random() < share:
            row[10] = str((int(row[10]) + 1) % 6)
        yield row


def set_up_django(temp_dir: Path) -> None:
    """Start Django on a throwaway database: SQLite under temp_dir, or with DATABASE_URL a database
    of our own beside the named one, made and migrated by Django's test-database machinery."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    # The SQLite file, cache and broker folders go here.
    os.environ["VAR_DIR"] = str(temp_dir / "var")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        call_command("migrate", verbosity=0)
    else:
        connection.settings_dict["TEST"]["NAME"] = (
            f"{connection.settings_dict['NAME']}_import_stock"
        )
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def tear_down_django() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    connection.close()


def server_cpu_seconds() -> float | None:
    """CPU time of the PostgreSQL backend serving our connection, when it runs on this machine:
    on a busy machine wall time says little, CPU time still compares runs."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # a server on another machine
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def timed(label: str, command: str, path: Path) -> float:
    from django.core.management import call_command

    output = StringIO()
    server_started = server_cpu_seconds()
    started, cpu_started = time.perf_counter(), time.process_time()
    call_command(command, str(path), stdout=output)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    server_ended = server_cpu_seconds()
    server = f"{server_ended - server_started:6.1f} s" if server_started is not None else "     -  "
    summary = " ".join(output.getvalue().split())
    print(f"{label:<40} {seconds:6.1f} s {cpu_seconds:6.1f} s {server}   {summary}", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--homes", type=int, default=150_000, help="homes (and tenancies) to import"
    )
    parser.add_argument(
        "--changed-share", type=float, default=0.1, help="share of homes changed on re-import"
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="doorstep-bench-") as temp:
        temp_dir = Path(temp)
        set_up_django(temp_dir)
        try:
            run(temp_dir, options.homes, options.changed_share)
        finally:
            tear_down_django()


def run(temp_dir: Path, homes: int, changed_share: float) -> None:
    from django.db import connection

    print(
        f"Database: {connection.vendor} {connection.settings_dict['NAME']}; {os.cpu_count()} CPUs"
    )
    started = time.perf_counter()
    homes_csv, changed_csv, tenancies_csv = (
        temp_dir / name for name in ("homes.csv", "homes-changed.csv", "tenancies.csv")
    )
    write_csv(homes_csv, HOME_HEADER, home_rows(homes))
    write_csv(changed_csv, HOME_HEADER, with_changes(home_rows(homes), changed_share))
    write_csv(tenancies_csv, TENANCY_HEADER, tenancy_rows(homes))
    print(f"{'Wrote the CSV files':<40} {time.perf_counter() - started:6.1f} s")
    print(
        f"{'':<40} {'wall':>6}   {'CPU':>6}   {'server':>6}   (CPU of this process; of the PostgreSQL backend)"
    )
    timed(f"import_homes, {homes:,} new", "import_homes", homes_csv)
    timed("import_homes, same file again", "import_homes", homes_csv)
    timed(f"import_homes, {changed_share:.0%} of homes changed", "import_homes", changed_csv)
    timed(f"import_tenancies, {homes:,} new", "import_tenancies", tenancies_csv)
    timed("import_tenancies, same file again", "import_tenancies", tenancies_csv)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory: {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
