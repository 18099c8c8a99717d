"""Headless preview: a signed, expiring token lets a frontend read one page's draft."""

import json
import time
from unittest import mock

import pytest
from wagtail.models import APIToken

from tests import factories

pytestmark = pytest.mark.django_db


def bearer(user):
    _, token = APIToken.create_token(user=user, name="preview")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def create_token(client, auth, page, **extra):
    body = json.dumps({"page_id": page.pk, **extra})
    return client.post(
        "/api/v3/preview-tokens/", data=body, content_type="application/json", **auth
    )


@pytest.fixture
def draft_lesson(module):
    lesson = module.lessons[0].get_latest_revision_as_object()
    lesson.title = "Draft title"
    lesson.save_revision()
    return module.lessons[0]


def test_a_preview_token_reads_the_draft_and_nothing_else(client, draft_lesson, editor):
    response = create_token(client, bearer(editor), draft_lesson)
    assert response.status_code == 200
    url = response.json()["url"]
    assert client.get(url).json()["title"] == "Draft title"
    # Without the token the draft stays invisible, in every read path.
    assert client.get(f"/api/v3/pages/{draft_lesson.pk}/").json()["title"] != "Draft title"
    assert client.get(f"/api/v3/pages/{draft_lesson.pk}/?version=draft").json()["title"] != (
        "Draft title"
    )
    assert client.get(f"/api/v2/pages/{draft_lesson.pk}/").json()["title"] != "Draft title"
    assert "Draft title" not in client.get("/api/v3/module/").content.decode()


def test_preview_tokens_expire_and_cannot_be_forged(client, draft_lesson, editor):
    url = create_token(client, bearer(editor), draft_lesson, expires_in=60).json()["url"]
    later = time.time() + 120
    with mock.patch("roles.api.preview.time.time", return_value=later):
        assert client.get(url).status_code == 403
    assert client.get(url + "x").status_code == 403
    assert client.get("/api/v3/preview/?token=forged").status_code == 403
    assert client.get("/api/v3/preview/").status_code == 422  # token is required


def test_only_people_who_may_edit_the_page_get_a_token(client, draft_lesson):
    outsider = factories.UserFactory()  # in no group
    assert create_token(client, bearer(outsider), draft_lesson).status_code == 403
    assert create_token(client, {}, draft_lesson).status_code == 401
    too_long = create_token(client, bearer(outsider), draft_lesson, expires_in=10**9)
    assert too_long.status_code == 422
