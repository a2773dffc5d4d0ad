"""The production set-up: the compose file is valid, and Django's deployment checks pass."""

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(64),
    "POSTGRES_PASSWORD": "a-database-password",
    "ALLOWED_HOSTS": "homes.example.org",
    "SITE_URL": "https://homes.example.org",
}


def compose_command():
    """`docker compose` (the v2 plugin) if present, else Debian's docker-compose 1.29."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.skip("Neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)")


def run_compose_config(env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    return subprocess.run(
        [*compose_command(), "--file", str(ROOT / "docker-compose.yml"), "config"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_compose_file_is_accepted_with_the_production_settings_given():
    result = run_compose_config(PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    for service in ("web:", "worker:", "beat:", "migrate:", "db:", "redis:"):
        assert service in result.stdout


def test_the_compose_file_refuses_to_run_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}

    result = run_compose_config(env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_djangos_deployment_checks_pass_with_https_on_and_debug_off(tmp_path):
    # Only what a production process would have: nothing from the test run leaks in (the browser
    # tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the deployment checks rightly refuse).
    env = {
        **{k: os.environ[k] for k in ("PATH", "HOME", "LANG", "TMPDIR") if k in os.environ},
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "HTTPS": "true",
        "SECRET_KEY": PRODUCTION_ENV["SECRET_KEY"],
        "ALLOWED_HOSTS": "homes.example.org",
        "VAR_DIR": str(tmp_path),
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_scheduled_job_names_a_task_the_worker_knows(settings):
    """A beat entry naming a task no worker has would be dropped by the worker, silently, every time."""
    from portal.celery import app

    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()
    assert "portal.tasks.sweep_deadline_reminders" in scheduled
