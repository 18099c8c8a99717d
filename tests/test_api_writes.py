"""Writes through the v3 API that Wagtail 8.0.1 answered with a 500 get a 4xx problem response
naming the mistake, and the well-formed request next to each one still works."""

import json
import re

import pytest
from wagtail.models import APIToken

from tests.factories import knowledge_check

pytestmark = pytest.mark.django_db

HUGE = 99999999999999999999  # beyond 64 bits


def write(client, user, method, path, body=None, raw=None, **extra):
    _, token = APIToken.create_token(user=user, name="writes")
    client.raise_request_exception = False  # a crash must show as the 500 a client would get
    return getattr(client, method)(
        path,
        data=raw if raw is not None else json.dumps(body),
        content_type=extra.pop("content_type", "application/json"),
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **extra,
    )


def problem(response, status, *words):
    """The response is a problem+json answer with ``status`` whose body says ``words``."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/problem+json")
    text = response.content.decode()
    for word in words:
        assert word in text, text
    return response.json()


def draft(client, user, page):
    _, token = APIToken.create_token(user=user, name="read")
    url = f"/api/v3/pages/{page.pk}/?version=draft"
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    return response.json()


def same_content(a, b):
    """Equal StreamField values; Wagtail's editor keys in rich text are new on every save."""
    key = re.compile(r' data-block-key=\\"\w+\\"')
    return key.sub("", json.dumps(a)) == key.sub("", json.dumps(b))


# 1. Partial updates


PAGE_TYPES = [
    "home",
    "comparison",
    "role_index",
    "role",
    "aspect",
    "career_index",
    "career",
    "lesson",
    "assessment",
]


def page_of(module, name):
    single = {"role": "roles", "aspect": "aspects", "career": "careers", "lesson": "lessons"}
    if name in single:
        return getattr(module, single[name])[0]
    return getattr(module, name)


def test_a_title_only_patch_keeps_every_other_field(client, module, moderator):
    for name in PAGE_TYPES:
        page = page_of(module, name)
        before = draft(client, moderator, page)
        path = f"/api/v3/pages/{page.pk}/"
        response = write(client, moderator, "patch", path, {"title": f"New {name}"})
        assert response.status_code == 200, (name, response.content[:500])
        after = draft(client, moderator, page)
        assert after.pop("title") == f"New {name}"
        before.pop("title")
        assert after == before, name


def test_a_title_only_patch_keeps_the_drafted_statements(client, module, moderator):
    aspect = module.aspects[0]
    rows = [
        {"id": s.pk, "role_id": s.role_id, "statement": f"Drafted {s.pk}"}
        for s in aspect.statements.order_by("sort_order")
    ]
    path = f"/api/v3/pages/{aspect.pk}/"
    assert write(client, moderator, "patch", path, {"statements": rows}).status_code == 200

    assert write(client, moderator, "patch", path, {"title": "Renamed"}).status_code == 200
    statements = draft(client, moderator, aspect)["statements"]
    assert [s["statement"] for s in statements] == [r["statement"] for r in rows]
    live = aspect.statements.order_by("sort_order").values_list("statement", flat=True)
    assert not any(text.startswith("Drafted") for text in live)  # still only a draft


# 2. Bodies that are not a JSON object


NOT_OBJECTS = [[], [1], None, 0, 1.5, "text", True, False]


def test_a_body_that_is_not_an_object_is_a_bad_request(client, module, moderator):
    for method, page in [
        ("post", None),
        ("patch", module.aspects[0]),
        ("patch", module.lessons[0]),
    ]:
        path = f"/api/v3/pages/{page.pk}/" if page else "/api/v3/pages/"
        for body in NOT_OBJECTS:
            response = write(client, moderator, method, path, body)
            problem(response, 400, "must be a JSON object")


def test_a_page_id_that_is_not_a_number_is_refused_before_the_body_is_read(
    client, module, moderator
):
    for page_id in ("abc", "3.5e-23"):
        response = write(client, moderator, "patch", f"/api/v3/pages/{page_id}/", {"title": "x"})
        errors = problem(response, 422, "valid integer")["errors"]
        assert errors[0]["loc"] == ["path", "page_id"]
    lesson = module.lessons[0]
    response = write(client, moderator, "patch", f"/api/v3/pages/{lesson.pk}/", {"title": "x"})
    assert response.status_code == 200


def test_a_body_that_is_not_json_says_why(client, module, moderator):
    path = f"/api/v3/pages/{module.lessons[0].pk}/"
    for raw, words in [("{", "Expecting property name"), ('{"a": NaN}', "NaN is not a JSON")]:
        problem(write(client, moderator, "patch", path, raw=raw), 400, words)


# 3. Integers beyond 64 bits


def test_a_role_id_beyond_64_bits_names_the_field(client, module, moderator):
    aspect = module.aspects[0]
    body = {"statements": [{"role_id": HUGE, "statement": "x"}, {"role_id": -HUGE}]}
    response = write(client, moderator, "patch", f"/api/v3/pages/{aspect.pk}/", body)
    errors = problem(response, 422, "Must be a 64-bit integer")["errors"]
    assert [error["loc"] for error in errors] == [
        ["body", "statements", 0, "role_id"],
        ["body", "statements", 1, "role_id"],
    ]
    career = module.careers[0]
    body = {"role_id": HUGE, "steps": [{"title": "Next", "role_id": HUGE}]}
    response = write(client, moderator, "patch", f"/api/v3/pages/{career.pk}/", body)
    errors = problem(response, 422, "Must be a 64-bit integer")["errors"]
    assert [error["loc"] for error in errors] == [
        ["body", "role_id"],
        ["body", "steps", 0, "role_id"],
    ]

    # The largest id a column holds is an ordinary (missing) choice, and a real role works.
    body = {"statements": [{"role_id": 2**63 - 1, "statement": "x"}]}
    response = write(client, moderator, "patch", f"/api/v3/pages/{aspect.pk}/", body)
    problem(response, 422, "invalid_choice")
    rows = [{"role_id": role.pk, "statement": f"On {role.title}"} for role in module.roles]
    response = write(
        client, moderator, "patch", f"/api/v3/pages/{aspect.pk}/", {"statements": rows}
    )
    assert response.status_code == 200
    assert [s["statement"] for s in response.json()["statements"]] == [
        r["statement"] for r in rows
    ]


# 4. StreamField values in the wrong shape


def comparison(*aspects):
    return {"type": "comparison", "value": {"caption": "Side by side", "aspects": list(aspects)}}


def options(value):
    block = knowledge_check()
    block["value"]["options"] = value
    return block


WRONG_SHAPES = [
    (options("abc"), [0, "value", "options"], "Expected a list, not a string"),
    (options({"text": "A"}), [0, "value", "options"], "Expected a list, not an object"),
    (options(["A", "B"]), [0, "value", "options", 0], "Expected an object, not a string"),
    ({"type": "comparison", "value": "x"}, [0, "value"], "Expected an object"),
    ({"type": "paragraph"}, [0], 'an object with \\"type\\" and \\"value\\"'),
    (7, [0], 'an object with \\"type\\" and \\"value\\"'),
    ({"type": ["heading"], "value": "x"}, [0, "type"], "Unknown block type"),
    ({"type": "heading", "value": "x", "id": [1]}, [0, "id"], "Expected a string"),
    (comparison("x"), [0, "value", "aspects", 0], "Expected an id (aspect page), not a string"),
    (comparison({"id": 1}), [0, "value", "aspects", 0], "not an object"),
    (comparison(True), [0, "value", "aspects", 0], "not a boolean"),
    (comparison(987654), [0, "value", "aspects", 0], "no aspect page with id 987654"),
    (comparison(-1), [0, "value", "aspects", 0], "no aspect page with id -1"),
]


def test_a_lesson_body_in_the_wrong_shape_names_the_block(client, module, moderator):
    lesson = module.lessons[0]
    for block, loc, words in WRONG_SHAPES:
        body = {"body": [block]}
        response = write(client, moderator, "patch", f"/api/v3/pages/{lesson.pk}/", body)
        errors = problem(response, 422, words)["errors"]
        assert errors[0]["loc"] == ["body", "body", *loc]

    # The control: every StreamField exactly as the API shows it is taken back as it is.
    path = f"/api/v3/pages/{lesson.pk}/"
    blocks = [knowledge_check(), comparison(module.aspects[0].pk, None)]
    body = {"body": draft(client, moderator, lesson)["body"] + blocks}
    assert write(client, moderator, "patch", path, body).status_code == 200
    for page, field in [(lesson, "body"), (module.assessment, "questions")]:
        before = draft(client, moderator, page)
        body = {field: before[field]}
        response = write(client, moderator, "patch", f"/api/v3/pages/{page.pk}/", body)
        assert response.status_code == 200, response.content[:500]
        assert same_content(draft(client, moderator, page)[field], before[field])


def test_a_comparison_naming_a_page_that_is_not_an_aspect_is_refused(client, module, moderator):
    lesson = module.lessons[0]
    body = {"body": [comparison(module.roles[0].pk)]}
    response = write(client, moderator, "patch", f"/api/v3/pages/{lesson.pk}/", body)
    problem(response, 422, f"no aspect page with id {module.roles[0].pk}")


def test_a_well_formed_lesson_body_is_saved(client, module, moderator):
    lesson = module.lessons[0]
    aspect = module.aspects[0]
    body = {"body": [knowledge_check(), comparison(aspect.pk), comparison(str(aspect.pk))]}
    response = write(client, moderator, "patch", f"/api/v3/pages/{lesson.pk}/", body)
    assert response.status_code == 200, response.content[:500]
    saved = draft(client, moderator, lesson)["body"]
    assert [block["type"] for block in saved] == ["knowledge_check", "comparison", "comparison"]
    assert saved[1]["value"]["aspects"] == [aspect.pk]

    # A new page takes the same checks.
    create = {
        "meta": {"type": "roles.LessonPage", "parent_id": module.home.pk},
        "title": "Made over the API",
        "body": [comparison(987654)],
    }
    problem(write(client, moderator, "post", "/api/v3/pages/", create), 422, "987654")
    create["body"] = [comparison(aspect.pk)]
    assert write(client, moderator, "post", "/api/v3/pages/", create).status_code == 201


def test_self_assessment_weights_name_a_role(client, module, moderator):
    page = module.assessment
    question = {"text": "Q?", "answers": [{"text": "A", "weights": [{"role": "x", "points": 1}]}]}
    body = {"questions": [{"type": "question", "value": question}]}
    response = write(client, moderator, "patch", f"/api/v3/pages/{page.pk}/", body)
    errors = problem(response, 422, "Expected an id (role page), not a string")["errors"]
    assert errors[0]["loc"] == [
        "body",
        "questions",
        0,
        "value",
        "answers",
        0,
        "weights",
        0,
        "role",
    ]
