"""`manage.py load_demo_news`: past newsletters and notices for the demo, safe to run again."""

from io import StringIO

import pytest
from django.core.management import call_command

from engagement.news.models import Issue, IssueStatus, Notice
from engagement.news.selectors import current_notices_for_resident
from portal.models import Notification, NotificationStatus, OfficerRole
from tests import factories as core
from tests.news.factories import living_in

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("load_demo_news", stdout=out)
    return out.getvalue()


def test_without_the_demo_people_it_says_so_and_loads_nothing():
    assert "run load_demo first" in run()
    assert not Issue.objects.exists()


@pytest.fixture
def demo_people():
    block = core.BlockFactory(name="Holly Court")
    tenant = living_in(block, email="tenant@example.com")
    tenant.user = core.UserFactory(email="tenant@example.com")
    tenant.save()
    core.OfficerFactory(user=core.UserFactory(email="officer@example.com"))
    core.OfficerFactory(
        user=core.UserFactory(email="manager@example.com"), role=OfficerRole.MANAGER
    )
    other = core.BlockFactory(name="Barge House")
    living_in(other)
    return tenant, block


def test_it_loads_three_sent_newsletters_and_a_lift_notice_for_the_tenants_block(demo_people):
    tenant, block = demo_people
    assert "Loaded the demo news" in run()
    assert Issue.objects.filter(status=IssueStatus.PUBLISHED).count() == 3
    assert all(issue.sections.count() == 3 for issue in Issue.objects.all())
    # The past newsletters are recorded as delivered then, not sent again now.
    past = Notification.objects.filter(template="news_issue")
    assert past.count() == 6 and not past.exclude(status=NotificationStatus.SENT).exists()
    notices = list(current_notices_for_resident(tenant))
    assert [(n.title, n.block) for n in notices] == [("Lift out of service", block)]
    ended = Notice.objects.get(title="Water off")
    assert ended.ended_at is not None and ended.updates.get().resolves

    assert "0 new" in run()
    assert Issue.objects.count() == 3
