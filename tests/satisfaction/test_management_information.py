"""The ten management measures: BS01 to BS05 and RP01 from the landlord's imported records
(rejected whole with every bad line listed), CH01 and CH02 from complaints, RP02 from repairs,
NM01 from anti-social behaviour cases, shown as not available when that app is missing."""

import builtins
from decimal import Decimal
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from charter.satisfaction import importing, selectors
from charter.satisfaction.models import ManagementRecord
from portal.models import OfficerRole
from tests import factories

pytestmark = pytest.mark.django_db


def row(rows, code, part_contains=""):
    return next(r for r in rows if r["code"] == code and part_contains in r["part"])


def test_compliance_records_give_bs01_to_bs05():
    text = "measure,asset,compliant\nBS01,100001,yes\nBS01,100002,yes\nBS01,100003,no\nBS05,BLOCK-1,yes\n"
    result = importing.import_compliance(text, year=2025)
    assert result.by_measure == {"BS01": 3, "BS05": 1}
    rows = selectors.management_information(2025)
    assert (row(rows, "BS01")["value"], row(rows, "BS01")["valid"]) == ("66.7", 3)
    assert row(rows, "BS05")["value"] == "100.0"
    assert (
        row(rows, "BS02")["value"] is None and "No compliance records" in row(rows, "BS02")["note"]
    )


def test_a_new_compliance_file_replaces_the_years_records_for_its_measures():
    importing.import_compliance("measure,asset,compliant\nBS01,1,no\nBS02,B1,yes\n", year=2025)
    importing.import_compliance("measure,asset,compliant\nBS01,1,yes\n", year=2025)
    assert list(ManagementRecord.objects.order_by("measure").values_list("measure", "met")) == [
        ("BS01", True),
        ("BS02", True),
    ]


def test_bad_compliance_and_stock_condition_files_are_rejected_whole():
    with pytest.raises(importing.ImportRejected) as caught:
        importing.import_compliance(
            "measure,asset,compliant\nBS01,1,yes\nBS09,2,yes\nBS01,1,no\nBS02,,maybe\n", year=2025
        )
    assert caught.value.errors == [
        "Line 3: measure must be one of BS01, BS02, BS03, BS04, BS05, not 'BS09'",
        "Line 4: BS01 for 1 is also on line 2",
        "Line 5: asset is blank: give the home's UPRN or the block's reference",
        "Line 5: compliant must be yes or no, not 'maybe'",
    ]
    home = factories.HomeFactory()
    with pytest.raises(importing.ImportRejected) as caught:
        importing.import_stock_condition(
            f"uprn,meets_decent_homes_standard\n{home.uprn},yes\n999,no\n{home.uprn},sort of\n",
            year=2025,
        )
    assert caught.value.errors == [
        "Line 3: no home has the UPRN 999",
        f"Line 4: uprn {home.uprn} is also on line 2",
        "Line 4: meets_decent_homes_standard must be yes or no, not 'sort of'",
    ]
    assert not ManagementRecord.objects.exists()


def test_rp01_is_the_share_of_homes_not_decent(tmp_path):
    homes = [factories.HomeFactory() for _ in range(8)]
    path = tmp_path / "stock.csv"
    path.write_text(
        "uprn,meets_decent_homes_standard\n"
        + "".join(f"{h.uprn},{'no' if i == 0 else 'yes'}\n" for i, h in enumerate(homes))
    )
    out = StringIO()
    call_command(
        "import_stock_condition", "--year", "2025", str(path), stdout=out, skip_checks=True
    )
    assert "Imported 8 stock condition records for 2025/26" in out.getvalue()
    assert row(selectors.management_information(2025), "RP01")["value"] == "12.5"


def test_the_compliance_command_lists_problems_and_writes_nothing(tmp_path):
    path = tmp_path / "compliance.csv"
    path.write_text("measure,asset,compliant\nBS01,1,perhaps\n")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_compliance", "--year", "2025", str(path), stderr=err, skip_checks=True)
    assert "Line 2: compliant must be yes or no, not 'perhaps'" in err.getvalue()


def test_complaints_and_repairs_measures_come_from_their_apps():
    rows = selectors.management_information(2025)
    assert {r["code"] for r in rows} == {
        "BS01",
        "BS02",
        "BS03",
        "BS04",
        "BS05",
        "CH01",
        "CH02",
        "NM01",
        "RP01",
        "RP02",
    }
    assert row(rows, "RP02", "Emergency")["tenure"] == "LCRA"
    assert row(rows, "CH02", "Stage 1")["note"] == "No stage 1 complaints answered in the year"


def test_nm01_is_shown_as_not_available_without_the_asb_app(monkeypatch):
    real_import = builtins.__import__

    def no_asb(name, *args, **kwargs):
        if name.startswith("engagement.asb.selectors"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_asb)
    nm01 = row(selectors.management_information(2025), "NM01", "Anti-social")
    assert nm01["value"] is None and nm01["note"].startswith("Not available")


def test_nm01_uses_the_asb_apps_figures(monkeypatch):
    import engagement.asb.selectors as asb

    monkeypatch.setattr(
        asb,
        "nm01",
        lambda *, year: {
            "homes": 600,
            "cases": 9,
            "hate_cases": 1,
            "per_1000": 15.0,
            "hate_per_1000": 1.7,
        },
    )
    rows = selectors.management_information(2025)
    assert row(rows, "NM01", "Anti-social")["value"] == "15.0"
    assert row(rows, "NM01", "hate")["value"] == "1.7"


def test_the_staff_upload_page_uses_the_same_import_and_shows_every_problem(client):
    manager = factories.OfficerFactory(role=OfficerRole.MANAGER)
    client.force_login(manager.user)
    url = reverse("satisfaction_staff:import_records", args=[2025, "compliance"])
    bad = SimpleUploadedFile(
        "c.csv", b"measure,asset,compliant\nBS01,1,perhaps\nBS07,2,yes\n", "text/csv"
    )
    page = client.post(url, {"file": bad}).content.decode()
    assert "Line 2: compliant must be yes or no, not &#x27;perhaps&#x27;" in page
    assert "Line 3: measure must be one of" in page
    assert "it has 2 problems" in page
    not_csv = SimpleUploadedFile("c.pdf", b"%PDF-1.4", "application/pdf")
    assert "The file must be a CSV file" in client.post(url, {"file": not_csv}).content.decode()
    good = SimpleUploadedFile("c.csv", b"measure,asset,compliant\nBS01,1,yes\n", "text/csv")
    assert client.post(url, {"file": good}).status_code == 302
    assert ManagementRecord.objects.count() == 1


def test_officers_cannot_import(client):
    client.force_login(factories.OfficerFactory().user)
    assert client.get(reverse("satisfaction_staff:import", args=[2025])).status_code == 403


def test_published_measures_for_the_charter_have_numbers():
    from charter.satisfaction import services
    from tests.satisfaction.factories import SurveyFactory, responses

    SurveyFactory(year=2024)
    responses(2, year=2024, tp01="very_satisfied")
    responses(1, year=2024, tp01="neither")
    services.publish_year(year=2024, officer=factories.OfficerFactory(role=OfficerRole.MANAGER))
    measures = selectors.published_measures(2024)
    tp01 = next(m for m in measures if m["code"] == "TP01" and m["tenure"] == "LCRA")
    assert tp01["percent"] == Decimal("66.7") and tp01["valid"] == 3
    assert tp01["description"].startswith("Proportion of respondents")
    ch01 = next(m for m in measures if m["code"] == "CH01")
    assert ch01["percent"] is None and ch01["unit"] == "per 1,000 homes"
