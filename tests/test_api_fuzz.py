"""schemathesis against the v3 OpenAPI document: no input makes the API answer 5xx, and our
endpoints' responses match their schema. Anonymous and with an editor's token, on the test
database; a bounded number of examples per operation keeps it near a minute."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from wagtail.models import APIToken

from tests.conftest import build_module

pytestmark = pytest.mark.django_db

OUR_PATHS = ("/api/v3/comparison/", "/api/v3/comparison/diff/", "/api/v3/module/")
EXAMPLES = 10


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


def test_no_input_makes_the_api_fail(editor):
    build_module()
    _, token = APIToken.create_token(user=editor, name="fuzz")
    tested = 0
    for operation in operations():
        for headers in ({}, {"Authorization": f"Bearer {token}"}):
            run_examples(operation, headers)
            tested += 1
    assert tested >= 2 * 30  # every operation, both ways


def run_examples(operation, headers):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def check(case):
        response = case.call(headers=headers)
        checks = [not_a_server_error]
        if case.path in OUR_PATHS and response.status_code == 200:
            checks.append(response_schema_conformance)
        case.validate_response(response, checks=checks)

    check()
