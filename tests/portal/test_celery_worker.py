"""One test with a real Celery worker: a separate process, a Redis broker, the test's PostgreSQL
database, no eager mode. It proves the beat sweep's task, the outbox's delivery task and their
wiring work outside the test process.

The worker gets a queue of its own (a fresh name, in Redis database 15), so test runs side by
side, with pytest-xdist or on one machine, never take each other's messages.
"""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.utils import timezone

from portal.celery import app as celery_app
from portal.models import Notification, NotificationStatus, ReminderStage
from portal.services.enquiries import make_enquiry
from portal.tasks import sweep_deadline_reminders
from tests import factories

REDIS_URL = os.environ.get("REDIS_URL", "")
WORKER_REDIS_DB = 15
# A worker on a busy CI machine can take a while to start; once started, the work takes seconds.
START_SECONDS = 90
WAIT_SECONDS = 30

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not REDIS_URL, reason="needs Redis for the broker: set REDIS_URL (CI does)"),
    pytest.mark.skipif(
        bool(os.environ.get("DOORSTEP_TEST_NOW")),
        reason="the worker is a process of its own, on the real clock, not DOORSTEP_TEST_NOW's",
    ),
]


def redis_url_with_db(url: str, db: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{db}"))


def database_url(db: dict) -> str:
    """The test database as a DATABASE_URL the worker's settings can read."""
    auth = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db.get("HOST") or "localhost", safe="")  # a socket directory is quoted whole
    port = db.get("PORT") or "5432"
    return f"postgres://{auth}@{host}:{port}/{quote(db['NAME'], safe='')}"


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A Celery worker process on a queue of its own, stopped (before the database is emptied)
    when the test ends."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker must share the test's database: run against PostgreSQL (CI does)")
    queue = f"doorstep-test-{uuid.uuid4().hex[:12]}"
    broker = redis_url_with_db(REDIS_URL, WORKER_REDIS_DB)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url(connection.settings_dict),
        "REDIS_URL": broker,
        # Every task the worker queues (the outbox's deliveries) goes to its own queue too.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "consolemail://",
        "NOTIFY_API_KEY": "",
        "CONN_MAX_AGE": "0",
    }
    log = tmp_path / "worker.log"
    command = [
        str(Path(sys.executable).with_name("celery")), "-A", "portal", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_ready(process, log)
        yield SimpleNamespace(queue=queue, broker=broker, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _forget_queue(broker, queue)


def _wait_until_ready(process, log: Path) -> None:
    give_up = time.monotonic() + START_SECONDS
    while b" ready." not in log.read_bytes():
        if process.poll() is not None:
            pytest.fail(
                "the Celery worker stopped as it started:\n" + log.read_text(errors="replace")
            )
        if time.monotonic() > give_up:
            pytest.fail(
                "the Celery worker did not start in time:\n" + log.read_text(errors="replace")
            )
        time.sleep(0.25)


def _forget_queue(broker: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(broker)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sweeps_an_overdue_call_back_and_emails_the_officer(worker):
    resident = factories.resident_with_home()
    home = resident.tenancies.get().home
    officer = factories.OfficerFactory(name="Pat Patch", patch=home.neighbourhood)
    # Asked a week ago and never called back: the call-back is overdue now.
    with time_machine.travel(timezone.now() - timedelta(days=7), tick=False):
        case = make_enquiry(
            resident=resident, home=home, question="Is my rent going up?", channel="phone"
        )
    assert not Notification.objects.filter(officer=officer).exists()

    celery_app.conf.task_always_eager = False
    with celery_app.connection_for_write(worker.broker) as broker:
        sweep_deadline_reminders.apply_async(queue=worker.queue, connection=broker)

    reminders = Notification.objects.filter(
        officer=officer, case=case, template="deadline_reminder"
    )
    # Another process does the work: polling the database is the only way to see it done.
    give_up = time.monotonic() + WAIT_SECONDS
    delivered = reminders.filter(status=NotificationStatus.SENT)
    while not delivered.exists() and time.monotonic() < give_up:
        time.sleep(0.25)

    sent = delivered.first()
    worker_said = worker.log.read_text(errors="replace")
    assert sent is not None, f"no reminder delivered; the worker said:\n{worker_said}"
    assert sent.subject == f"Overdue: call back for {case.reference}"
    assert sent.to == officer.user.email
    assert case.deadlines.get().reminders.filter(stage=ReminderStage.OVERDUE).count() == 1
