"""Production settings and the health check."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # A deployment has neither of these; tests set the second for Playwright's event loop.
    unwanted = {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in unwanted}
    environment.update(DJANGO_SETTINGS_MODULE="tpmsite.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_reports_no_issues():
    result = manage(
        "check", "--deploy", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.com"
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_healthz_says_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_names_the_cache_when_it_is_down(client):
    with mock.patch("roles.views.cache.set", side_effect=ConnectionError("refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down: ConnectionError"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_is_down(client):
    with mock.patch("roles.views.connection.cursor", side_effect=OSError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down: OSError"


@pytest.mark.django_db
def test_a_database_error_is_a_503_only_when_the_database_is_away(client, module):
    """A bad query while the database answers is a server error (500) to be fixed, not
    "back in a moment"; the database being away is the 503 (with a real one in test_faults)."""
    client.raise_request_exception = False
    broken = mock.patch(
        "roles.models.ComparisonPage.get_context", side_effect=OperationalError("no such table")
    )
    with broken:
        assert client.get(module.comparison.url).status_code == 500
        with mock.patch("roles.middleware.database_answers", return_value=False):
            away = client.get(module.comparison.url)
    assert away.status_code == 503
    assert "Back in a moment" in away.content.decode() and away["Retry-After"] == "30"
