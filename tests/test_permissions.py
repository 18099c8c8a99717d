"""Who may see and do what: each row names a request and what each kind of user gets.

Outcomes: "ok" (answered), "draft" (answered, showing unpublished wording), "login" (sent to
the admin login), "denied" (403, or the admin's "no permission" redirect to the dashboard),
"unauth" (401: the API wants a token), "missing" (404). The API is called with each user's
Wagtail API token (a session cookie is ignored there, see the last read rows); the site and
the admin with their session.
"""

import json
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.models import APIToken

from tests import factories
from tests.conftest import build_module

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "editor", "moderator", "superuser")
DRAFT = "Unpublished wording"


@dataclass
class World:
    module: object
    lesson: object  # live, with a newer draft titled DRAFT
    draft_only: object  # never published
    sessions: dict
    tokens: dict


@pytest.fixture
def world(db, editor, moderator, django_user_model):
    module = build_module(roles=2, aspects=1, lessons=2)
    lesson = module.lessons[0]
    draft = lesson.get_latest_revision_as_object()
    draft.title = DRAFT
    draft.save_revision(user=editor)
    draft_only = factories.LessonPageFactory(parent=module.home, live=False, title=DRAFT)
    users = {
        "editor": editor,
        "moderator": moderator,
        "superuser": django_user_model.objects.create_superuser("root", "r@example.com", "pw"),
    }
    sessions = {"anonymous": Client()}
    tokens = {"anonymous": {}}
    for name, user in users.items():
        sessions[name] = Client()
        sessions[name].force_login(user)
        _, key = APIToken.create_token(user=user, name=name)
        tokens[name] = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    return World(module, lesson, draft_only, sessions, tokens)


def outcome(response):
    status, location = response.status_code, response.get("Location", "")
    if 200 <= status < 300:
        return "draft" if DRAFT in response.content.decode(errors="replace") else "ok"
    if status == 302 and location.startswith("/admin/login/"):
        return "login"
    if status == 403 or (status == 302 and location == "/admin/"):
        return "denied"
    return {401: "unauth", 404: "missing"}.get(status, f"status {status}")


def edit_url(name):
    return lambda w: reverse(f"wagtailadmin_pages:{name}", args=[w.lesson.pk])


# (row, how the request is authenticated, URL, what anonymous/editor/moderator/superuser get)
READS = [
    ("public page", "session", lambda w: w.module.home.url, "ok ok ok ok"),
    ("live page with a newer draft", "session", lambda w: w.lesson.url, "ok ok ok ok"),
    ("never-published page", "session", lambda w: w.draft_only.url, "missing " * 4),
    ("admin dashboard", "session", lambda w: "/admin/", "login draft draft draft"),
    ("admin page edit", "session", edit_url("edit"), "login draft draft draft"),
    ("admin draft preview", "session", edit_url("view_draft"), "login draft draft draft"),
    ("admin page history", "session", edit_url("history"), "login draft draft draft"),
    (
        "admin revision preview",
        "session",
        lambda w: reverse(
            "wagtailadmin_pages:revisions_view", args=[w.lesson.pk, w.lesson.latest_revision_id]
        ),
        "login draft draft draft",
    ),
    (
        "admin comparison matrix",
        "session",
        lambda w: reverse("comparison_matrix"),
        "login ok ok ok",
    ),
    (
        "admin users",
        "session",
        lambda w: reverse("wagtailusers_users:index"),
        "login denied denied ok",
    ),
    ("API v2 list", "session", lambda w: "/api/v2/pages/", "ok ok ok ok"),
    ("API v2 live page", "session", lambda w: f"/api/v2/pages/{w.lesson.pk}/", "ok ok ok ok"),
    (
        "API v2 draft-only page",
        "session",
        lambda w: f"/api/v2/pages/{w.draft_only.pk}/",
        "missing " * 4,
    ),
    ("API v3 list", "token", lambda w: "/api/v3/pages/?limit=20", "ok draft draft draft"),
    ("API v3 live page", "token", lambda w: f"/api/v3/pages/{w.lesson.pk}/", "ok ok ok ok"),
    (
        "API v3 live page, draft version",
        "token",
        lambda w: f"/api/v3/pages/{w.lesson.pk}/?version=draft",
        "ok draft draft draft",
    ),
    (
        "API v3 draft-only page",
        "token",
        lambda w: f"/api/v3/pages/{w.draft_only.pk}/",
        "missing draft draft draft",
    ),
    (
        "API v3 revisions",
        "token",
        lambda w: f"/api/v3/pages/{w.lesson.pk}/revisions/",
        "unauth draft draft draft",
    ),
    (
        "API v3 revision detail",
        "token",
        lambda w: f"/api/v3/pages/{w.lesson.pk}/revisions/{w.lesson.latest_revision_id}/",
        "unauth draft draft draft",
    ),
    ("API v3 module bundle", "token", lambda w: "/api/v3/module/", "ok ok ok ok"),
    ("API v3 comparison", "token", lambda w: "/api/v3/comparison/", "ok ok ok ok"),
    # An admin session cookie does not open the API: only a token does.
    (
        "API v3 draft-only page, session",
        "session",
        lambda w: f"/api/v3/pages/{w.draft_only.pk}/",
        "missing " * 4,
    ),
    (
        "API v3 revisions, session",
        "session",
        lambda w: f"/api/v3/pages/{w.lesson.pk}/revisions/",
        "unauth " * 4,
    ),
]


@pytest.mark.parametrize("row, auth, url, expected", READS, ids=[r[0] for r in READS])
def test_who_may_read_what(world, row, auth, url, expected):
    observed = {}
    for actor in ACTORS:
        if auth == "token":
            response = Client().get(url(world), **world.tokens[actor])
        else:
            response = world.sessions[actor].get(url(world))
        observed[actor] = outcome(response)
    assert observed == dict(zip(ACTORS, expected.split(), strict=True))


def api(method, path, body=None):
    """A write through the v3 API, as a function of the world and the caller's token."""

    def call(world, auth):
        data = json.dumps(body(world) if callable(body) else body or {})
        return getattr(Client(), method)(
            path(world), data=data, content_type="application/json", **auth
        )

    return call


def page_action(name, body=None):
    return api("post", lambda w: f"/api/v3/pages/{w.lesson.pk}/actions/{name}/", body)


def live_state():
    """What learners can reach: every live page with the revision it shows."""
    from wagtail.models import Page

    return set(Page.objects.live().values_list("pk", "live_revision_id", "title", "url_path"))


# (row, request, the status anonymous/editor/moderator/superuser get). Whatever the answer,
# anonymous users and editors must leave what learners see exactly as it was.
WRITES = [
    (
        "PATCH a draft",
        api("patch", lambda w: f"/api/v3/pages/{w.lesson.pk}/", {"title": "New"}),
        "401 200 200 200",
    ),
    (
        "PATCH and publish",
        api(
            "patch",
            lambda w: f"/api/v3/pages/{w.lesson.pk}/",
            {"title": "New", "meta": {"action": "publish"}},
        ),
        "401 403 200 200",
    ),
    ("publish", page_action("publish"), "401 403 200 200"),
    ("unpublish", page_action("unpublish"), "401 403 200 200"),
    (
        "revert (to a new draft)",
        page_action("revert", lambda w: {"revision_id": w.lesson.live_revision_id}),
        "401 200 200 200",
    ),
    (
        "delete a live page",
        api("delete", lambda w: f"/api/v3/pages/{w.lesson.pk}/"),
        "401 403 204 204",
    ),
    (
        "move a live page",
        page_action(
            "move", lambda w: {"destination_id": w.module.home.pk, "position": "last-child"}
        ),
        "401 403 200 200",
    ),
    ("copy, keeping it live", page_action("copy", {"slug": "copied"}), "401 403 201 201"),
    (
        "copy as a draft",
        page_action("copy", {"slug": "copied", "keep_live": False}),
        "401 201 201 201",
    ),
    (
        "create and publish",
        api(
            "post",
            lambda w: "/api/v3/pages/",
            lambda w: {
                "meta": {
                    "type": "roles.LessonPage",
                    "parent_id": w.module.home.pk,
                    "action": "publish",
                },
                "title": "Created",
                "slug": "created",
                "body": [{"type": "heading", "value": "Hello"}],
            },
        ),
        "401 403 201 201",
    ),
    (
        "preview token",
        api("post", lambda w: "/api/v3/preview-tokens/", lambda w: {"page_id": w.lesson.pk}),
        "401 200 200 200",
    ),
]


@pytest.mark.parametrize("row, request_, expected", WRITES, ids=[r[0] for r in WRITES])
def test_who_may_write_what(world, row, request_, expected):
    observed = {}
    for actor in ACTORS:
        # Each user starts from the same tree: their write is rolled back afterwards.
        with transaction.atomic():
            before = live_state()
            response = request_(world, world.tokens[actor])
            observed[actor] = str(response.status_code)
            if actor in ("anonymous", "editor"):
                assert live_state() == before, f"{actor} changed the live site: {row}"
            transaction.set_rollback(True)
    assert observed == dict(zip(ACTORS, expected.split(), strict=True))
