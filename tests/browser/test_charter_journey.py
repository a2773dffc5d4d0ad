"""The tenant charter in a real browser: a visitor reads the adopted charter with its live figures
and charts; a manager drafts a new version and puts it out for consultation; the tenant comments
on a promise; the manager publishes the comment and adopts the version, and the earlier one stays
viewable; the manager publishes the customer voice report. axe-core checks the public pages."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from charter.models import (
    CharterSection,
    CharterVersion,
    CommentStatus,
    CustomerVoiceReport,
    PromiseComment,
    VersionStatus,
)
from portal.models import DeadlineKind
from tests.browser.conftest import (
    assert_accessible,
    demo_home,
    demo_manager,
    demo_tenant,
    follow,
    millbrook,
)
from tests.charter.factories import PromiseFactory, adopted_version, at, deadline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    millbrook()
    manager = demo_manager()
    home = demo_home()
    tenant = demo_tenant(home)
    return {"tenant": tenant, "manager": manager}


@pytest.fixture
def charter():
    version = adopted_version(
        title="Our tenant charter", introduction="What you can expect from us."
    )
    PromiseFactory(
        version=version,
        section=CharterSection.COMMUNICATION,
        position=1,
        text="We will call you back within one working day",
        measure_key="callbacks_within_one_working_day",
        target_percent=95,
    )
    PromiseFactory(
        version=version,
        section=CharterSection.VOICE,
        position=1,
        text="We will listen and act on what you say",
    )
    # Six months of call-backs, most kept.
    today = timezone.localdate()
    for n in range(60):
        due = at(today - timedelta(days=2 + n * 3), 23, 59)
        deadline(
            DeadlineKind.CALLBACK,
            due=due,
            met=due - timedelta(hours=2) if n % 7 else due + timedelta(hours=9),
        )
    return version


def test_the_charter_from_draft_to_consultation_to_adoption(
    open_tab, site, people, charter, screenshots
):
    visitor = open_tab()
    visitor.goto(f"{site}/charter/")
    assert visitor.get_by_role("heading", level=1).inner_text() == "Our tenant charter"
    assert visitor.locator("dt", has_text="Last month (").count() == 1
    chart = visitor.get_by_role(
        "img", name="Call-backs made within one working day, month by month"
    )
    assert chart.count() == 1
    visitor.get_by_text("Figures by month").click()
    assert visitor.get_by_role("table").count() == 1
    assert_accessible(visitor)
    screenshots(visitor, "01-charter")

    # The manager starts a new draft (a copy of the adopted charter), changes and adds a promise.
    manager = open_tab("manager@example.com")
    manager.goto(f"{site}/staff/charter/")
    follow(manager.get_by_role("button", name="Start a new draft"))
    assert "started as a draft" in manager.content()
    manager.get_by_role("link", name="Add a promise to Safety").click()
    follow(manager.get_by_role("button", name="Save promise"))
    assert manager.get_by_text("Enter the promise").count() >= 1  # the error summary and the field
    manager.get_by_label("Promise", exact=True).fill(
        "We will act on building-safety concerns the same day"
    )
    manager.get_by_label("How we show we keep it (optional)").select_option(
        "safety_concerns_acted_on_in_time"
    )
    manager.get_by_label("Target percent (optional)").fill("100")
    follow(manager.get_by_role("button", name="Save promise"))
    assert "Promise 4.1 added" in manager.content()
    screenshots(manager, "02-draft")
    follow(manager.get_by_role("link", name="Put out for consultation"))
    closes = timezone.localdate() + timedelta(days=21)
    manager.get_by_label("Day").fill(str(closes.day))
    manager.get_by_label("Month").fill(str(closes.month))
    manager.get_by_label("Year").fill(str(closes.year))
    follow(manager.get_by_role("button", name="Put out for consultation"))
    draft = CharterVersion.objects.get(status=VersionStatus.CONSULTATION)
    # The tenant (the only current resident) is told once, in their preferred channel.
    assert "1 resident told" in manager.content()
    assert manager.get_by_text("By email: 1").count() == 1

    # The tenant reads the draft and comments on the new promise.
    tenant = open_tab("tenant@example.com")
    tenant.goto(f"{site}/charter/")
    follow(tenant.get_by_role("link", name="Read the draft and tell us what you think"))
    assert_accessible(tenant)
    tenant.get_by_role("link", name="Comment on promise 4.1").click()
    tenant.get_by_label("Your comment").fill("Please tell us what you did about it, too.")
    follow(tenant.get_by_role("button", name="Send comment"))
    assert "We check comments before they appear" in tenant.content()
    assert tenant.get_by_text("Waiting for moderation").count() == 1
    screenshots(tenant, "03-consultation")

    # The manager publishes the comment, then adopts the new version.
    manager.goto(f"{site}/staff/charter/comments/")
    manager.get_by_role("link", name="Moderate").first.click()
    manager.get_by_label("Yes, publish it").check()
    follow(manager.get_by_role("button", name="Save decision"))
    assert PromiseComment.objects.get().status == CommentStatus.PUBLISHED
    tenant.reload()
    assert tenant.get_by_text("Please tell us what you did about it, too.").count() >= 1
    manager.goto(f"{site}/staff/charter/{draft.pk}/")
    manager.get_by_role("link", name="Adopt this version").click()
    follow(manager.get_by_role("button", name="Adopt this version"))
    assert f"Version {draft.number} is now the charter" in manager.content()

    visitor.goto(f"{site}/charter/")
    assert "We will act on building-safety concerns the same day" in visitor.content()
    follow(visitor.get_by_role("link", name="Earlier versions of the charter"))
    assert_accessible(visitor)
    follow(visitor.get_by_role("link", name=f"Version {charter.number}", exact=True))
    assert "This is an earlier version" in visitor.content()
    assert_accessible(visitor)
    screenshots(visitor, "04-earlier-version")


def test_a_manager_withdraws_a_consultation_and_the_comments_are_kept(
    open_tab, site, people, charter, screenshots
):
    from charter import services

    manager_officer = people["manager"]
    draft = services.start_draft(officer=manager_officer, copy_from=charter)
    services.open_consultation(
        version=draft,
        officer=manager_officer,
        closes_on=timezone.localdate() + timedelta(days=14),
    )
    services.comment_on_promise(
        promise=draft.promises.first(),
        resident=people["tenant"],
        text="Could you call back in the evening?",
    )

    manager = open_tab("manager@example.com")
    manager.goto(f"{site}/staff/charter/{draft.pk}/")
    manager.get_by_role("link", name="Withdraw the consultation").click()
    follow(manager.get_by_role("button", name="Withdraw the consultation"))
    assert manager.get_by_text("Say why you are withdrawing the consultation").count() >= 1
    assert_accessible(manager)
    manager.get_by_label("Why are you withdrawing it?").fill(
        "We need to add promises about the new repairs service first."
    )
    follow(manager.get_by_role("button", name="Withdraw the consultation"))
    assert "has been withdrawn" in manager.content()
    screenshots(manager, "06-withdrawn-staff")
    follow(manager.get_by_role("link", name="Read all residents' comments"))
    assert "Could you call back in the evening?" in manager.content()
    assert_accessible(manager)

    tenant = open_tab("tenant@example.com")
    tenant.goto(f"{site}/charter/consultation/{draft.number}/")
    assert tenant.get_by_role("heading", level=1).inner_text() == (
        "This consultation has been withdrawn"
    )
    assert "new repairs service" in tenant.content()
    assert tenant.get_by_text("Waiting for moderation").count() == 1  # their comment, kept
    assert_accessible(tenant)
    screenshots(tenant, "07-withdrawn-public")


def test_a_manager_publishes_the_customer_voice_report(
    open_tab, site, people, charter, screenshots
):
    manager = open_tab("manager@example.com")
    manager.goto(f"{site}/staff/charter/customer-voice/")
    year = CustomerVoiceReport._meta.get_field("year")  # noqa: F841 (the model exists)
    current = date.today().year if date.today().month >= 4 else date.today().year - 1
    label = f"{current} to {current + 1}"
    manager.get_by_role("link", name=label).click()
    manager.get_by_label("Foreword from the customer committee").fill(
        "A year when residents were heard."
    )
    manager.get_by_label("What residents changed this year").fill(
        "Evening repair appointments, everywhere."
    )
    manager.get_by_role("button", name="Save draft").click()
    manager.get_by_role("link", name="Publish this report").click()
    follow(manager.get_by_role("button", name="Publish report"))
    assert manager.get_by_role("heading", level=1).inner_text() == f"Customer voice report {label}"
    assert "A year when residents were heard." in manager.content()

    visitor = open_tab()
    visitor.goto(f"{site}/customer-voice/")
    follow(visitor.get_by_role("link", name=f"Customer voice report {label}"))
    assert "Call-backs made within one working day" in visitor.content()
    assert_accessible(visitor)
    screenshots(visitor, "05-voice-report")
