"""Production settings and the health check."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.db import OperationalError

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    # Each test says which of these it has; tests set the last for Playwright's event loop.
    unwanted = {
        "SECRET_KEY",
        "WAGTAILADMIN_BASE_URL",
        "HTTPS",
        "TRUSTED_PROXIES",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
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
        "check",
        "--deploy",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
        WAGTAILADMIN_BASE_URL="https://example.com",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def base_url(**env):
    """Production's WAGTAILADMIN_BASE_URL with this environment, or the error it stops with."""
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="learn.example.com",
        **env,
    )
    return result.stdout.strip() if result.returncode == 0 else result.stderr


def test_production_refuses_to_start_without_the_admin_base_url():
    # Otherwise password-reset links would point at http://127.0.0.1:8000 (base's default).
    error = base_url()
    assert "ImproperlyConfigured: WAGTAILADMIN_BASE_URL is not set" in error
    assert "e.g. WAGTAILADMIN_BASE_URL=https://learn.example.com" in error
    # Given one, it starts and uses it (a trailing slash would double the one in every link).
    assert base_url(WAGTAILADMIN_BASE_URL="https://learn.example.com/") == (
        "https://learn.example.com"
    )


def test_an_admin_base_url_without_scheme_or_host_is_refused():
    assert "is not an http(s) address" in base_url(WAGTAILADMIN_BASE_URL="learn.example.com")
    assert "is not an http(s) address" in base_url(WAGTAILADMIN_BASE_URL="https://")


def test_a_local_trial_over_plain_http_keeps_the_loopback_default():
    """`make serve` exports HTTPS=false and no base URL; it must still start."""
    assert base_url(HTTPS="false") == "http://127.0.0.1:8000"
    assert base_url(HTTPS="false", WAGTAILADMIN_BASE_URL="http://127.0.0.1:9000") == (
        "http://127.0.0.1:9000"
    )


@pytest.mark.django_db
def test_password_reset_links_point_at_the_admin_base_url(client, editor, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://learn.example.com"
    response = client.post("/admin/password_reset/", {"email": editor.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"\S+/password_reset/confirm/\S+", mail.outbox[0].body).group(0)
    assert link.startswith("https://learn.example.com/admin/password_reset/confirm/")
    # The link works: it leads to the form for a new password.
    confirm = client.get(link.removeprefix("https://learn.example.com"), follow=True)
    assert 'name="new_password1"' in confirm.content.decode()


@pytest.mark.django_db
def test_healthz_says_ok_when_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_names_the_cache_when_it_is_down(client):
    with mock.patch("tpmsite.ops.health.cache.set", side_effect=ConnectionError("refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down: ConnectionError"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_is_down(client):
    with mock.patch("tpmsite.ops.health.connection.cursor", side_effect=OSError("gone")):
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
        with mock.patch("tpmsite.ops.middleware.database_answers", return_value=False):
            away = client.get(module.comparison.url)
    assert away.status_code == 503
    assert "Back in a moment" in away.content.decode() and away["Retry-After"] == "30"


@pytest.mark.parametrize(
    "url, options",
    [
        ("postgres://postgres@127.0.0.1:5432/tpm", {"options": "-c jit=off"}),
        ("sqlite:////tmp/tpm.sqlite3", {}),
    ],
)
def test_postgresql_connections_plan_without_jit(url, options, monkeypatch):
    """On a freshly loaded PostgreSQL database every page took over a second: the JIT
    compiled Wagtail's many-join page queries, planned without table statistics."""
    import runpy

    monkeypatch.setenv("DATABASE_URL", url)
    settings = runpy.run_path(str(ROOT / "site" / "tpmsite" / "settings" / "base.py"))
    assert settings["DATABASES"]["default"].get("OPTIONS", {}) == options


@pytest.mark.django_db
def test_the_suites_database_connection_has_no_jit():
    """The option reaches the server: on the PostgreSQL run, the session says jit is off."""
    from django.db import connection

    if connection.vendor != "postgresql":  # SQLite has no JIT: nothing to show
        assert "OPTIONS" not in connection.settings_dict or not connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
