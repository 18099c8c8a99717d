"""Security headers on every public response (cached or not), the admin login lockout (behind
proxies: test_lockout_proxy.py) and what an editor's API token can do with a revert."""

import pytest
from django.core.cache import cache
from wagtail.models import PageLogEntry

from tests.test_api_tokens import NEW, action, bearer, patch_statement, public_table

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("cached", [False, True], ids=["rendered", "from-the-page-cache"])
def test_public_pages_carry_a_strict_policy_and_the_usual_headers(
    client, module, settings, cached
):
    settings.PAGE_CACHE_SECONDS = 600 if cached else 0
    cache.clear()
    for page in module.one_of_each().values():
        client.get(page.url)
        response = client.get(page.url)
        assert response.get("X-Page-Cache") == ("hit" if cached else None)
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], page.url  # no inline script, no eval
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_infographic_and_the_api_carry_the_policy_too(client, module):
    for url in (f"{module.comparison.url}infographic/", "/api/v3/comparison/"):
        assert directives(client.get(url))["default-src"] == ["'self'"]


def test_the_admin_keeps_its_own_scripts(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_repeated_failed_logins_pause_that_account_from_that_address(
    client, editor, moderator, settings
):
    for user in (editor, moderator):
        user.set_password("the-right-one")
        user.save()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, editor.username, "wrong")
        assert response.status_code == 200  # the login form again, with its error
    locked = attempt(client, editor.username, "wrong")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "15 minutes" in locked.content.decode()
    # Even the right password is refused while it lasts …
    assert attempt(client, editor.username, "the-right-one").status_code == 429
    # … but other people are not locked out with them.
    assert attempt(client, moderator.username, "the-right-one").status_code == 302


def test_a_successful_login_resets_the_count(client, editor, settings):
    editor.set_password("the-right-one")
    editor.save()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, editor.username, "wrong")
    assert attempt(client, editor.username, "the-right-one").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, editor.username, "wrong").status_code == 200


def test_an_editors_api_revert_saves_a_draft_and_publishes_nothing(
    client, module, editor, moderator
):
    """Wagtail 8's v3 revert is a draft for everyone (RevertToPageRevisionAction saves a new
    revision, needing only edit permission); publishing it stays a moderator's step."""
    aspect = module.aspects[0]
    first = aspect.live_revision
    original = first.content["statements"][0]["statement"]
    moderator_token, editor_token = bearer(moderator), bearer(editor)
    patch_statement(client, moderator_token, aspect, NEW)
    assert action(client, moderator_token, aspect, "publish").status_code == 200
    aspect.refresh_from_db()
    live = aspect.live_revision_id
    assert NEW in public_table(client, module)

    response = action(client, editor_token, aspect, "revert", revision_id=first.pk)
    assert response.status_code == 200
    assert original in response.content.decode()  # the page as in the new draft
    aspect.refresh_from_db()
    draft = aspect.latest_revision
    assert draft.pk not in (first.pk, live) and draft.user == editor
    assert draft.content["statements"][0]["statement"] == original
    assert aspect.has_unpublished_changes and aspect.live_revision_id == live
    assert PageLogEntry.objects.filter(page=aspect, action="wagtail.revert", user=editor).exists()
    html = public_table(client, module)
    assert NEW in html and original not in html
    assert action(client, editor_token, aspect, "publish").status_code == 403
    assert NEW in public_table(client, module)

    # A moderator's revert is a draft too; their publish is what brings the old wording back.
    assert (
        action(client, moderator_token, aspect, "revert", revision_id=first.pk).status_code == 200
    )
    assert NEW in public_table(client, module)
    assert action(client, moderator_token, aspect, "publish").status_code == 200
    html = public_table(client, module)
    assert original in html and NEW not in html


def test_a_page_locked_by_a_moderator_cannot_be_reverted_by_an_editor(
    client, module, editor, moderator
):
    """Wagtail 8.0.1's revert checks edit permission only; a lock stops it as it stops PATCH."""
    aspect = module.aspects[0]
    first = aspect.live_revision
    aspect.locked, aspect.locked_by = True, moderator
    aspect.save()
    editor_token, moderator_token = bearer(editor), bearer(moderator)
    response = action(client, editor_token, aspect, "revert", revision_id=first.pk)
    assert response.status_code == 403
    assert "locked" in response.json()["detail"]
    assert aspect.revisions.count() == 1  # no draft was saved
    # The one who holds the lock still may.
    assert (
        action(client, moderator_token, aspect, "revert", revision_id=first.pk).status_code == 200
    )
    assert aspect.revisions.count() == 2
