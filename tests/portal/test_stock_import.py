"""Onboarding a landlord's stock: homes and tenancies from CSV files, checked whole before anything is
written, and safe to import again."""

import csv
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.models import Block, Estate, Home, Neighbourhood, Resident, Tenancy, Tenure
from portal.services.stock_import import StockFileRejected, import_homes, import_tenancies
from tests.factories import (
    EstateFactory,
    HomeFactory,
    NeighbourhoodFactory,
    ResidentFactory,
    TenancyFactory,
)

pytestmark = pytest.mark.django_db

HOME_HEADER = [
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
]
RESIDENT_FIELDS = ["first_name", "last_name", "email", "phone", "date_of_birth"]
TENANCY_HEADER = ["tenancy_ref", "uprn", "start_date", "end_date"] + [
    f"resident_{number}_{field}" for number in (1, 2) for field in RESIDENT_FIELDS
]


def home_row(**values):
    row = {
        "uprn": "100023336956",
        "address_line_1": "Flat 4",
        "address_line_2": "Cedar House",
        "address_line_3": "Grafton Street",
        "town": "Millbrook",
        "postcode": "mk9 3hs",
        "neighbourhood": "Central",
        "estate": "Fishermead",
        "block": "Cedar House",
        "tenure": "lcra",
        "bedrooms": "2",
        "communal_areas": "Yes",
    }
    row.update(values)
    return row


def tenancy_row(**values):
    row = dict.fromkeys(TENANCY_HEADER, "")
    row.update(
        {
            "tenancy_ref": "T-004213",
            "uprn": "100023336956",
            "start_date": "2019-04-01",
            "resident_1_first_name": "Amina",
            "resident_1_last_name": "Okafor",
            "resident_1_email": "amina@example.org",
            "resident_1_phone": "07700 900123",
            "resident_1_date_of_birth": "1984-03-27",
        }
    )
    row.update(values)
    return row


def write_csv(path, header, rows):
    """Rows are dicts (written in header order) or lists (written as they are). Saved as Excel saves
    'CSV UTF-8', with a byte order mark."""
    with open(path, "w", newline="", encoding="utf-8-sig") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        for row in rows:
            writer.writerow(
                [row.get(column, "") for column in header] if isinstance(row, dict) else row
            )
    return path


@pytest.fixture
def homes_csv(tmp_path):
    def write(*rows, header=HOME_HEADER, name="homes.csv"):
        return write_csv(tmp_path / name, header, rows)

    return write


@pytest.fixture
def tenancies_csv(tmp_path):
    def write(*rows, header=TENANCY_HEADER, name="tenancies.csv"):
        return write_csv(tmp_path / name, header, rows)

    return write


def rejection_of(importer, path) -> list[str]:
    with pytest.raises(StockFileRejected) as rejected:
        importer(csv_file=path)
    return [str(problem) for problem in rejected.value.problems]


def stored_homes():
    return list(Home.objects.order_by("uprn").values())


# Homes -----------------------------------------------------------------------------------------


def test_a_good_homes_file_imports_every_field_and_creates_the_places(homes_csv):
    path = homes_csv(
        home_row(),
        home_row(
            uprn="200001",
            address_line_1="12 Church Lane",
            address_line_2="",
            address_line_3="",
            postcode="WN1  1XX",
            estate="",
            block="",
            tenure="Shared_Ownership",
            bedrooms="3",
            communal_areas="no",
        ),
        home_row(
            uprn="200002",
            address_line_1="Flat 5",
            estate="fishermead ",
            block="cedar  house",
            tenure="LEASEHOLD",
        ),
    )
    out = StringIO()
    call_command("import_homes", str(path), stdout=out)

    assert "3 homes created, 0 updated, 0 unchanged." in out.getvalue()
    flat = Home.objects.select_related("neighbourhood", "estate", "block").get(uprn="100023336956")
    assert (flat.address_line_1, flat.address_line_2, flat.address_line_3) == (
        "Flat 4",
        "Cedar House",
        "Grafton Street",
    )
    assert (flat.town, flat.postcode) == ("Millbrook", "MK9 3HS")
    assert (flat.neighbourhood.name, flat.estate.name, flat.block.name) == (
        "Central",
        "Fishermead",
        "Cedar House",
    )
    assert flat.block.estate == flat.estate and flat.estate.neighbourhood == flat.neighbourhood
    assert (flat.tenure, flat.bedrooms, flat.has_communal_areas) == (Tenure.SOCIAL_RENT, 2, True)

    house = Home.objects.get(uprn="200001")
    assert (house.postcode, house.estate, house.block) == ("WN1 1XX", None, None)
    assert (house.tenure, house.bedrooms, house.has_communal_areas) == (
        Tenure.SHARED_OWNERSHIP,
        3,
        False,
    )
    assert house.neighbourhood == flat.neighbourhood

    # Places match whatever their case and spacing: one estate and one block, not two of each.
    second_flat = Home.objects.get(uprn="200002")
    assert (second_flat.estate, second_flat.block, second_flat.tenure) == (
        flat.estate,
        flat.block,
        Tenure.LEASEHOLD,
    )
    assert (Neighbourhood.objects.count(), Estate.objects.count(), Block.objects.count()) == (
        1,
        1,
        1,
    )


def test_homes_join_the_neighbourhoods_and_estates_that_already_exist(homes_csv):
    estate = EstateFactory(name="Fishermead", neighbourhood=NeighbourhoodFactory(name="Central"))
    import_homes(
        csv_file=homes_csv(home_row(neighbourhood="CENTRAL", estate="Fishermead", block=""))
    )
    assert Home.objects.get().estate == estate
    assert (Neighbourhood.objects.count(), Estate.objects.count()) == (1, 1)


def test_importing_the_same_homes_file_again_changes_nothing(homes_csv):
    path = homes_csv(home_row(), home_row(uprn="200001", estate="", block=""))
    import_homes(csv_file=path)
    before = stored_homes()

    out = StringIO()
    call_command("import_homes", str(path), stdout=out)

    assert "0 homes created, 0 updated, 2 unchanged." in out.getvalue()
    assert stored_homes() == before
    assert (Neighbourhood.objects.count(), Estate.objects.count(), Block.objects.count()) == (
        1,
        1,
        1,
    )


def test_a_changed_row_updates_its_home_and_leaves_the_others_alone(homes_csv):
    import_homes(csv_file=homes_csv(home_row(), home_row(uprn="200001")))
    untouched = Home.objects.filter(uprn="200001").values().get()

    summary = import_homes(
        csv_file=homes_csv(
            home_row(bedrooms="3", postcode="MK9 3HT", estate="", block="", tenure="leasehold"),
            home_row(uprn="200001"),
            name="changed.csv",
        )
    )

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    home = Home.objects.get(uprn="100023336956")
    assert (home.bedrooms, home.postcode, home.estate, home.block) == (3, "MK9 3HT", None, None)
    assert home.tenure == Tenure.LEASEHOLD
    assert Home.objects.filter(uprn="200001").values().get() == untouched


def test_a_file_with_bad_rows_is_rejected_whole_with_every_line_and_reason(homes_csv):
    path = homes_csv(
        home_row(uprn="200001"),  # line 2: good, but not imported either
        home_row(uprn="20000A"),  # line 3
        home_row(uprn="200003", postcode="ZZZ 999"),  # line 4
        home_row(uprn="200004", bedrooms="16", tenure="council"),  # line 5: two problems
        home_row(uprn="200005", town=""),  # line 6
        home_row(uprn="200006", estate="", block="Cedar House"),  # line 7
        home_row(uprn="200007", communal_areas="maybe"),  # line 8
        home_row(uprn="1.00023E+11"),  # line 9
        home_row(uprn="200001"),  # line 10: repeats line 2
    )
    err = StringIO()
    with pytest.raises(CommandError, match="9 problems"):
        call_command("import_homes", str(path), stderr=err)

    assert err.getvalue().splitlines() == [
        'Line 3: the UPRN "20000A" is not a UPRN: it must be 1 to 12 digits',
        'Line 4: the postcode "ZZZ 999" is not a UK postcode',
        'Line 5: the tenure "council" is not one we know: use LCRA (or social_rent), LCHO (or shared_ownership) '
        "or leasehold",
        'Line 5: the number of bedrooms "16" must be a whole number from 0 to 15',
        "Line 6: the town is missing",
        'Line 7: the block "Cedar House" has no estate: a block must be on an estate',
        'Line 8: communal_areas "maybe" must be yes or no',
        'Line 9: the UPRN "1.00023E+11" has been turned into a rounded number, probably by Excel. '
        "Format the uprn column as text and export the file again",
        "Line 10: UPRN 200001 is also on line 2: a home can only be in the file once",
    ]
    assert Home.objects.count() == 0
    assert (Neighbourhood.objects.count(), Estate.objects.count(), Block.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_rejected_file_leaves_the_homes_already_held_as_they_were(homes_csv):
    import_homes(csv_file=homes_csv(home_row()))
    before = stored_homes()
    rejection_of(
        import_homes,
        homes_csv(home_row(bedrooms="4"), home_row(uprn="200001", postcode=""), name="two.csv"),
    )
    assert stored_homes() == before


def test_a_duplicated_uprn_names_both_lines(homes_csv):
    path = homes_csv(home_row(uprn="300"), home_row(uprn="301"), home_row(uprn="300"))
    assert rejection_of(import_homes, path) == [
        "Line 4: UPRN 300 is also on line 2: a home can only be in the file once"
    ]


def test_missing_and_unknown_header_columns_are_named(homes_csv):
    header = [column for column in HOME_HEADER if column not in ("town", "bedrooms")] + ["rent"]
    path = homes_csv(home_row(), header=header)
    assert rejection_of(import_homes, path) == [
        "Line 1: the header is missing columns town, bedrooms",
        "Line 1: the header has column we do not know: rent. See docs/stock-import.md for the columns",
    ]


def test_header_names_are_forgiving_about_case_and_spaces(homes_csv):
    header = [column.replace("_", " ").title() for column in HOME_HEADER]
    import_homes(csv_file=homes_csv([home_row()[column] for column in HOME_HEADER], header=header))
    assert Home.objects.get().town == "Millbrook"


def test_an_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert rejection_of(import_homes, path) == [
        "Line 1: the first line must be the header, naming the columns"
    ]


def test_line_numbers_are_the_lines_of_the_file_counting_blank_lines_and_values_over_two_lines(
    homes_csv,
):
    path = homes_csv(
        home_row(uprn="1", address_line_2="Cedar House\nGrafton Street"),  # lines 2 and 3
        [],  # line 4: blank, skipped
        home_row(uprn="2", postcode="nowhere"),  # line 5
        ["3", "too", "few"],  # line 6
    )
    assert rejection_of(import_homes, path) == [
        'Line 5: the postcode "nowhere" is not a UK postcode',
        "Line 6: this row has 3 values but the header has 12 columns "
        "(is there a stray comma, or a value with a comma that is not in quotes?)",
    ]


def test_a_line_that_is_not_utf8_is_reported_by_its_number(tmp_path):
    path = tmp_path / "windows.csv"
    path.write_bytes(
        (",".join(HOME_HEADER) + "\r\n").encode()
        + "200001,1 Caf\xe9 Row,,,Millbrook,MK9 3HS,Central,,,LCRA,1,no\r\n".encode("cp1252")
    )
    assert rejection_of(import_homes, path) == [
        "Line 2: this line is not UTF-8 text. Save the file as 'CSV UTF-8 (comma delimited)' and try again"
    ]


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("import_homes", str(tmp_path / "nowhere.csv"))


def test_two_thousand_homes_import_in_a_bounded_number_of_queries(
    homes_csv, django_assert_max_num_queries
):
    rows = [
        home_row(
            uprn=str(500_000 + number), estate=f"Estate {number % 20}", block=f"Block {number % 7}"
        )
        for number in range(2000)
    ]
    path = homes_csv(*rows)
    # A query per row would be thousands; SQLite inserts 76 homes a statement, PostgreSQL 1,000.
    with django_assert_max_num_queries(60):
        import_homes(csv_file=path)
    assert Home.objects.count() == 2000

    changed = [dict(row, bedrooms="4") if number % 2 else row for number, row in enumerate(rows)]
    path = homes_csv(*changed, name="changed.csv")
    with django_assert_max_num_queries(60):
        summary = import_homes(csv_file=path)
    assert (summary.updated, summary.unchanged) == (1000, 1000)


# Tenancies -------------------------------------------------------------------------------------


@pytest.fixture
def home():
    return HomeFactory(uprn="100023336956", postcode="MK9 3HS")


def test_a_good_tenancies_file_imports_every_field_and_the_residents(home, tenancies_csv):
    other_home = HomeFactory(uprn="200001")
    path = tenancies_csv(
        tenancy_row(
            resident_2_first_name="Tom",
            resident_2_last_name="Okafor",
            resident_2_phone="(01908) 123-456",
            resident_2_date_of_birth="02/11/1981",
        ),
        tenancy_row(
            tenancy_ref="t-000100",
            uprn="200001",
            start_date="01/04/2001",
            end_date="2018-03-31",
            resident_1_first_name="Jan",
            resident_1_last_name="Nowak",
            resident_1_email="",
            resident_1_phone="+44 7700 900 456",
            resident_1_date_of_birth="",
        ),
    )
    out = StringIO()
    call_command("import_tenancies", str(path), stdout=out)

    assert "2 tenancies created, 0 updated, 0 unchanged." in out.getvalue()
    assert "3 residents added, 0 updated, 0 unchanged." in out.getvalue()
    tenancy = Tenancy.objects.get(reference="T-004213")
    assert (tenancy.home, tenancy.start_date, tenancy.end_date) == (home, date(2019, 4, 1), None)
    amina, tom = tenancy.residents.order_by("first_name")
    assert (amina.first_name, amina.last_name, amina.email, amina.phone, amina.date_of_birth) == (
        "Amina",
        "Okafor",
        "amina@example.org",
        "07700 900123",
        date(1984, 3, 27),
    )
    assert (tom.email, tom.phone, tom.date_of_birth) == ("", "01908 123 456", date(1981, 11, 2))

    ended = Tenancy.objects.get(reference="T-000100")  # references are kept in upper case
    assert (ended.home, ended.start_date, ended.end_date) == (
        other_home,
        date(2001, 4, 1),
        date(2018, 3, 31),
    )
    jan = ended.residents.get()
    assert (jan.phone, jan.date_of_birth) == ("+44 7700 900 456", None)


def test_imported_residents_start_with_the_same_defaults_as_any_other_resident(home, tenancies_csv):
    # New residents are written as plain rows (COPY on PostgreSQL), not through Resident(...).
    before = timezone.now()
    import_tenancies(csv_file=tenancies_csv(tenancy_row()))
    imported = Resident.objects.get()
    made_by_hand = Resident(first_name="Amina", last_name="Okafor")
    defaults = ("user_id", "preferred_channel", "preferred_language", "accessibility_needs")
    needs = ("needs_large_print", "needs_easy_read", "needs_interpreter")
    for field in defaults + needs:
        assert getattr(imported, field) == getattr(made_by_hand, field), field
    assert before <= imported.created_at == imported.updated_at <= timezone.now()
    assert Tenancy.objects.get().residents.get() == imported

    # Ids come from the tables' own sequences, so what is created next does not collide.
    assert ResidentFactory().pk > imported.pk
    assert TenancyFactory(home=home).pk > Tenancy.objects.get(reference="T-004213").pk


def test_importing_the_same_tenancies_file_again_changes_nothing(home, tenancies_csv):
    path = tenancies_csv(tenancy_row(resident_2_first_name="Tom", resident_2_last_name="Okafor"))
    import_tenancies(csv_file=path)
    tenancies_before = list(Tenancy.objects.values())
    residents_before = list(Resident.objects.order_by("id").values())

    summary = import_tenancies(csv_file=path)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 1)
    assert (summary.residents_created, summary.residents_updated, summary.residents_unchanged) == (
        0,
        0,
        2,
    )
    assert list(Tenancy.objects.values()) == tenancies_before
    assert list(Resident.objects.order_by("id").values()) == residents_before
    assert Tenancy.residents.through.objects.count() == 2


def test_residents_are_matched_on_reimport_by_name_and_birth_date_whatever_the_case(
    home, tenancies_csv
):
    import_tenancies(csv_file=tenancies_csv(tenancy_row()))
    amina = Resident.objects.get()

    summary = import_tenancies(
        csv_file=tenancies_csv(
            tenancy_row(
                end_date="31/01/2026",
                resident_1_first_name="AMINA",
                resident_1_last_name="okafor",
                resident_1_email="amina.okafor@example.org",
                resident_1_phone="07700-900-999",
                resident_2_first_name="Chidi",
                resident_2_last_name="Okafor",
                resident_2_date_of_birth="2001-06-15",
            ),
            name="second.csv",
        )
    )

    assert (summary.updated, summary.residents_created, summary.residents_updated) == (1, 1, 1)
    amina.refresh_from_db()
    assert (amina.first_name, amina.email, amina.phone) == (
        "Amina",
        "amina.okafor@example.org",
        "07700 900 999",
    )
    tenancy = Tenancy.objects.get()
    assert tenancy.end_date == date(2026, 1, 31)
    assert set(tenancy.residents.values_list("first_name", flat=True)) == {"Amina", "Chidi"}
    assert Resident.objects.count() == 2


def test_a_resident_with_another_birth_date_is_another_person(home, tenancies_csv):
    import_tenancies(csv_file=tenancies_csv(tenancy_row()))
    import_tenancies(
        csv_file=tenancies_csv(tenancy_row(resident_1_date_of_birth="2010-03-27"), name="b.csv")
    )
    assert Tenancy.objects.get().residents.count() == 2


def test_a_blank_contact_detail_in_the_file_keeps_the_one_we_hold(home, tenancies_csv):
    resident = ResidentFactory(
        first_name="Amina",
        last_name="Okafor",
        date_of_birth=date(1984, 3, 27),
        email="own@example.org",
    )
    TenancyFactory(reference="T-004213", home=home, residents=[resident])

    summary = import_tenancies(
        csv_file=tenancies_csv(tenancy_row(resident_1_email="", resident_1_phone=""))
    )

    assert (summary.residents_created, summary.residents_updated, summary.residents_unchanged) == (
        0,
        0,
        1,
    )
    resident.refresh_from_db()
    assert resident.email == "own@example.org"


def test_residents_not_in_the_file_stay_on_the_tenancy(home, tenancies_csv):
    lodger = ResidentFactory(first_name="Sam")
    TenancyFactory(reference="T-004213", home=home, residents=[lodger])
    import_tenancies(csv_file=tenancies_csv(tenancy_row()))
    assert set(Tenancy.objects.get().residents.values_list("first_name", flat=True)) == {
        "Sam",
        "Amina",
    }


def test_tenancies_for_a_uprn_with_no_home_are_rejected_and_nothing_is_written(home, tenancies_csv):
    path = tenancies_csv(tenancy_row(), tenancy_row(tenancy_ref="T-2", uprn="999999"))
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem in the file. Nothing was changed"):
        call_command("import_tenancies", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "Line 3: there is no home with UPRN 999999: import the homes first"
    ]
    assert (Tenancy.objects.count(), Resident.objects.count()) == (0, 0)


@time_machine.travel("2026-03-02 10:00 +0000", tick=False)
def test_bad_tenancy_rows_are_each_reported(home, tenancies_csv):
    path = tenancies_csv(
        tenancy_row(tenancy_ref="T-1", start_date="2019-02-30"),  # line 2
        tenancy_row(tenancy_ref="T-2", start_date="1 April 2019", end_date="2018-01-01"),  # line 3
        tenancy_row(tenancy_ref="T-3", start_date="2019-04-01", end_date="31/03/2019"),  # line 4
        tenancy_row(tenancy_ref="T-4", resident_1_email="amina@", resident_1_phone="ask at office"),  # line 5
        tenancy_row(tenancy_ref="T-5", resident_1_date_of_birth="2026-03-02"),  # line 6
        tenancy_row(tenancy_ref="T-6", resident_1_first_name="", resident_2_email="x@example.org"),  # line 7
        tenancy_row(tenancy_ref="t-1"),  # line 8: T-1 again
        tenancy_row(tenancy_ref="T-8", resident_2_first_name="amina", resident_2_last_name="OKAFOR",
                    resident_2_date_of_birth="27/03/1984"),  # line 9
        tenancy_row(tenancy_ref="T-9", resident_1_phone="123"),  # line 10
    )  # fmt: skip
    assert rejection_of(import_tenancies, path) == [
        'Line 2: the start date "2019-02-30" is not a real date',
        'Line 3: the start date "1 April 2019" is not a date: write it as YYYY-MM-DD or DD/MM/YYYY',
        "Line 4: the end date 31/03/2019 is before the start date 01/04/2019",
        'Line 5: resident 1\'s email address "amina@" is not an email address',
        'Line 5: resident 1\'s phone number "ask at office" can only have digits, spaces, brackets, '
        "dashes and a leading +",
        "Line 6: resident 1's date of birth 02/03/2026 is not in the past",
        "Line 7: resident 1's first name is missing",
        "Line 7: resident 2's first name is missing",
        "Line 7: resident 2's last name is missing",
        "Line 8: tenancy T-1 is also on line 2: a tenancy can only be in the file once",
        "Line 9: resident 2 is the same person as an earlier resident on this row",
        'Line 10: resident 1\'s phone number "123" must have between 7 and 15 digits',
    ]
    assert (Tenancy.objects.count(), Resident.objects.count()) == (0, 0)


def test_a_tenancies_header_needs_every_column_of_a_further_resident(home, tenancies_csv):
    header = TENANCY_HEADER[:-1]  # resident_2_date_of_birth left out
    assert rejection_of(import_tenancies, tenancies_csv(tenancy_row(), header=header)) == [
        "Line 1: the header is missing column resident_2_date_of_birth"
    ]


def test_a_tenancies_file_may_have_only_the_first_residents_columns(home, tenancies_csv):
    header = TENANCY_HEADER[:9]
    import_tenancies(csv_file=tenancies_csv(tenancy_row(), header=header))
    assert Tenancy.objects.get().residents.get().first_name == "Amina"


def test_two_thousand_tenancies_import_in_a_bounded_number_of_queries(
    tenancies_csv, django_assert_max_num_queries
):
    patch = NeighbourhoodFactory()
    homes = Home.objects.bulk_create(
        Home(uprn=str(700_000 + number), address_line_1=f"{number} Mill Lane", town="Millbrook", postcode="MK9 3HS",
             neighbourhood=patch, tenure=Tenure.SOCIAL_RENT, bedrooms=2)
        for number in range(2000)
    )  # fmt: skip
    rows = [
        tenancy_row(
            tenancy_ref=f"T-{number:06d}",
            uprn=home.uprn,
            resident_1_email=f"resident{number}@example.org",
            resident_2_first_name="Second",
            resident_2_last_name=f"Person {number}",
        )
        for number, home in enumerate(homes)
    ]
    path = tenancies_csv(*rows)
    # SQLite inserts 71 residents a statement; a query per row would be thousands.
    with django_assert_max_num_queries(150):
        import_tenancies(csv_file=path)
    assert (Tenancy.objects.count(), Resident.objects.count()) == (2000, 4000)

    changed = [dict(row, resident_1_phone="07700 900000") for row in rows]
    path = tenancies_csv(*changed, name="changed.csv")
    with django_assert_max_num_queries(60):
        summary = import_tenancies(csv_file=path)
    assert (summary.residents_updated, summary.residents_unchanged) == (2000, 2000)


def test_a_quote_that_is_never_closed_is_reported_from_its_line(tmp_path):
    path = tmp_path / "runaway.csv"
    path.write_text(
        ",".join(HOME_HEADER)
        + '\n1,"Flat 4,,,Millbrook,MK9 3HS,Central,,,LCRA,1,no\n'
        + "x" * 140_000
        + "\n"
    )
    assert rejection_of(import_homes, path) == [
        "Line 2: from this line on the file cannot be read as CSV: field larger than field limit (131072)"
    ]


def test_imported_homes_are_listed_in_the_order_people_count_them(homes_csv):
    import_homes(
        csv_file=homes_csv(
            *(home_row(uprn=f"30000{n}", address_line_1=f"Flat {n}") for n in (10, 2, 1))
        )
    )
    assert list(Home.objects.values_list("address_line_1", flat=True)) == [
        "Flat 1",
        "Flat 2",
        "Flat 10",
    ]
    # A correction.
    import_homes(csv_file=homes_csv(home_row(uprn="300001", address_line_1="Flat 12")))
    assert list(Home.objects.values_list("address_line_1", flat=True)) == [
        "Flat 2",
        "Flat 10",
        "Flat 12",
    ]


def test_a_home_saved_by_hand_keeps_its_sort_key_in_step():
    home = HomeFactory(address_line_1="Flat 9")
    home.address_line_1 = "Flat 11"
    home.save(update_fields=["address_line_1"])
    home.refresh_from_db()
    assert home.address_sort == "flat 00000011"
