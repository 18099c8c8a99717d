"""Page actions whose target cannot exist, and uploads Django cannot parse: Wagtail 8.0.1's v3
API answered them 500 (or with an HTML page); they get a 4xx problem response saying why, and
the same action on an ordinary target still works."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import APIToken, Page

from tests.test_api_writes import problem, write

pytestmark = pytest.mark.django_db


def action(client, user, page_id, name, **body):
    return write(client, user, "post", f"/api/v3/pages/{page_id}/actions/{name}/", body)


def test_the_root_page_cannot_be_copied_or_aliased(client, module, moderator):
    root = Page.get_first_root_node()
    for name in ("copy", "create_alias"):
        for body in ({}, {"destination_id": module.home.pk}):
            response = action(client, moderator, root.pk, name, **body)
            problem(response, 422, "root of the page tree cannot be copied")

    lesson = module.lessons[0]
    copied = action(client, moderator, lesson.pk, "copy")
    assert copied.status_code == 201, copied.content[:300]
    alias = action(client, moderator, lesson.pk, "create_alias")
    assert alias.status_code == 201, alias.content[:300]
    assert alias.json()["meta"]["alias_of"]["id"] == lesson.pk


def test_nothing_moves_beside_the_root(client, module, moderator):
    lesson, root = module.lessons[0], Page.get_first_root_node()
    for position in [None, "left", "right", "first-sibling", "last-sibling"]:
        body = {"destination_id": root.pk}
        if position:
            body["position"] = position
        response = action(client, moderator, lesson.pk, "move", **body)
        errors = problem(response, 422, "has no siblings")["errors"]
        assert errors[0]["loc"] == ["body", "position"]

    last = module.lessons[-1]
    moved = action(client, moderator, lesson.pk, "move", destination_id=last.pk, position="right")
    assert moved.status_code == 200, moved.content[:300]
    order = list(module.home.get_children().values_list("pk", flat=True))
    assert order.index(lesson.pk) == order.index(last.pk) + 1


def test_an_alias_is_neither_published_nor_edited_but_follows_its_page(client, module, moderator):
    lesson = module.lessons[0]
    alias = lesson.create_alias(update_slug="lesson-alias")
    problem(action(client, moderator, alias.pk, "publish"), 422, f"alias of page {lesson.pk}")
    for meta in ({}, {"meta": {"action": "publish"}}):
        body = {"title": "Edited on the alias", **meta}
        response = write(client, moderator, "patch", f"/api/v3/pages/{alias.pk}/", body)
        problem(response, 422, f"alias of page {lesson.pk}")

    body = {"title": "Edited on the page", "meta": {"action": "publish"}}
    response = write(client, moderator, "patch", f"/api/v3/pages/{lesson.pk}/", body)
    assert response.status_code == 200, response.content[:300]
    assert action(client, moderator, lesson.pk, "publish").status_code == 200
    alias.refresh_from_db()
    assert alias.title == "Edited on the page"


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "url, upload",
    [
        ("/api/v3/images/", lambda: SimpleUploadedFile("dot.png", png(), "image/png")),
        ("/api/v3/documents/", lambda: SimpleUploadedFile("note.txt", b"A note.", "text/plain")),
    ],
)
def test_an_upload_without_a_multipart_boundary_is_a_bad_request(
    client, db, django_user_model, url, upload
):
    admin = django_user_model.objects.create_superuser("uploader", "u@example.com", "pw")
    raw = b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nT\r\n--x--\r\n'
    response = write(client, admin, "post", url, raw=raw, content_type="multipart/form-data")
    problem(response, 400, "boundary")

    _, token = APIToken.create_token(user=admin, name="upload")
    response = client.post(
        url, {"title": "Uploaded", "file": upload()}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 201, response.content[:300]
    assert json.loads(response.content)["title"] == "Uploaded"
