"""Writing through the v3 API with Wagtail API tokens: the admin's permissions, no more."""

import json

import pytest
from wagtail.models import APIToken

pytestmark = pytest.mark.django_db

NEW = "Rewritten through the API"


def bearer(user):
    _, token = APIToken.create_token(user=user, name=f"{user.username} token")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def patch_statement(client, auth, aspect, text, role=None):
    rows = [
        {"id": s.pk, "role_id": s.role_id, "statement": s.statement}
        for s in aspect.statements.order_by("sort_order")
    ]
    rows[0]["statement"] = text
    if role is not None:
        rows[1]["role_id"] = role.pk
    body = json.dumps({"statements": rows, "change_note": "Edited over the API"})
    return client.patch(
        f"/api/v3/pages/{aspect.pk}/", data=body, content_type="application/json", **auth
    )


def public_table(client, module):
    return client.get(module.comparison.url).content.decode()


def action(client, auth, page, name, **body):
    return client.post(
        f"/api/v3/pages/{page.pk}/actions/{name}/",
        data=json.dumps(body),
        content_type="application/json",
        **auth,
    )


def test_an_editor_token_saves_drafts_and_reads_revisions_but_cannot_publish(
    client, module, editor
):
    auth = bearer(editor)
    aspect = module.aspects[0]
    assert patch_statement(client, auth, aspect, NEW).status_code == 200
    aspect.refresh_from_db()
    assert aspect.has_unpublished_changes
    assert NEW not in public_table(client, module)

    revisions = client.get(f"/api/v3/pages/{aspect.pk}/revisions/", **auth).json()
    assert revisions["count"] == 2
    latest = client.get(
        f"/api/v3/pages/{aspect.pk}/revisions/{aspect.latest_revision_id}/", **auth
    )
    assert latest.status_code == 200

    assert action(client, auth, aspect, "publish").status_code == 403
    assert action(client, auth, aspect, "unpublish").status_code == 403
    assert NEW not in public_table(client, module)


def test_a_moderator_token_publishes_unpublishes_and_reverts(client, module, moderator):
    auth = bearer(moderator)
    aspect = module.aspects[0]
    first = aspect.live_revision
    original = first.content["statements"][0]["statement"]
    patch_statement(client, auth, aspect, NEW)
    assert action(client, auth, aspect, "publish").status_code == 200
    assert NEW in public_table(client, module)

    assert action(client, auth, aspect, "revert", revision_id=first.pk).status_code == 200
    assert action(client, auth, aspect, "publish").status_code == 200
    html = public_table(client, module)
    assert original in html and NEW not in html

    assert action(client, auth, aspect, "unpublish").status_code == 200
    assert aspect.title not in public_table(client, module)


def test_the_admins_validation_applies_to_api_writes(client, module, moderator):
    auth = bearer(moderator)
    aspect = module.aspects[0]
    response = patch_statement(client, auth, aspect, "x", role=module.roles[0])
    assert response.status_code == 422
    assert "already has a statement on this aspect" in response.content.decode()


def test_anonymous_and_bad_tokens_cannot_write_or_read_revisions(client, module):
    aspect = module.aspects[0]
    bad = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    for auth in ({}, bad):
        assert client.get(f"/api/v3/pages/{aspect.pk}/revisions/", **auth).status_code == 401
        assert patch_statement(client, auth, aspect, NEW).status_code == 401
        assert action(client, auth, aspect, "publish").status_code == 401
    assert NEW not in public_table(client, module)
