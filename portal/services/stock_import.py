"""Onboarding a landlord's stock from CSV files: first the homes, then the tenancies and their residents.

A file is checked whole before anything is written. If any row is bad the file is rejected and every
problem is reported with the line it is on, so the landlord fixes the file once and tries again;
nothing is half imported. Writing is an upsert (homes by UPRN, tenancies by reference), so importing
the same file twice changes nothing. The columns are described in docs/stock-import.md.

Built for a large landlord (150,000 homes): rows are read streaming, existing rows are loaded in one
query each into dicts, and writes are bulk inserts (COPY on PostgreSQL for new tenancies and
residents) and bulk updates of the rows that changed.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from portal.models import Block, Estate, Home, Neighbourhood, Resident, Tenancy, Tenure

BATCH_SIZE = 1000  # SQLite caps it lower by itself (999 query parameters per statement)
READ_CHUNK_SIZE = 5000

HOME_COLUMNS = (
    "uprn",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "town",
    "postcode",
    "neighbourhood",
    "estate",
    "block",
    "tenure",
    "bedrooms",
    "communal_areas",
)
MAX_RESIDENTS = 4
RESIDENT_FIELDS = ("first_name", "last_name", "email", "phone", "date_of_birth")
TENANCY_COLUMNS = ("tenancy_ref", "uprn", "start_date", "end_date")
RESIDENT_COLUMNS = [
    {field: f"resident_{number}_{field}" for field in RESIDENT_FIELDS}
    for number in range(1, MAX_RESIDENTS + 1)
]
# How problems name a resident's values, made once rather than for each of 300,000 residents.
RESIDENT_LABELS = [
    {
        "first_name": f"resident {number}'s first name",
        "last_name": f"resident {number}'s last name",
        "email": f"resident {number}'s email address",
        "phone": f"resident {number}'s phone number",
        "date_of_birth": f"resident {number}'s date of birth",
    }
    for number in range(1, MAX_RESIDENTS + 1)
]

# The Home columns an import writes, in the order rows are compared with what is stored.
HOME_FIELDS = (
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "town",
    "postcode",
    "neighbourhood_id",
    "estate_id",
    "block_id",
    "tenure",
    "bedrooms",
    "has_communal_areas",
)
TENANCY_FIELDS = ("reference", "home_id", "start_date", "end_date")
# The Resident columns an import fills in for a new resident; the others take the model's defaults.
NEW_RESIDENT_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "phone")

TENURES = {
    "lcra": Tenure.SOCIAL_RENT,
    "social_rent": Tenure.SOCIAL_RENT,
    "lcho": Tenure.SHARED_OWNERSHIP,
    "shared_ownership": Tenure.SHARED_OWNERSHIP,
    "leasehold": Tenure.LEASEHOLD,
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}
MAX_BEDROOMS = 15

UPRN_PATTERN = re.compile(r"[0-9]{1,12}")
# What Excel makes of a long number in a column not formatted as text, e.g. 1.00023E+11.
EXCEL_SCIENTIFIC_PATTERN = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
# The shape of a UK postcode without its space: outward code (AA9A, A9, ...) then inward code (9AA).
POSTCODE_PATTERN = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA")
ISO_DATE_PATTERN = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
UK_DATE_PATTERN = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
PHONE_PATTERN = re.compile(r"\+?[0-9\s().-]+")
NOT_DIGITS_PATTERN = re.compile(r"[^0-9]")

ResidentKey = tuple[str, str, date | None]
PHONE_MAX_LENGTH = Resident._meta.get_field("phone").max_length
NAME_MAX_LENGTH = Resident._meta.get_field("first_name").max_length
EMAIL_MAX_LENGTH = Resident._meta.get_field("email").max_length


@dataclass(frozen=True)
class RowProblem:
    line: int  # the physical line in the file; the header is line 1
    message: str

    def __str__(self):
        return f"Line {self.line}: {self.message}"


class StockFileRejected(Exception):
    """The file has problems and nothing was written. `problems` lists every one, in line order."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = sorted(problems, key=lambda problem: problem.line)
        count = len(self.problems)
        super().__init__(f"{count} {'problem' if count == 1 else 'problems'} in the file")


@dataclass
class HomesImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    neighbourhoods_created: int = 0
    estates_created: int = 0
    blocks_created: int = 0

    def __str__(self):
        lines = [
            f"{_count(self.created, 'home')} created, {self.updated:,} updated, {self.unchanged:,} unchanged."
        ]
        if self.neighbourhoods_created or self.estates_created or self.blocks_created:
            lines.append(
                f"New places: {_count(self.neighbourhoods_created, 'neighbourhood')}, "
                f"{_count(self.estates_created, 'estate')}, {_count(self.blocks_created, 'block')}."
            )
        return "\n".join(lines)


@dataclass
class TenanciesImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    residents_created: int = 0
    residents_updated: int = 0
    residents_unchanged: int = 0

    def __str__(self):
        return (
            f"{_count(self.created, 'tenancy', 'tenancies')} created, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged.\n"
            f"{_count(self.residents_created, 'resident')} added, {self.residents_updated:,} updated, "
            f"{self.residents_unchanged:,} unchanged."
        )


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"


# Reading the file ------------------------------------------------------------------------------


@contextmanager
def _opened(csv_file: str | os.PathLike | BinaryIO):
    if isinstance(csv_file, str | os.PathLike):
        with open(csv_file, "rb") as opened:
            yield opened
    else:
        yield csv_file


def _decoded_lines(binary_lines: Iterable[bytes], problems: list[RowProblem]) -> Iterator[str]:
    """Decode line by line, so a line that is not UTF-8 is reported by its number and the rest of
    the file is still checked. utf-8-sig on the first line drops the byte order mark Excel writes."""
    for number, raw in enumerate(binary_lines, start=1):
        encoding = "utf-8-sig" if number == 1 else "utf-8"
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            problems.append(
                RowProblem(
                    number,
                    "this line is not UTF-8 text. Save the file as 'CSV UTF-8 (comma delimited)' and try again",
                )
            )
            yield raw.decode(encoding, errors="replace")


def _column_name(heading: str) -> str:
    return re.sub(r"[\s-]+", "_", heading.strip().lower())


def _check_header(
    header: list[str], *, required: Iterable[str], optional_groups: Iterable[tuple[str, ...]] = ()
) -> list[str]:
    """The header's column names, or StockFileRejected naming every missing, unknown or repeated one.
    Each optional group of columns comes whole or not at all."""
    columns = [_column_name(heading) for heading in header]
    required = list(required)
    known = set(required)
    for group in optional_groups:
        known.update(group)
        if any(column in columns for column in group):
            required.extend(group)
    messages = []
    missing = [column for column in required if column not in columns]
    if missing:
        messages.append(f"the header is missing {_plural('column', missing)} {_listed(missing)}")
    unknown = [column for column in columns if column and column not in known]
    unnamed = columns.count("")
    if unnamed:
        messages.append(
            f"the header has {unnamed} {'column' if unnamed == 1 else 'columns'} with no name: "
            "delete any empty columns, such as those after the last one"
        )
    if unknown:
        messages.append(
            f"the header has {_plural('column', unknown)} we do not know: {_listed(unknown)}. "
            "See docs/stock-import.md for the columns"
        )
    repeated = sorted({column for column in columns if column and columns.count(column) > 1})
    if repeated:
        messages.append(
            f"the header has {_plural('column', repeated)} more than once: {_listed(repeated)}"
        )
    if messages:
        raise StockFileRejected([RowProblem(1, message) for message in messages])
    return columns


def _plural(word: str, items: list) -> str:
    return word if len(items) == 1 else word + "s"


def _listed(items: Iterable[str]) -> str:
    return ", ".join(items)


def _csv_rows(
    csv_file,
    problems: list[RowProblem],
    *,
    required: Iterable[str],
    optional_groups: Iterable[tuple[str, ...]] = (),
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: stripped value}) for each row that is not blank. The line
    number is where the row starts: a quoted value may run over several physical lines."""
    with _opened(csv_file) as binary:
        reader = csv.reader(_decoded_lines(binary, problems))
        header = next(reader, None)
        if header is None or not any(heading.strip() for heading in header):
            raise StockFileRejected(
                [RowProblem(1, "the first line must be the header, naming the columns")]
            )
        columns = _check_header(header, required=required, optional_groups=optional_groups)
        row_end = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                # Usually a quote that is never closed, running to the end of the file.
                problems.append(
                    RowProblem(
                        row_end + 1, f"from this line on the file cannot be read as CSV: {error}"
                    )
                )
                break
            line, row_end = row_end + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue  # blank lines, and rows of empty cells Excel leaves at the end
            if len(values) != len(columns):
                problems.append(
                    RowProblem(
                        line,
                        f"this row has {len(values)} values but the header has {len(columns)} columns "
                        "(is there a stray comma, or a value with a comma that is not in quotes?)",
                    )
                )
                continue
            yield (
                line,
                {column: value.strip() for column, value in zip(columns, values, strict=True)},
            )


# Checking values -------------------------------------------------------------------------------


class _RowChecker:
    """Collects a row's problems, so one row can report several."""

    def __init__(self, line: int, problems: list[RowProblem]):
        self.line = line
        self.problems = problems
        self.ok = True

    def problem(self, message: str) -> None:
        self.ok = False
        self.problems.append(RowProblem(self.line, message))

    def required(self, value: str, label: str, *, max_length: int) -> str:
        value = " ".join(value.split())
        if not value:
            self.problem(f"{label} is missing")
        elif len(value) > max_length:
            self.problem(f"{label} is longer than {max_length} characters")
        return value

    def optional(self, value: str, label: str, *, max_length: int) -> str:
        value = " ".join(value.split())
        if len(value) > max_length:
            self.problem(f"{label} is longer than {max_length} characters")
        return value

    def uprn(self, value: str) -> str:
        if not value:
            self.problem("the UPRN is missing")
        elif EXCEL_SCIENTIFIC_PATTERN.fullmatch(value):
            self.problem(
                f'the UPRN "{value}" has been turned into a rounded number, probably by Excel. '
                "Format the uprn column as text and export the file again"
            )
        elif not UPRN_PATTERN.fullmatch(value):
            self.problem(f'the UPRN "{value}" is not a UPRN: it must be 1 to 12 digits')
        return value

    def postcode(self, value: str) -> str:
        compact = "".join(value.split()).upper()
        if not compact:
            self.problem("the postcode is missing")
            return ""
        if not POSTCODE_PATTERN.fullmatch(compact):
            self.problem(f'the postcode "{value}" is not a UK postcode')
            return value
        return f"{compact[:-3]} {compact[-3:]}"

    def tenure(self, value: str) -> str:
        if not value:
            self.problem("the tenure is missing")
            return ""
        tenure = TENURES.get(_column_name(value))
        if tenure is None:
            self.problem(
                f'the tenure "{value}" is not one we know: use LCRA (or social_rent), '
                "LCHO (or shared_ownership) or leasehold"
            )
        return tenure or ""

    def bedrooms(self, value: str) -> int:
        if not value:
            self.problem("the number of bedrooms is missing")
        elif not (value.isascii() and value.isdigit()) or int(value) > MAX_BEDROOMS:
            self.problem(
                f'the number of bedrooms "{value}" must be a whole number from 0 to {MAX_BEDROOMS}'
            )
        else:
            return int(value)
        return 0

    def yes_or_no(self, value: str, label: str) -> bool:
        if value.lower() in YES:
            return True
        if value.lower() not in NO:
            if value:
                self.problem(f'{label} "{value}" must be yes or no')
            else:
                self.problem(f"{label} is missing: it must be yes or no")
        return False

    def date(self, value: str, label: str, *, required: bool) -> date | None:
        if not value:
            if required:
                self.problem(f"{label} is missing")
            return None
        if match := ISO_DATE_PATTERN.fullmatch(value):
            year, month, day = map(int, match.groups())
        elif match := UK_DATE_PATTERN.fullmatch(value):
            day, month, year = map(int, match.groups())
        else:
            self.problem(f'{label} "{value}" is not a date: write it as YYYY-MM-DD or DD/MM/YYYY')
            return None
        try:
            return date(year, month, day)
        except ValueError:
            self.problem(f'{label} "{value}" is not a real date')
            return None

    def email(self, value: str, label: str) -> str:
        if value:
            try:
                validate_email(value)
            except ValidationError:
                self.problem(f'{label} "{value}" is not an email address')
            else:
                if len(value) > EMAIL_MAX_LENGTH:
                    self.problem(f"{label} is longer than {EMAIL_MAX_LENGTH} characters")
        return value

    def phone(self, value: str, label: str) -> str:
        """Keep digits, spaces and a leading +; brackets, dots and dashes become spaces."""
        if not value:
            return ""
        if not PHONE_PATTERN.fullmatch(value):
            self.problem(
                f'{label} "{value}" can only have digits, spaces, brackets, dashes and a leading +'
            )
            return value
        phone = ("+" if value.startswith("+") else "") + " ".join(
            NOT_DIGITS_PATTERN.sub(" ", value).split()
        )
        digits = len(NOT_DIGITS_PATTERN.sub("", phone))
        if not 7 <= digits <= 15:
            self.problem(f'{label} "{value}" must have between 7 and 15 digits')
        elif len(phone) > PHONE_MAX_LENGTH:
            self.problem(f'{label} "{value}" is too long')
        return phone


def _place_key(name: str) -> str:
    # Places match whatever their spacing and case, so "Northfield  estate" is "Northfield Estate".
    return " ".join(name.split()).casefold()


# Homes -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _HomeRow:
    uprn: str
    address_line_1: str
    address_line_2: str
    address_line_3: str
    town: str
    postcode: str
    neighbourhood: str
    estate: str
    block: str
    tenure: str
    bedrooms: int
    has_communal_areas: bool


def import_homes(*, csv_file: str | os.PathLike | BinaryIO) -> HomesImportSummary:
    """Create or update homes from a homes CSV (a path, or a file opened in binary mode), with their
    neighbourhoods, estates and blocks. Raises StockFileRejected, having written nothing, if any
    row is bad."""
    rows = _read_homes(csv_file)
    return _write_homes(rows)


def _read_homes(csv_file) -> list[_HomeRow]:
    problems: list[RowProblem] = []
    rows: list[_HomeRow] = []
    first_line_of_uprn: dict[str, int] = {}
    place_length = Neighbourhood._meta.get_field("name").max_length
    max_length = {field: Home._meta.get_field(field).max_length for field in HOME_FIELDS[:4]}
    for line, values in _csv_rows(csv_file, problems, required=HOME_COLUMNS):
        check = _RowChecker(line, problems)
        uprn = check.uprn(values["uprn"])
        if uprn in first_line_of_uprn:
            check.problem(
                f"UPRN {uprn} is also on line {first_line_of_uprn[uprn]}: a home can only be in the file once"
            )
        elif uprn:
            first_line_of_uprn[uprn] = line
        row = _HomeRow(
            uprn=uprn,
            address_line_1=check.required(
                values["address_line_1"],
                "the first line of the address",
                max_length=max_length["address_line_1"],
            ),
            address_line_2=check.optional(
                values["address_line_2"],
                "the second line of the address",
                max_length=max_length["address_line_2"],
            ),
            address_line_3=check.optional(
                values["address_line_3"],
                "the third line of the address",
                max_length=max_length["address_line_3"],
            ),
            town=check.required(values["town"], "the town", max_length=max_length["town"]),
            postcode=check.postcode(values["postcode"]),
            neighbourhood=check.required(
                values["neighbourhood"], "the neighbourhood", max_length=place_length
            ),
            estate=check.optional(values["estate"], "the estate", max_length=place_length),
            block=check.optional(values["block"], "the block", max_length=place_length),
            tenure=check.tenure(values["tenure"]),
            bedrooms=check.bedrooms(values["bedrooms"]),
            has_communal_areas=check.yes_or_no(values["communal_areas"], "communal_areas"),
        )
        if row.block and not row.estate:
            check.problem(f'the block "{row.block}" has no estate: a block must be on an estate')
        if check.ok:
            rows.append(row)
    if problems:
        raise StockFileRejected(problems)
    return rows


@transaction.atomic
def _write_homes(rows: list[_HomeRow]) -> HomesImportSummary:
    summary = HomesImportSummary()
    neighbourhood_ids = _neighbourhood_ids(rows, summary)
    estate_ids = _estate_ids(rows, neighbourhood_ids, summary)
    block_ids = _block_ids(rows, neighbourhood_ids, estate_ids, summary)

    stored = {
        uprn: (home_id, values)
        for uprn, home_id, *values in Home.objects.values_list("uprn", "id", *HOME_FIELDS).iterator(
            chunk_size=READ_CHUNK_SIZE
        )
    }
    new_homes = []
    changed_homes_by_fields = defaultdict(list)
    for row in rows:
        neighbourhood_id = neighbourhood_ids[_place_key(row.neighbourhood)]
        estate_id = estate_ids[(neighbourhood_id, _place_key(row.estate))] if row.estate else None
        block_id = block_ids[(estate_id, _place_key(row.block))] if row.block else None
        values = (
            row.address_line_1,
            row.address_line_2,
            row.address_line_3,
            row.town,
            row.postcode,
            neighbourhood_id,
            estate_id,
            block_id,
            row.tenure,
            row.bedrooms,
            row.has_communal_areas,
        )
        if row.uprn not in stored:
            new_homes.append(Home(uprn=row.uprn, **dict(zip(HOME_FIELDS, values, strict=True))))
            continue
        home_id, stored_values = stored[row.uprn]
        changed = tuple(
            field
            for field, old, new in zip(HOME_FIELDS, stored_values, values, strict=True)
            if old != new
        )
        if changed:
            # Grouped by what changed, so a file that corrects postcodes rewrites only postcodes.
            changed_homes_by_fields[changed].append(
                Home(id=home_id, **dict(zip(HOME_FIELDS, values, strict=True)))
            )
        else:
            summary.unchanged += 1

    Home.objects.bulk_create(new_homes, batch_size=BATCH_SIZE)
    summary.created = len(new_homes)
    for fields, homes in changed_homes_by_fields.items():
        Home.objects.bulk_update(homes, fields, batch_size=BATCH_SIZE)
        summary.updated += len(homes)
    return summary


def _neighbourhood_ids(rows: list[_HomeRow], summary: HomesImportSummary) -> dict[str, int]:
    ids = {_place_key(name): pk for pk, name in Neighbourhood.objects.values_list("id", "name")}
    wanted = {}
    for row in rows:
        # The first spelling wins.
        wanted.setdefault(_place_key(row.neighbourhood), row.neighbourhood)
    new = [Neighbourhood(name=name) for key, name in wanted.items() if key not in ids]
    Neighbourhood.objects.bulk_create(new, batch_size=BATCH_SIZE)
    summary.neighbourhoods_created = len(new)
    ids.update({_place_key(neighbourhood.name): neighbourhood.pk for neighbourhood in new})
    return ids


def _estate_ids(rows, neighbourhood_ids, summary) -> dict[tuple[int, str], int]:
    ids = {
        (neighbourhood_id, _place_key(name)): pk
        for pk, neighbourhood_id, name in Estate.objects.values_list(
            "id", "neighbourhood_id", "name"
        )
    }
    wanted = {}
    for row in rows:
        if row.estate:
            wanted.setdefault(
                (neighbourhood_ids[_place_key(row.neighbourhood)], _place_key(row.estate)),
                row.estate,
            )
    new = [
        Estate(neighbourhood_id=neighbourhood_id, name=name)
        for (neighbourhood_id, key), name in wanted.items()
        if (neighbourhood_id, key) not in ids
    ]
    Estate.objects.bulk_create(new, batch_size=BATCH_SIZE)
    summary.estates_created = len(new)
    ids.update({(estate.neighbourhood_id, _place_key(estate.name)): estate.pk for estate in new})
    return ids


def _block_ids(rows, neighbourhood_ids, estate_ids, summary) -> dict[tuple[int, str], int]:
    ids = {
        (estate_id, _place_key(name)): pk
        for pk, estate_id, name in Block.objects.values_list("id", "estate_id", "name")
    }
    wanted = {}
    for row in rows:
        if row.block:
            estate_id = estate_ids[
                (neighbourhood_ids[_place_key(row.neighbourhood)], _place_key(row.estate))
            ]
            wanted.setdefault((estate_id, _place_key(row.block)), row.block)
    new = [
        Block(estate_id=estate_id, name=name)
        for (estate_id, key), name in wanted.items()
        if (estate_id, key) not in ids
    ]
    Block.objects.bulk_create(new, batch_size=BATCH_SIZE)
    summary.blocks_created = len(new)
    ids.update({(block.estate_id, _place_key(block.name)): block.pk for block in new})
    return ids


# Tenancies and residents -----------------------------------------------------------------------


@dataclass(slots=True)
class _ResidentRow:
    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: date | None

    @property
    def key(self) -> ResidentKey:
        return _resident_key(self.first_name, self.last_name, self.date_of_birth)


@dataclass(slots=True)
class _TenancyRow:
    reference: str
    home_id: int
    start_date: date
    end_date: date | None
    residents: list[_ResidentRow]


def _resident_key(first_name: str, last_name: str, date_of_birth: date | None) -> ResidentKey:
    return (first_name.casefold(), last_name.casefold(), date_of_birth)


def import_tenancies(*, csv_file: str | os.PathLike | BinaryIO) -> TenanciesImportSummary:
    """Create or update tenancies and their residents from a tenancies CSV (a path, or a file opened
    in binary mode). Every UPRN must already be a home. Residents are matched within their tenancy
    by name and date of birth; residents not in the file are left on the tenancy. Raises
    StockFileRejected, having written nothing, if any row is bad."""
    rows = _read_tenancies(csv_file)
    return _write_tenancies(rows)


def _read_tenancies(csv_file) -> list[_TenancyRow]:
    problems: list[RowProblem] = []
    rows: list[_TenancyRow] = []
    home_ids = dict(Home.objects.values_list("uprn", "id").iterator(chunk_size=READ_CHUNK_SIZE))
    first_line_of_reference: dict[str, int] = {}
    reference_length = Tenancy._meta.get_field("reference").max_length
    today = timezone.localdate()
    more_residents_columns = [tuple(columns.values()) for columns in RESIDENT_COLUMNS[1:]]
    rows_iter = _csv_rows(
        csv_file,
        problems,
        required=TENANCY_COLUMNS + tuple(RESIDENT_COLUMNS[0].values()),
        optional_groups=more_residents_columns,
    )
    for line, values in rows_iter:
        check = _RowChecker(line, problems)
        # Upper case, as the account-linking page compares references whatever their case.
        reference = check.required(
            values["tenancy_ref"], "the tenancy reference", max_length=reference_length
        ).upper()
        if reference in first_line_of_reference:
            check.problem(
                f"tenancy {reference} is also on line {first_line_of_reference[reference]}: "
                "a tenancy can only be in the file once"
            )
        elif reference:
            first_line_of_reference[reference] = line
        uprn = check.uprn(values["uprn"])
        home_id = home_ids.get(uprn)
        if home_id is None and UPRN_PATTERN.fullmatch(uprn):
            check.problem(f"there is no home with UPRN {uprn}: import the homes first")
        start_date = check.date(values["start_date"], "the start date", required=True)
        end_date = check.date(values["end_date"], "the end date", required=False)
        if start_date and end_date and end_date < start_date:
            check.problem(
                f"the end date {end_date:%d/%m/%Y} is before the start date {start_date:%d/%m/%Y}"
            )
        residents = _read_residents(values, check, today)
        if check.ok:
            rows.append(_TenancyRow(reference, home_id, start_date, end_date, residents))
    if problems:
        raise StockFileRejected(problems)
    return rows


def _read_residents(values: dict[str, str], check: _RowChecker, today: date) -> list[_ResidentRow]:
    residents: list[_ResidentRow] = []
    seen: set[ResidentKey] = set()
    for number, (columns, labels) in enumerate(
        zip(RESIDENT_COLUMNS, RESIDENT_LABELS, strict=True), start=1
    ):
        given = {field: values.get(column, "") for field, column in columns.items()}
        if number > 1 and not any(given.values()):
            continue
        resident = _ResidentRow(
            first_name=check.required(
                given["first_name"], labels["first_name"], max_length=NAME_MAX_LENGTH
            ),
            last_name=check.required(
                given["last_name"], labels["last_name"], max_length=NAME_MAX_LENGTH
            ),
            email=check.email(given["email"], labels["email"]),
            phone=check.phone(given["phone"], labels["phone"]),
            date_of_birth=check.date(
                given["date_of_birth"], labels["date_of_birth"], required=False
            ),
        )
        if resident.date_of_birth and resident.date_of_birth >= today:
            check.problem(
                f"{labels['date_of_birth']} {resident.date_of_birth:%d/%m/%Y} is not in the past"
            )
        if resident.first_name and resident.last_name:
            key = resident.key
            if key in seen:
                check.problem(
                    f"resident {number} is the same person as an earlier resident on this row"
                )
            seen.add(key)
        residents.append(resident)
    return residents


@transaction.atomic
def _write_tenancies(rows: list[_TenancyRow]) -> TenanciesImportSummary:
    summary = TenanciesImportSummary()
    stored_tenancies: dict[str, tuple] = {}
    for tenancy_id, *values in Tenancy.objects.values_list("id", *TENANCY_FIELDS).iterator(
        chunk_size=READ_CHUNK_SIZE
    ):
        reference = values[0]
        # An exact match wins over one that differs only in case.
        if reference.upper() not in stored_tenancies or reference == reference.upper():
            stored_tenancies[reference.upper()] = (tenancy_id, tuple(values))

    Membership = Tenancy.residents.through
    stored_residents: dict[int, dict[ResidentKey, tuple[int, str, str]]] = defaultdict(dict)
    memberships = Membership.objects.values_list(
        "tenancy_id",
        "resident_id",
        "resident__first_name",
        "resident__last_name",
        "resident__date_of_birth",
        "resident__email",
        "resident__phone",
    )
    for (
        tenancy_id,
        resident_id,
        first_name,
        last_name,
        date_of_birth,
        email,
        phone,
    ) in memberships.iterator(chunk_size=READ_CHUNK_SIZE):
        stored_residents[tenancy_id][_resident_key(first_name, last_name, date_of_birth)] = (
            resident_id,
            email,
            phone,
        )

    new_tenancies: list[tuple] = []  # rows of TENANCY_FIELDS' values
    changed_tenancies_by_fields = defaultdict(list)
    tenancy_ids: list[int | None] = []  # parallel to rows; None until a new tenancy is inserted
    for row in rows:
        values = (row.reference, row.home_id, row.start_date, row.end_date)
        if row.reference not in stored_tenancies:
            new_tenancies.append(values)
            tenancy_ids.append(None)
            continue
        tenancy_id, stored_values = stored_tenancies[row.reference]
        tenancy_ids.append(tenancy_id)
        changed = tuple(
            field
            for field, old, new in zip(TENANCY_FIELDS, stored_values, values, strict=True)
            if old != new
        )
        if changed:
            changed_tenancies_by_fields[changed].append(
                Tenancy(id=tenancy_id, **dict(zip(TENANCY_FIELDS, values, strict=True)))
            )
        else:
            summary.unchanged += 1

    new_tenancy_ids = iter(_insert_rows(Tenancy, TENANCY_FIELDS, new_tenancies, return_ids=True))
    summary.created = len(new_tenancies)
    for fields, tenancies in changed_tenancies_by_fields.items():
        Tenancy.objects.bulk_update(tenancies, fields, batch_size=BATCH_SIZE)
        summary.updated += len(tenancies)
    tenancy_ids = [tenancy_id or next(new_tenancy_ids) for tenancy_id in tenancy_ids]

    now = timezone.now()
    new_residents: list[tuple] = []  # rows of NEW_RESIDENT_FIELDS' values
    new_residents_tenancy_ids: list[int] = []
    changed_residents: list[Resident] = []
    for row, tenancy_id in zip(rows, tenancy_ids, strict=True):
        on_tenancy = stored_residents.get(tenancy_id, {})
        for resident in row.residents:
            stored = on_tenancy.get(resident.key)
            if stored is None:
                new_residents.append(
                    (
                        resident.first_name,
                        resident.last_name,
                        resident.date_of_birth,
                        resident.email,
                        resident.phone,
                    )
                )
                new_residents_tenancy_ids.append(tenancy_id)
                continue
            resident_id, stored_email, stored_phone = stored
            # A blank in the file keeps what we hold: the resident may have given it to us themselves.
            email = resident.email or stored_email
            phone = resident.phone or stored_phone
            if (email, phone) != (stored_email, stored_phone):
                changed_residents.append(
                    Resident(id=resident_id, email=email, phone=phone, updated_at=now)
                )
            else:
                summary.residents_unchanged += 1

    new_resident_ids = _insert_rows(Resident, NEW_RESIDENT_FIELDS, new_residents, return_ids=True)
    _insert_rows(
        Membership,
        ("tenancy_id", "resident_id"),
        zip(new_residents_tenancy_ids, new_resident_ids, strict=True),
        return_ids=False,
    )
    summary.residents_created = len(new_residents)
    Resident.objects.bulk_update(
        changed_residents, ["email", "phone", "updated_at"], batch_size=BATCH_SIZE
    )
    summary.residents_updated = len(changed_residents)
    return summary


def _insert_rows(
    model, fields: tuple[str, ...], rows: Iterable[tuple], *, return_ids: bool
) -> list[int]:
    """Insert rows of values for `fields` (attribute names) into the model's table, the other columns
    taking the model's defaults, and return the new ids in row order if asked.

    Why not bulk_create: for 150,000 tenancies and 225,000 residents, making a model instance of each
    row and preparing each of its values, defaults included, one by one took most of the import's time.
    Here a row is a tuple and the defaults are prepared once. On PostgreSQL the rows go in with COPY,
    the cheapest way in for the server too, their ids taken first from the table's sequence; elsewhere
    (SQLite) as multi-row INSERTs returning the ids, as bulk_create does there.
    """
    rows = list(rows)
    if not rows:
        return []
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    now = timezone.now()
    default_fields = [
        field
        for field in meta.concrete_fields
        if not field.primary_key and field.attname not in fields
    ]
    defaults = tuple(
        field.get_db_prep_save(
            now
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            else field.get_default(),
            connection,
        )
        for field in default_fields
    )
    columns = [by_attname[attname].column for attname in fields] + [
        field.column for field in default_fields
    ]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids = []
            if return_ids:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, meta.pk.column, len(rows)],
                )
                ids = [new_id for (new_id,) in cursor.fetchall()]
                rows = [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)]
                columns.insert(0, meta.pk.column)
            with cursor.copy(f"COPY {table} ({', '.join(map(quote, columns))}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults)
            return ids

        # SQLite's driver would need its default adapter for dates, deprecated from Python 3.12.
        date_positions = [
            position
            for position, attname in enumerate(fields)
            if by_attname[attname].get_internal_type() == "DateField"
        ]
        adapt_date = connection.ops.adapt_datefield_value
        batch_size = min(BATCH_SIZE, connection.ops.bulk_batch_size(columns, rows))
        placeholders = f"({', '.join(['%s'] * len(columns))})"
        returning = f" RETURNING {quote(meta.pk.column)}" if return_ids else ""
        ids = []
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            params = []
            for row in batch:
                if date_positions:
                    row = list(row)
                    for position in date_positions:
                        row[position] = adapt_date(row[position])
                params.extend(row)
                params.extend(defaults)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
                f"VALUES {', '.join([placeholders] * len(batch))}{returning}",
                params,
            )
            if return_ids:
                ids.extend(new_id for (new_id,) in cursor.fetchall())
        return ids
