"""The annual report: CH01 and CH02 on known data, worked out by hand; imported complaints and
complaints made in the portal counted the same way; the command's JSON and the pages."""

import io
import json
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from complaints import services
from complaints.importing import import_complaints
from complaints.models import Outcome
from complaints.selectors import annual_figures
from portal.models import Home, OfficerRole
from tests import factories
from tests.complaints.builders import acknowledge_at, at, make_complaint_at, respond_at

pytestmark = pytest.mark.django_db

HEADER = (
    "reference,uprn,received_on,acknowledged_on,stage1_extension_days,stage1_responded_on,escalated_on,"
    "stage2_acknowledged_on,stage2_extension_days,stage2_responded_on,outcome,category,compensation_pence"
)


def history(uprns):
    u = uprns
    # Worked by hand, financial year 2025/26 (1 April 2025 to 31 March 2026), England's bank holidays:
    #   A received the year before; answered 10 Apr 2025, due 15 Apr (ack 1 Apr + 10): in time.
    #   B due 17 Apr 2025 (ack 3 Apr + 10, Easter skipped), answered 1 May: late.
    #   C extended 5: due 25 Jun 2025 (ack 4 Jun + 15), answered that day: in time.
    #   D extended 15, capped at 10: due 30 Sep 2025 (ack 2 Sep + 20), answered 2 Oct: late
    #     (uncapped it would be due 7 Oct). Escalated 6 Oct; stage 2 due 5 Nov (ack 8 Oct + 20),
    #     answered 5 Nov: in time.
    #   E received on the last day of the year, not yet acknowledged.
    #   F received the day after the year ends.
    #   G received and answered in 2024; escalated 2 Apr 2025 (counts at stage 2); answered after the year.
    #   H refused.
    rows = [
        f"A,{u[1]},2025-03-31,2025-04-01,,2025-04-10,,,,,upheld,repairs,",
        f"B,{u[2]},2025-04-01,2025-04-03,,2025-05-01,,,,,partly upheld,repairs,",
        f"C,{u[3]},2025-06-02,2025-06-04,5,2025-06-25,,,,,not_upheld,Repairs and maintenance,",
        f"D,{u[4]},2025-09-01,2025-09-02,15,2025-10-02,2025-10-06,2025-10-08,,2025-11-05,upheld,damp_mould,5000",
        f"E,{u[5]},2026-03-31,,,,,,,,,,",
        f"F,{u[6]},2026-04-01,2026-04-02,,2026-04-10,,,,,upheld,asb,",
        f"G,{u[1]},2024-11-01,2024-11-04,,2024-11-15,2025-04-02,2025-04-04,,2026-04-10,not_upheld,,",
        f"H,{u[2]},2025-07-01,,,2025-07-03,,,,,refused,asb,",
    ]
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.fixture
def known_year(tenant, handler):
    """Seven homes; eight complaints imported and one made in the portal (P)."""
    homes = [tenant.tenancies.get().home] + [factories.HomeFactory() for _ in range(6)]
    assert Home.objects.count() == 7
    import_complaints(history([h.uprn for h in homes]))
    # P, in the portal: received Tue 6 May 2025 (after the early May bank holiday), acknowledged
    # 7 May, due 21 May, answered 20 May: in time. 10 working days from receipt.
    complaint = make_complaint_at(at(2025, 5, 6), tenant)
    acknowledge_at(at(2025, 5, 7), complaint, handler)
    respond_at(at(2025, 5, 20), complaint, handler, decisions=(Outcome.NOT_UPHELD,), compensation_pence=2500)
    complaint.refresh_from_db()
    services.record_learning(
        complaint=complaint,
        officer=handler,
        category="communication",
        root_cause="communication",
        learning="Call back.",
    )
    services.record_compensation_payment(
        complaint=complaint, officer=handler, amount_pence=2500, paid_on=date(2025, 6, 1)
    )
    return complaint


def test_ch01_counts_complaints_received_and_escalations_asked_for_in_the_year_per_1000_homes(known_year):
    figures = annual_figures(2025)
    assert figures["homes"] == 7
    # Stage 1 received: B, C, D, E, H and P = 6; 6 / 7 * 1000 = 857.14... -> 857.1
    assert figures["CH01"]["stage1_received"] == 6
    assert str(figures["CH01"]["stage1_per_1000"]) == "857.1"
    # Stage 2 asked for: D (6 Oct 2025) and G (2 Apr 2025) = 2; 2 / 7 * 1000 = 285.71... -> 285.7
    assert figures["CH01"]["stage2_received"] == 2
    assert str(figures["CH01"]["stage2_per_1000"]) == "285.7"


def test_ch02_is_the_share_answered_in_the_year_within_the_codes_timescales(known_year):
    figures = annual_figures(2025)
    # Stage 1 answered in the year: A, B, C, D and P; in time: A, C and P. 3 / 5 = 60.0%
    assert (figures["CH02"]["stage1_answered"], figures["CH02"]["stage1_on_time"]) == (5, 3)
    assert str(figures["CH02"]["stage1_percent"]) == "60.0"
    # Stage 2 answered in the year: D, in time.
    assert (figures["CH02"]["stage2_answered"], figures["CH02"]["stage2_on_time"]) == (1, 1)
    assert str(figures["CH02"]["stage2_percent"]) == "100.0"


def test_the_report_has_outcomes_themes_compensation_refusals_and_average_working_days(known_year):
    figures = annual_figures(2025)
    assert figures["outcomes"]["stage1"] == {"upheld": 1, "partly_upheld": 1, "not_upheld": 2}  # A; B; C and P
    assert figures["outcomes"]["stage2"] == {"upheld": 1, "partly_upheld": 0, "not_upheld": 0}  # D
    assert figures["refused"] == 1  # H
    assert figures["themes"] == {"repairs": 2, "damp_mould": 1, "asb": 1, "communication": 1, "uncategorised": 1}
    assert figures["compensation"] == {"offered_pence": 7500, "paid_pence": 2500}  # D 5000 + P 2500
    # Working days from receipt to response: A 8, B 20, C 17, D 23, P 10 -> 78 / 5 = 15.6; stage 2: D 22.
    assert str(figures["average_working_days_to_respond"]["stage1"]) == "15.6"
    assert str(figures["average_working_days_to_respond"]["stage2"]) == "22.0"
    assert figures["extended"] == {"stage1": 2, "stage2": 0}  # C and D


def test_a_complaint_imported_counts_exactly_like_the_same_complaint_made_in_the_portal(known_year):
    homes = list(Home.objects.values_list("uprn", flat=True))
    import_complaints(f"{HEADER}\nSAME-AS-P,{homes[0]},2025-05-06,2025-05-07,,2025-05-20,,,,,not_upheld,,\n")
    from complaints.models import ComplaintStage

    portal = known_year.stages.get()
    imported = ComplaintStage.objects.get(complaint__external_reference="SAME-AS-P")
    fields = [
        "requested_on",
        "acknowledgement_due_on",
        "acknowledged_on",
        "response_due_on",
        "responded_on",
        "working_days_to_respond",
        "outcome",
        "extension_days",
    ]
    assert [getattr(imported, f) for f in fields] == [getattr(portal, f) for f in fields]


def test_the_report_command_prints_the_documented_json(known_year):
    out = io.StringIO()
    call_command("complaints_report", "--year", "2025", "--format", "json", stdout=out)
    printed = json.loads(out.getvalue())
    assert {key: printed[key] for key in ("year", "homes", "CH01", "CH02")} == {
        "year": "2025/26",
        "homes": 7,
        "CH01": {"stage1_per_1000": 857.1, "stage2_per_1000": 285.7, "stage1_received": 6, "stage2_received": 2},
        "CH02": {
            "stage1_percent": 60.0,
            "stage2_percent": 100.0,
            "stage1_answered": 5,
            "stage1_on_time": 3,
            "stage2_answered": 1,
            "stage2_on_time": 1,
        },
    }


def test_a_year_with_no_complaints_reports_zero_received_and_nothing_to_measure(db):
    factories.HomeFactory()
    out = io.StringIO()
    call_command("complaints_report", "--year", "2019", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["CH01"]["stage1_per_1000"] == 0.0
    assert printed["CH02"]["stage1_percent"] is None


def test_the_report_command_also_writes_csv(known_year):
    out = io.StringIO()
    call_command("complaints_report", "--year", "2025", "--format", "csv", stdout=out)
    assert "CH01,Stage 1 complaints per 1000 homes" not in out.getvalue()
    assert 'CH01,"Stage 1 complaints per 1,000 homes",857.1' in out.getvalue()


def manager_client():
    manager = factories.OfficerFactory(role=OfficerRole.MANAGER, patch=None)
    client = Client()
    client.force_login(manager.user)
    return client, manager


def test_the_web_report_shows_the_same_figures_to_managers_only(known_year, handler):
    client, _ = manager_client()
    with time_machine.travel(at(2026, 6, 1), tick=False):
        html = client.get("/staff/complaints/report/?year=2025").content.decode()
    for figure in (
        'id="ch01-stage1">857.1<',
        'id="ch01-stage2">285.7<',
        'id="ch02-stage1">60.0%<',
        'id="ch02-stage2">100.0%<',
    ):
        assert figure in html
    csv_response = client.get("/staff/complaints/report/2025.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "857.1" in csv_response.content.decode()

    officer = Client()
    officer.force_login(handler.user)
    assert officer.get("/staff/complaints/report/").status_code == 403
    assert officer.get("/staff/complaints/report/2025.csv").status_code == 403


def self_assessment_form(status="meets"):
    from complaints.self_assessment import ITEMS

    data = {f"{item.key}_status": status for item in ITEMS}
    data["two_stages_evidence"] = "Our policy has two stages."
    data["improvements"] = "Contractors now text residents when running late."
    return data


def test_a_manager_completes_the_self_assessment_and_publishes_the_report(known_year):
    client, manager = manager_client()
    anonymous = Client()
    assert anonymous.get("/complaints/report/2025/").status_code == 404

    refused = client.post("/staff/complaints/report/2025/publish/", {"publish": "1"}, follow=True)
    assert "Complete the self-assessment" in refused.content.decode()
    assert anonymous.get("/complaints/report/2025/").status_code == 404

    incomplete = client.post("/staff/complaints/report/2025/self-assessment/", {})
    assert "govuk-error-summary" in incomplete.content.decode()
    assert client.post("/staff/complaints/report/2025/self-assessment/", self_assessment_form()).status_code == 302
    client.post("/staff/complaints/report/2025/publish/", {"publish": "1"})

    page = anonymous.get("/complaints/report/2025/").content.decode()
    assert 'id="ch01-stage1">857.1<' in page and 'id="ch02-stage1">60.0%<' in page
    assert "Our policy has two stages." in page
    assert "Contractors now text residents when running late." in page
    assert "857.1" in anonymous.get("/complaints/report/2025.csv").content.decode()
    assert anonymous.get("/complaints/report/2024/").status_code == 404
