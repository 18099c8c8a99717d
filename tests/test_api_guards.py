"""Inputs that Wagtail 8.0.1 turns into server errors get a 400 naming the parameter."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"/api/v3/pages/?offset={HUGE}", "offset"),
        (f"/api/v2/pages/?offset={HUGE}", "offset"),
        (f"/api/v2/images/?offset={HUGE}", "offset"),
        ("/api/v3/pages/?search=a%00b", "search"),
        ("/api/v2/pages/?search=a%00b", "search"),
        ("/api/v3/comparison/?as_of=2025-03-05%00", "as_of"),
    ],
)
def test_api_inputs_that_crashed_wagtail_get_a_problem_response(client, module, url, parameter):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["loc"] == ["query", parameter]


@pytest.mark.parametrize("url", ["/comparison/?as_of=%00", "/over%00view/", "/?q%00=1"])
def test_nul_characters_on_the_site_are_a_bad_request(client, module, url):
    client.raise_request_exception = False
    assert client.get(url).status_code == 400


def test_ordinary_offsets_still_page_through_results(client, module):
    assert client.get("/api/v3/pages/?offset=2&limit=2").status_code == 200
    assert client.get(f"/api/v3/pages/?offset={2**63 - 1}").json()["items"] == []


def test_cors_allows_configured_origins_only(client, module, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://learn.example.com"]
    allowed = client.get("/api/v3/comparison/", HTTP_ORIGIN="https://learn.example.com")
    assert allowed["Access-Control-Allow-Origin"] == "https://learn.example.com"
    other = client.get("/api/v3/comparison/", HTTP_ORIGIN="https://evil.example.net")
    assert "Access-Control-Allow-Origin" not in other
    site = client.get("/", HTTP_ORIGIN="https://learn.example.com")
    assert "Access-Control-Allow-Origin" not in site  # only the API is shared


@pytest.mark.parametrize("action", ["copy", "move", "create_alias"])
@pytest.mark.parametrize("destination", [None, 0, -1, 2**70, "x", "lesson"])
def test_page_actions_with_missing_or_odd_destinations_never_answer_5xx(
    client, module, moderator, action, destination
):
    import json

    from wagtail.models import APIToken

    client.raise_request_exception = False
    _, token = APIToken.create_token(user=moderator, name="actions")
    lesson = module.lessons[0]
    body = {} if destination is None else {"destination_id": destination}
    if destination == "lesson":
        body = {"destination_id": lesson.pk}  # into itself
    response = client.post(
        f"/api/v3/pages/{lesson.pk}/actions/{action}/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code < 500, response.content[:300]
