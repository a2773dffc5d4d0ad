"""The news pages: staff write, preview and publish; residents and the public read; who may do what."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from engagement.news import services
from engagement.news.models import Issue, IssueStatus, Notice, Section
from portal.models import AuditEntry, Channel
from tests import factories as core
from tests.news.factories import IssueFactory, SectionFactory, living_in, manager

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client():
    return client_for(manager().user)


def png(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="PNG")
    return SimpleUploadedFile("garden.png", out.getvalue(), content_type="image/png")


def publish(issue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish_issue(issue=issue, officer=manager())


# -- writing ------------------------------------------------------------------------------------------------


def test_an_officer_writes_a_draft_and_the_same_form_sent_twice_makes_one(officer_client):
    token = str(uuid.uuid4())
    data = {
        "title": "Winter news",
        "summary": "Heating help and the carol service.",
        "submission_token": token,
    }
    first = officer_client.post("/staff/news/issues/new/", data)
    second = officer_client.post("/staff/news/issues/new/", data)
    assert first.status_code == second.status_code == 302
    issue = Issue.objects.get()
    assert first["Location"] == second["Location"] == f"/staff/news/issues/{issue.pk}/"
    assert issue.status == IssueStatus.DRAFT


def test_a_blank_issue_form_says_what_is_missing(officer_client):
    page = officer_client.post(
        "/staff/news/issues/new/", {"title": "", "summary": ""}
    ).content.decode()
    assert "There is a problem" in page
    assert "Enter a title" in page and "Enter a summary" in page


def test_a_section_with_a_picture_needs_a_description_and_keeps_the_text_typed(officer_client):
    issue = IssueFactory()
    response = officer_client.post(
        f"/staff/news/issues/{issue.pk}/sections/new/",
        {
            "heading": "Garden competition",
            "text": "The winners are in.",
            "image": png(),
            "image_alt": "",
        },
    )
    page = response.content.decode()
    assert "Describe the picture for people who cannot see it" in page
    assert "The winners are in." in page
    assert not Section.objects.exists()


def test_a_picture_is_checked_by_its_content_and_served_with_the_issue(
    officer_client, django_capture_on_commit_callbacks
):
    issue = IssueFactory()
    fake = SimpleUploadedFile("garden.png", b"not a picture at all", content_type="image/png")
    refused = officer_client.post(
        f"/staff/news/issues/{issue.pk}/sections/new/",
        {"heading": "Garden", "text": "Text", "image": fake, "image_alt": "Flowers"},
    )
    assert "garden.png must be a JPG or PNG picture" in refused.content.decode()

    officer_client.post(
        f"/staff/news/issues/{issue.pk}/sections/new/",
        {
            "heading": "Garden",
            "text": "Text",
            "image": png(),
            "image_alt": "Flowers in the community garden",
        },
    )
    section = Section.objects.get()
    assert section.image_content_type == "image/png"
    picture_url = f"/news/pictures/{section.image_id}/"
    assert Client().get(picture_url).status_code == 404  # a draft's pictures are for staff
    assert officer_client.get(picture_url).status_code == 200

    publish(issue, django_capture_on_commit_callbacks)
    response = Client().get(picture_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    page = Client().get(f"/news/{issue.pk}/").content.decode()
    assert 'alt="Flowers in the community garden"' in page


def test_a_picture_over_the_size_limit_is_refused(officer_client, settings):
    settings.NEWS_IMAGE_MAX_BYTES = 100
    issue = IssueFactory()
    page = officer_client.post(
        f"/staff/news/issues/{issue.pk}/sections/new/",
        {"heading": "Garden", "text": "Text", "image": png((400, 400)), "image_alt": "Flowers"},
    ).content.decode()
    assert "must be smaller than" in page


def test_sections_can_be_reordered_and_removed(officer_client):
    issue = IssueFactory()
    first, second = (
        SectionFactory(issue=issue, heading="First"),
        SectionFactory(issue=issue, heading="Second"),
    )
    officer_client.post(
        f"/staff/news/issues/{issue.pk}/sections/{second.pk}/move/", {"direction": "up"}
    )
    assert [s.heading for s in issue.sections.all()] == ["Second", "First"]
    officer_client.post(f"/staff/news/issues/{issue.pk}/sections/{first.pk}/remove/")
    assert [s.heading for s in issue.sections.all()] == ["Second"]


def test_the_preview_shows_the_page_the_email_and_the_text_message(officer_client):
    section = SectionFactory(heading="New repairs hours", text="Evenings now too.")
    page = officer_client.get(f"/staff/news/issues/{section.issue_id}/preview/").content.decode()
    assert "New repairs hours" in page
    assert "Evenings now too." in page
    assert "Subject:</strong> " + section.issue.title in page
    assert "newsletter: " + section.issue.title + ". Read it at http" in page


# -- publishing ---------------------------------------------------------------------------------------------


def test_a_manager_publishes_and_sees_who_it_went_to(
    manager_client, django_capture_on_commit_callbacks
):
    estate = core.EstateFactory()
    living_in(estate=estate, channel=Channel.EMAIL)
    living_in(estate=estate, channel=Channel.LETTER)
    issue = SectionFactory().issue
    assert (
        "Publish and send"
        in manager_client.get(f"/staff/news/issues/{issue.pk}/publish/").content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/staff/news/issues/{issue.pk}/publish/")
    assert response.status_code == 302
    page = manager_client.get(f"/staff/news/issues/{issue.pk}/").content.decode()
    assert "Print the letters" in page
    assert Client().get(f"/news/{issue.pk}/").status_code == 200


def test_an_officer_cannot_publish_or_send_notices(officer_client):
    issue = SectionFactory().issue
    assert officer_client.post(f"/staff/news/issues/{issue.pk}/publish/").status_code == 403
    assert officer_client.get("/staff/news/notices/new/").status_code == 403
    assert Issue.objects.get().status == IssueStatus.DRAFT


def test_a_draft_is_not_public_and_a_published_issue_cannot_be_changed(
    officer_client, django_capture_on_commit_callbacks
):
    issue = SectionFactory().issue
    assert Client().get(f"/news/{issue.pk}/").status_code == 404
    publish(issue, django_capture_on_commit_callbacks)
    assert officer_client.get(f"/staff/news/issues/{issue.pk}/edit/").status_code == 404
    assert officer_client.get(f"/staff/news/issues/{issue.pk}/sections/new/").status_code == 404


def test_residents_and_the_public_cannot_open_staff_pages(resident_client):
    assert resident_client.get("/staff/news/").status_code == 403
    assert Client().get("/staff/news/").status_code == 302  # to sign in


# -- notices ------------------------------------------------------------------------------------------------


def test_a_manager_sends_a_block_notice_from_the_form(
    manager_client, django_capture_on_commit_callbacks
):
    block = core.BlockFactory(name="Ivy House")
    resident = living_in(block)
    form = manager_client.get("/staff/news/notices/new/").content.decode()
    assert f'value="block:{block.pk}"' in form
    data = {
        "title": "Lift out of service",
        "where": f"block:{block.pk}",
        "details": "Engineer booked.",
        "end_date_0": "1",
        "end_date_1": "12",
        "end_date_2": "2030",
        "end_time": "5pm",
        "submission_token": str(uuid.uuid4()),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post("/staff/news/notices/new/", data)
    notice = Notice.objects.get()
    assert response["Location"] == f"/staff/news/notices/{notice.pk}/"
    assert notice.block == block and notice.estate == block.estate
    assert notice.expected_end_at.isoformat() == "2030-12-01T17:00:00+00:00"
    assert resident.news_deliveries.count() == 1


def test_a_notice_form_with_a_bad_time_keeps_what_was_typed(manager_client):
    block = core.BlockFactory()
    page = manager_client.post(
        "/staff/news/notices/new/",
        {
            "title": "Water off",
            "where": f"block:{block.pk}",
            "details": "Mains burst",
            "start_time": "25 o'clock",
        },
    ).content.decode()
    assert "Enter the start time in the form 14:30 or 2:30pm" in page
    assert "Mains burst" in page
    assert not Notice.objects.exists()


def test_the_resident_sees_their_blocks_notice_on_their_home_page_while_it_lasts(
    client, django_capture_on_commit_callbacks
):
    block = core.BlockFactory(name="Holly Court")
    tenant = living_in(block)
    tenant.user = core.UserFactory(email=tenant.email)
    tenant.save()
    neighbour_elsewhere = living_in(core.BlockFactory(estate=block.estate))
    neighbour_elsewhere.user = core.UserFactory(email=neighbour_elsewhere.email)
    neighbour_elsewhere.save()
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.send_notice(
            officer=manager(),
            title="Lift out of service",
            details="Engineer booked.",
            estate=block.estate,
            block=block,
        )

    client.force_login(tenant.user)
    assert "Lift out of service" in client.get("/").content.decode()
    client.force_login(neighbour_elsewhere.user)
    assert "Lift out of service" not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.update_notice(
            notice=notice, officer=manager(), message="Fixed today.", resolves=True
        )
    client.force_login(tenant.user)
    assert "Lift out of service" not in client.get("/").content.decode()
    public = Client().get(f"/service-updates/?estate={block.estate_id}").content.decode()
    assert "Lift out of service" in public and "Ended" in public


def test_the_letters_page_and_csv_list_the_post_residents_and_are_audited(
    officer_client, django_capture_on_commit_callbacks
):
    estate = core.EstateFactory()
    by_post = living_in(
        estate=estate,
        channel=Channel.LETTER,
        first_name="Gareth",
        last_name="Lloyd",
        needs_large_print=True,
    )
    living_in(estate=estate, channel=Channel.EMAIL, first_name="Emma", last_name="Mail")
    issue = publish(
        SectionFactory(heading="Rent next year").issue, django_capture_on_commit_callbacks
    )
    mailing = issue.mailing

    page = officer_client.get(f"/staff/news/sent/{mailing.pk}/letters/").content.decode()
    assert page.count('class="ds-letter ds-letter--large"') == 1
    assert "Gareth Lloyd" in page and "Rent next year" in page and "Emma Mail" not in page
    csv_response = officer_client.get(f"/staff/news/sent/{mailing.pk}/letters.csv")
    rows = b"".join(csv_response.streaming_content).decode().splitlines()
    home = by_post.tenancies.get().home
    assert rows[0] == "name,address_line_1,address_line_2,address_line_3,town,postcode,large_print"
    assert rows[1] == f"Gareth Lloyd,{home.address_line_1},,,{home.town},{home.postcode},yes"
    assert len(rows) == 2
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_the_failures_page_lists_residents_who_could_not_be_reached(
    officer_client, django_capture_on_commit_callbacks
):
    living_in(
        estate=core.EstateFactory(),
        channel=Channel.TEXT,
        email="",
        phone="",
        first_name="Nora",
        last_name="Nobody",
    )
    issue = publish(SectionFactory().issue, django_capture_on_commit_callbacks)
    page = officer_client.get(f"/staff/news/sent/{issue.mailing.pk}/failures/").content.decode()
    assert "Nora Nobody" in page and "No phone number or email address on file" in page


def test_the_subject_access_export_lists_what_a_resident_was_sent(
    django_capture_on_commit_callbacks,
):
    from portal.extensions import subject_access_sections

    resident = living_in(estate=core.EstateFactory())
    issue = publish(SectionFactory().issue, django_capture_on_commit_callbacks)
    exported = subject_access_sections()["news"](resident)
    assert [(row["title"], row["channel"]) for row in exported] == [(issue.title, "Email")]


# -- query counts -------------------------------------------------------------------------------------------


def grow(django_capture_on_commit_callbacks, block, how_many):
    for _ in range(how_many):
        living_in(block, channel=Channel.LETTER)
        living_in(block, channel=Channel.EMAIL, email="", phone="")
        section = SectionFactory()
        SectionFactory(issue=section.issue)
        publish(section.issue, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            notice = services.send_notice(
                officer=manager(),
                title="Water off",
                details="Burst main.",
                estate=block.estate,
                block=block,
            )
            services.update_notice(notice=notice, officer=manager(), message="Still off.")


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ("public", "/news/"),
    ("public", "/news/{issue}/"),
    ("public", "/service-updates/"),
    ("public", "/service-updates/?estate={estate}"),
    ("public", "/service-updates/{notice}/"),
    ("tenant", "/"),
    ("staff", "/staff/news/"),
    ("staff", "/staff/news/issues/{issue}/"),
    ("staff", "/staff/news/notices/"),
    ("staff", "/staff/news/notices/{notice}/"),
    ("staff", "/staff/news/sent/{mailing}/letters/"),
    ("staff", "/staff/news/sent/{mailing}/failures/"),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_a_news_page_costs_the_same_queries_however_much_there_is(
    who, url, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    block = core.BlockFactory()
    tenant = living_in(block)
    tenant.user = core.UserFactory(email=tenant.email)
    tenant.save()
    clients = {
        "public": Client(),
        "tenant": client_for(tenant.user),
        "staff": client_for(manager().user),
    }

    def target():
        issue = Issue.objects.order_by("-pk").first()
        return url.format(
            issue=issue.pk,
            mailing=issue.mailing.pk,
            notice=Notice.objects.order_by("-pk").first().pk,
            estate=block.estate_id,
        )

    grow(django_capture_on_commit_callbacks, block, 1)
    few = queries_for(clients[who], target())
    grow(django_capture_on_commit_callbacks, block, 3)
    bigger = target()
    with django_assert_max_num_queries(few):
        assert clients[who].get(bigger).status_code == 200


def test_a_section_is_changed_and_its_picture_removed(officer_client):
    issue = IssueFactory()
    officer_client.post(
        f"/staff/news/issues/{issue.pk}/sections/new/",
        {"heading": "Garden", "text": "Old text", "image": png(), "image_alt": "Flowers"},
    )
    section = Section.objects.get()
    form = officer_client.get(
        f"/staff/news/issues/{issue.pk}/sections/{section.pk}/"
    ).content.decode()
    assert "Remove the picture" in form and "Old text" in form
    officer_client.post(
        f"/staff/news/issues/{issue.pk}/sections/{section.pk}/",
        {"heading": "Garden party", "text": "New text", "image_alt": "", "remove_image": "on"},
    )
    section.refresh_from_db()
    assert (section.heading, section.text, bool(section.image), section.image_alt) == (
        "Garden party",
        "New text",
        False,
        "",
    )
