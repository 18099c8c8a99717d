"""schemathesis against the v3 OpenAPI document: no input makes the API answer 5xx, and our
endpoints' responses match their schema.

Every operation, whatever its method, is tried anonymously, with an editor's token and with a
moderator's (who may publish, move, copy and delete). The moderator's requests are aimed at the
pages Wagtail trips over: the root, an alias, a page that does not exist, and one page of each
type, in the path and as a destination in the body. The writes also get schema-violating input
(schemathesis' negative mode) and every JSON type as their body. Each request runs in a
savepoint that is rolled back, so no example depends on what an earlier one wrote.

Bounded to stay under about 2 minutes on two shared cores (about 40 s of it creating the test
database): 10 examples per operation and caller, except 3 for anonymous writes (refused before
their input is read) and 5 in negative mode.
"""

import json
import re
from collections import Counter

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from wagtail.models import APIToken, Page, Site

from tests.conftest import build_module

pytestmark = pytest.mark.django_db

OUR_PATHS = ("/api/v3/comparison/", "/api/v3/comparison/diff/", "/api/v3/module/")
EXAMPLES = 10
ANONYMOUS_WRITE_EXAMPLES = 3
NEGATIVE_EXAMPLES = 5
MISSING = 999_999
# Every JSON type, as a whole request body.
JSON_VALUES = [{}, [], [{}], None, 0, -1.5, "", "text", True, False]
RUN = Counter()  # examples run, per caller


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Calling the WSGI app directly fires request_finished, which closes the database
    connection mid-test on PostgreSQL; Django's own test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def operations():
    schema = schemathesis.openapi.from_wsgi("/api/v3/openapi.json", get_wsgi_application())
    # No snippet types are registered, so Wagtail's snippet endpoints take an empty enum
    # for {type}: there is nothing to generate for them.
    schema = schema.exclude(path_regex=r"^/api/v3/snippets/")
    return [result.ok() for result in schema.get_all_operations()]


def isolated(call, *args, **kwargs):
    """``call(...)`` in a savepoint rolled back afterwards: the next example sees the same pages.
    The cache is emptied too, as it may remember what the rolled-back request did."""
    with transaction.atomic():
        response = call(*args, **kwargs)
        transaction.set_rollback(True)
    cache.clear()
    return response


def bearer(user):
    _, token = APIToken.create_token(user=user, name="fuzz")
    return {"Authorization": f"Bearer {token}"}


def targets(module):
    """Page ids worth aiming at: the root, an alias, a missing page and one of each type."""
    alias = module.lessons[0].create_alias(update_slug="fuzz-alias")
    pages = [Page.get_first_root_node(), alias, *module.one_of_each().values()]
    return [page.pk for page in pages] + [MISSING]


def test_no_input_makes_the_api_fail(editor, moderator):
    module = build_module()
    ids = targets(module)
    aimed = {
        "page_id": ids,
        "revision_id": [module.lessons[0].latest_revision_id, MISSING],
        "site_id": [Site.objects.get(is_default_site=True).pk, MISSING],
    }
    editor, moderator = bearer(editor), bearer(moderator)
    tested = operations()
    for operation in tested:
        write = operation.method.upper() != "GET"
        anonymous = ANONYMOUS_WRITE_EXAMPLES if write else EXAMPLES
        run_examples(operation, "anonymous", {}, examples=anonymous)
        run_examples(operation, "editor", editor)
        run_examples(operation, "moderator", moderator, aimed=aimed)
        if write:
            negative = GenerationMode.NEGATIVE
            run_examples(
                operation, "moderator, negative", moderator, {}, negative, NEGATIVE_EXAMPLES
            )
    print(f"\nschemathesis: {len(tested)} operations; examples run: {dict(RUN)}")
    assert len(tested) >= 30


def run_examples(
    operation, caller, headers, aimed=None, mode=GenerationMode.POSITIVE, examples=EXAMPLES
):
    aimed = aimed or {}

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def check(case, data):
        for name, values in aimed.items():
            if name in case.path_parameters:
                case.path_parameters[name] = data.draw(st.sampled_from(values), label=name)
        if aimed and isinstance(case.body, dict):
            aim_body(case.body, aimed["page_id"], data)
        response = isolated(case.call, headers=headers)
        RUN[caller] += 1
        checks = [not_a_server_error]
        if case.path in OUR_PATHS and response.status_code == 200:
            checks.append(response_schema_conformance)
        case.validate_response(response, checks=checks)

    check()


def aim_body(body, ids, data):
    """Point the body's page references (a destination, a new page's parent) at the targets."""
    if "destination_id" in body:
        body["destination_id"] = data.draw(st.sampled_from(ids), label="destination_id")
    if isinstance(body.get("meta"), dict) and "parent_id" in body["meta"]:
        body["meta"]["parent_id"] = data.draw(st.sampled_from(ids), label="parent_id")
    if "page_id" in body:
        body["page_id"] = data.draw(st.sampled_from(ids), label="page_id")


def fill(path, page_id):
    """``path`` with ``page_id`` in {page_id} and 1 for any other id (a site, an image...)."""
    return re.sub(r"\{(\w+)\}", lambda m: str(page_id if m[1] == "page_id" else 1), path)


def test_every_json_type_to_every_write(client, moderator):
    """Every JSON value as the body of every write: on an ordinary page for all of them, and on
    the root, an alias and a missing page for the page endpoints."""
    module = build_module()
    root, alias = targets(module)[:2]
    ordinary, odd = module.lessons[1].pk, [root, alias, MISSING]
    auth = {"HTTP_AUTHORIZATION": bearer(moderator)["Authorization"]}
    client.raise_request_exception = False
    writes = [op for op in operations() if op.method.upper() != "GET"]
    for operation in writes:
        method = operation.method.upper()
        pages = [ordinary, *odd] if "{page_id}" in operation.path else [ordinary]
        for page_id, body in [(page, value) for page in pages for value in JSON_VALUES]:
            path = fill(operation.path, page_id)
            response = isolated(
                client.generic, method, path, json.dumps(body), "application/json", **auth
            )
            RUN["JSON types"] += 1
            assert response.status_code < 500, (method, path, body, response.content)
    print(f"\nJSON types: {len(writes)} write operations, {RUN['JSON types']} requests")
    assert len(writes) >= 20
