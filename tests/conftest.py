import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from tests import factories


def pytest_configure(config):
    """DOORSTEP_TEST_NOW=2026-12-24T16:55 runs the suite as if the London clock read that moment
    (and ticked on from it), to catch tests that pass only at some times of day or year."""
    moment = os.environ.get("DOORSTEP_TEST_NOW")
    if moment:
        import time_machine

        start = datetime.fromisoformat(moment)
        if start.tzinfo is None:
            start = start.replace(tzinfo=ZoneInfo("Europe/London"))
        time_machine.travel(start, tick=True).start()


@pytest.fixture(scope="session", autouse=True)
def _static_root():
    """WhiteNoise warns, on every request handler it starts, when STATIC_ROOT does not exist yet
    (collectstatic has not run on a fresh clone). Tests serve static files from their sources."""
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: no manifest needed for static files, mail kept in memory, media in a temp
    folder, Celery tasks run in the test's own process, and a clean cache."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.NOTIFY_API_KEY = ""
    settings.STAFF_REQUIRE_MFA = False
    # Hashing passwords properly is slow by design; tests need it fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resident(db):
    return factories.resident_with_home()


@pytest.fixture
def resident_client(client, resident):
    client.force_login(resident.user)
    return client


@pytest.fixture
def officer(db):
    return factories.OfficerFactory()


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer.user)
    return client
