"""A client generated from the live /api/v3/openapi.json (openapi-python-client) reads the
module's endpoints: what the document promises is what they answer, and the reverse.

Every 200 answer is parsed by the generated models and must come back out of them unchanged
(to_dict() equals the JSON), each field holding the type the document declares: a field the
answer has and the schema lacks is dropped by the models and fails the round trip; a field the
schema declares and the answer lacks fails the parse (every field is required). Error answers
and 304 are documented statuses: the client, told to raise on any other, must not.
"""

import datetime
import hashlib
import importlib
import subprocess
import sys
import types
import typing

import attrs
import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from roles.api.schemas import ComparisonOut, SchemaMismatch, body
from tests import factories
from tests.conftest import build_module
from tests.test_history import republish

pytestmark = pytest.mark.django_db

GENERATED = {}  # the generated package, per OpenAPI document: generating takes seconds


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The generated client calls the WSGI app directly, which fires request_finished: that
    closes the database connection mid-test on PostgreSQL (as in test_api_fuzz.py)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def v3(tmp_path_factory):
    """The package openapi-python-client generates from the document the API serves now.

    Read through the WSGI app, not Django's test client: the test client connects
    close_old_connections again after its request, undoing keep_the_test_connection."""
    transport = httpx.WSGITransport(app=get_wsgi_application())
    with httpx.Client(transport=transport, base_url="http://testserver") as reader:
        document = reader.get("/api/v3/openapi.json").content
    key = hashlib.sha256(document).hexdigest()[:12]
    if key not in GENERATED:
        where = tmp_path_factory.mktemp("client")
        (where / "openapi.json").write_bytes(document)
        (where / "config.yaml").write_text("post_hooks: []\n")  # no formatting: not read
        name = f"v3client_{key}"
        subprocess.run(
            [sys.executable, "-m", "openapi_python_client", "generate", "--meta", "none"]
            + ["--path", where / "openapi.json", "--config", where / "config.yaml"]
            + ["--output-path", where / name],
            check=True,
            capture_output=True,
            timeout=120,
        )
        sys.path.insert(0, str(where))
        GENERATED[key] = importlib.import_module(name)
    return GENERATED[key]


def operation(v3, name):
    return importlib.import_module(f"{v3.__name__}.api.module.roles_api_{name}")


def api(v3, **headers):
    """The generated client, raising on any status the document does not list, talking to
    the app in this process (and this test's transaction)."""
    transport = httpx.WSGITransport(app=get_wsgi_application())
    return v3.client.Client(
        base_url="http://testserver",
        headers=headers,
        httpx_args={"transport": transport},
        raise_on_unexpected_status=True,
    )


def conforms(value, hint, namespace):
    """Whether ``value`` (as the generated models parsed it) has the declared type."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is typing.Any:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(conforms(value, arg, namespace) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(conforms(v, args[0], namespace) for v in value)
    if hint is type(None):
        return value is None
    if attrs.has(hint):
        return isinstance(value, hint) and not mistyped(value, namespace)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def mistyped(model, namespace):
    """The fields of a parsed model whose values do not have their declared types."""
    hints = typing.get_type_hints(type(model), globalns=namespace)
    return [
        field.name
        for field in attrs.fields(type(model))
        if field.name != "additional_properties"
        and not conforms(getattr(model, field.name), hints[field.name], namespace)
    ]


def strictly(v3, response, model):
    """``response`` parsed as ``model``, checked both ways (see the module's docstring)."""
    assert response.status_code == 200, response.content[:300]
    parsed = response.parsed
    assert isinstance(parsed, model)
    # What the generated modules' annotations name (they import models only for type checkers).
    namespace = {**vars(typing), "datetime": datetime, **vars(v3.types), **vars(v3.models)}
    assert not mistyped(parsed, namespace), mistyped(parsed, namespace)
    assert parsed.to_dict() == httpx.Response(200, content=response.content).json()
    return parsed


def test_the_comparison_is_what_its_schema_says(v3):
    module = build_module()
    read = operation(v3, "comparison_comparison")
    parsed = strictly(v3, read.sync_detailed(client=api(v3)), v3.models.ComparisonOut)
    assert [role.id for role in parsed.roles] == [role.pk for role in module.roles]
    today = strictly(
        v3,
        read.sync_detailed(client=api(v3), as_of=datetime.date.today()),
        v3.models.ComparisonOut,
    )
    assert today.as_of == datetime.date.today()


def test_the_diff_is_what_its_schema_says(v3):
    module = build_module()
    republish(module.aspects[0], statements={module.roles[0].pk: "Reworded"})
    read = operation(v3, "comparison_comparison_diff")
    today = datetime.date.today()
    response = read.sync_detailed(
        client=api(v3), from_=today - datetime.timedelta(days=1), to=today
    )
    parsed = strictly(v3, response, v3.models.DiffOut)
    assert parsed.cells and parsed.cells[0].old is None  # nothing was published yesterday
    assert parsed.roles.added == [role.slug for role in module.roles]


def every_block(module):
    """A lesson with a block of each type, its comparison naming an aspect readers may not
    see (unpublished)."""
    shown, hidden = module.aspects[0], module.aspects[1]
    lesson = factories.LessonPageFactory(
        parent=module.home,
        body=[
            {"type": "heading", "value": "Every block"},
            {"type": "paragraph", "value": factories.PARAGRAPH},
            {"type": "takeaway", "value": {"title": "Remember", "text": factories.PARAGRAPH}},
            {"type": "comparison", "value": {"caption": "", "aspects": [hidden.pk, shown.pk]}},
            factories.knowledge_check(right=0, options=["One", "Two"]),
        ],
    )
    hidden.unpublish()
    return lesson, shown


def test_the_module_bundle_is_what_its_schema_says(v3):
    module = build_module()
    lesson, shown = every_block(module)
    read = operation(v3, "bundle_module_bundle")
    parsed = strictly(v3, read.sync_detailed(client=api(v3)), v3.models.BundleOut)
    titles = [lsn.title for lsn in [*module.lessons, lesson]]
    assert [lesson.title for lesson in parsed.lessons] == titles
    blocks = {block.type_.value: block.value for block in parsed.lessons[-1].body}
    assert set(blocks) == {"heading", "paragraph", "takeaway", "comparison", "knowledge_check"}
    assert blocks["comparison"] == {"caption": "", "aspects": [shown.pk]}
    assert blocks["takeaway"]["text"] == factories.PARAGRAPH  # rich text as HTML


def test_no_module_is_a_documented_404(v3):
    response = operation(v3, "bundle_module_bundle").sync_detailed(client=api(v3))
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert isinstance(response.parsed, v3.models.ProblemDetail)


def test_a_bad_date_is_a_documented_400_naming_it(v3):
    build_module()
    read = operation(v3, "comparison_comparison")
    response = read.sync_detailed(client=api(v3), as_of="yesterday")
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/problem+json")
    problem = response.parsed
    assert isinstance(problem, v3.models.ProblemDetail) and problem.status == 400
    assert problem.errors[0]["loc"] == ["query", "as_of"]


@pytest.mark.parametrize("name", ["comparison_comparison", "bundle_module_bundle"])
def test_a_conditional_get_is_a_documented_304(v3, name):
    build_module()
    read = operation(v3, name)
    first = read.sync_detailed(client=api(v3))
    again = read.sync_detailed(client=api(v3, **{"If-None-Match": first.headers["ETag"]}))
    assert again.status_code == 304 and again.parsed is None


def test_the_checks_catch_a_field_added_or_dropped(v3, client):
    """What the tests above rely on: the generated models refuse a body differing either way,
    and so does the server before sending one."""
    build_module()
    data = client.get("/api/v3/comparison/").json()
    content = httpx.Response(200, json={**data, "surprise": 1}).content
    added = types.SimpleNamespace(
        status_code=200,
        content=content,
        parsed=v3.models.ComparisonOut.from_dict({**data, "surprise": 1}),
    )
    with pytest.raises(AssertionError):
        strictly(v3, added, v3.models.ComparisonOut)
    with pytest.raises(KeyError):
        v3.models.ComparisonOut.from_dict({k: v for k, v in data.items() if k != "roles"})
    empty = {"as_of": None, "last_published_at": None, "roles": [], "aspects": []}
    assert body(ComparisonOut, empty) == empty
    with pytest.raises(SchemaMismatch):
        body(ComparisonOut, {**empty, "surprise": 1})
    with pytest.raises(SchemaMismatch):
        body(ComparisonOut, {k: v for k, v in empty.items() if k != "roles"})
