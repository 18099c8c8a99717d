"""The API: v2 and v3 page reads, the comparison matrix, its diff, and the module bundle."""

import pytest
from django.utils.http import http_date
from wagtail.models import PageLogEntry

from tests import factories
from tests.test_history import DAY1, DAY2, DAY3, noon, on, republish

pytestmark = pytest.mark.django_db

# The fields each page type exposes (beyond Wagtail's own id, title and meta).
TYPE_FIELDS = {
    "roles.ModulePage": {"lead", "author", "intro", "disclaimer", "last_updated"},
    "roles.ComparisonPage": {"intro"},
    "roles.RoleIndexPage": {"intro"},
    "roles.RolePage": {
        "abbreviation",
        "short_label",
        "colour",
        "definition",
        "summary",
        "responsibilities",
        "kpis",
    },
    "roles.AspectPage": {"statements", "explanation"},
    "roles.CareerPathIndexPage": {"intro"},
    "roles.CareerPathPage": {"role", "intro", "steps"},
    "roles.LessonPage": {"summary", "objectives", "body", "reading_minutes"},
    "roles.SelfAssessmentPage": {"intro", "questions"},
    "roles.FinalCheckPage": {"intro", "pass_mark", "question_source"},
}


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_every_page_type_exposes_its_own_fields(client, module, version):
    assert set(TYPE_FIELDS) == {f"roles.{type(p).__name__}" for p in module.one_of_each().values()}
    for page in module.one_of_each().values():
        data = client.get(f"/api/{version}/pages/{page.pk}/").json()
        assert data["meta"]["type"] in TYPE_FIELDS
        missing = TYPE_FIELDS[data["meta"]["type"]] - set(data)
        assert not missing, (page, missing)


def test_v3_aspect_statements_are_nested_objects_naming_the_role(client, module):
    aspect, role = module.aspects[0], module.roles[0]
    data = client.get(f"/api/v3/pages/{aspect.pk}/").json()
    first = data["statements"][0]
    assert first["role"]["id"] == role.pk
    assert first["role_slug"] == role.slug and first["role_title"] == role.title
    assert first["statement"] == f"{role.title} on aspect 0"


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_drafts_and_unpublished_pages_are_invisible_to_anonymous_readers(client, module, version):
    draft = factories.LessonPageFactory(parent=module.home, live=False, title="Secret")
    module.roles[1].unpublish()
    listing = client.get(f"/api/{version}/pages/?limit=20").json()  # the whole small module
    ids = {item["id"] for item in listing["items"]}
    assert draft.pk not in ids and module.roles[1].pk not in ids
    assert client.get(f"/api/{version}/pages/{draft.pk}/").status_code == 404


def test_comparison_endpoint_matches_the_table(client, module):
    extra = factories.AspectPageFactory(parent=module.comparison, title="Budget", statements={})
    data = client.get("/api/v3/comparison/").json()
    assert [r["slug"] for r in data["roles"]] == [r.slug for r in module.roles]
    assert [a["title"] for a in data["aspects"]] == [a.title for a in module.aspects] + ["Budget"]
    first = data["aspects"][0]["statements"]
    assert [s["statement"] for s in first] == [f"{r.title} on aspect 0" for r in module.roles]
    assert [s["statement"] for s in data["aspects"][-1]["statements"]] == [None, None]
    assert data["aspects"][-1]["id"] == extra.pk
    assert data["last_published_at"] == extra.last_published_at.isoformat()


def test_comparison_never_shows_a_draft(client, module):
    aspect = module.aspects[0]
    published = aspect.statements.first().statement
    draft = aspect.get_latest_revision_as_object()
    rows = list(draft.statements.all())
    rows[0].statement = "Draft wording"
    draft.statements = rows
    draft.save_revision()
    for url in ("/api/v3/comparison/", "/api/v3/module/"):
        text = client.get(url).content.decode()
        assert published in text, url
        assert "Draft wording" not in text, url


@pytest.fixture
def dated(module):
    PageLogEntry.objects.update(timestamp=noon(DAY1))
    scope = module.aspects[0]
    role = module.roles[0]
    module.first_wording = scope.statements.get(role=role).statement
    with on(DAY2):
        republish(scope, statements={role.pk: "Reworded on day two"})
    with on(DAY3):
        module.aspects[1].unpublish()
        third = factories.RolePageFactory(parent=module.role_index, title="Third role")
    module.roles_added_on_day3 = third.slug
    return module


def test_comparison_as_of_follows_the_site_rule(client, dated):
    day2 = client.get(f"/api/v3/comparison/?as_of={DAY2}").json()
    assert day2["as_of"] == DAY2.isoformat()
    assert day2["aspects"][0]["statements"][0]["statement"] == "Reworded on day two"
    assert day2["aspects"][0]["last_published_at"] == noon(DAY2).isoformat()
    before = client.get("/api/v3/comparison/?as_of=2025-01-01").json()
    assert before["roles"] == [] and before["aspects"] == []


def test_diff_names_changed_cells_and_added_or_removed_rows_and_columns(client, dated):
    scope = dated.aspects[0]
    role = dated.roles[0]
    diff = client.get(f"/api/v3/comparison/diff/?from={DAY1}&to={DAY2}").json()
    assert diff["cells"] == [
        {
            "aspect_id": scope.pk,
            "aspect_slug": scope.slug,
            "role_id": role.pk,
            "role_slug": role.slug,
            "old": dated.first_wording,
            "new": "Reworded on day two",
        }
    ]
    assert diff["aspects"] == {"added": [], "removed": [], "reordered": False}

    later = client.get(f"/api/v3/comparison/diff/?from={DAY2}&to={DAY3}").json()
    assert later["aspects"]["removed"] == [dated.aspects[1].slug]
    assert later["roles"]["added"] == [dated.roles_added_on_day3]


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v3/comparison/?as_of=yesterday", "as_of"),
        ("/api/v3/comparison/?as_of=2025-02-30", "as_of"),
        ("/api/v3/comparison/diff/?from=2025-03-01&to=tomorrow", "to"),
        ("/api/v3/comparison/diff/?from=0&to=2025-03-01", "from"),
    ],
)
def test_bad_parameters_get_a_problem_body_naming_the_parameter(client, module, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["errors"][0]["loc"] == ["query", parameter]
    assert parameter in body["detail"]


def test_the_bundle_holds_the_whole_published_module_in_order(client, module):
    data = client.get("/api/v3/module/").json()
    assert data["module"]["title"] == module.home.title
    assert [lesson["title"] for lesson in data["lessons"]] == [lsn.title for lsn in module.lessons]
    assert [lesson["number"] for lesson in data["lessons"]] == [1, 2, 3]
    body = data["lessons"][0]["body"]
    assert body[1] == {"type": "paragraph", "id": body[1]["id"], "value": factories.PARAGRAPH}
    assert body[2]["value"]["text"] == factories.PARAGRAPH  # rich text as HTML
    assert [r["id"] for r in data["roles"]] == [r.pk for r in module.roles]
    assert data["comparison"]["aspects"][0]["title"] == module.aspects[0].title
    steps = data["career_paths"][0]["steps"]
    assert [s["title"] for s in steps] == ["Senior role", "Other role"]
    assert steps[1]["role_id"] == module.roles[0].pk


@pytest.mark.parametrize("url", ["/api/v3/comparison/", "/api/v3/module/"])
def test_conditional_gets_answer_304_until_something_is_published(client, module, url):
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    aspect = republish(module.aspects[0], statements={module.roles[0].pk: "Changed"})
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert changed["Last-Modified"] == http_date(aspect.last_published_at.timestamp())


def test_the_openapi_document_is_valid_and_lists_our_endpoints(client):
    from openapi_spec_validator import validate

    schema = client.get("/api/v3/openapi.json").json()
    validate(schema)
    for path in ("/api/v3/comparison/", "/api/v3/comparison/diff/", "/api/v3/module/"):
        assert "get" in schema["paths"][path]
    assert "ComparisonOut" in schema["components"]["schemas"]


def test_the_interactive_docs_load_nothing_from_the_internet(client):
    html = client.get("/api/v3/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "https://" not in html


def test_private_pages_never_reach_anonymous_api_readers(client, module):
    from wagtail.models import PageViewRestriction

    private = module.aspects[1]
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    secret_text = private.statements.first().statement
    for url in ("/api/v3/comparison/", "/api/v3/module/"):
        assert secret_text not in client.get(url).content.decode(), url
    for version in ("v2", "v3"):
        ids = {i["id"] for i in client.get(f"/api/{version}/pages/?limit=20").json()["items"]}
        assert private.pk not in ids, version
        assert client.get(f"/api/{version}/pages/{private.pk}/").status_code == 404, version


@pytest.mark.parametrize(
    "url",
    [
        "/api/v3/comparison/",
        "/api/v3/module/",
        "/api/v3/pages/?type=roles.AspectPage",
        "/api/v2/pages/?type=roles.AspectPage&fields=statements",
    ],
)
def test_queries_do_not_grow_with_the_number_of_items(client, module, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    count()  # warm per-process caches
    small = count()
    for _ in range(4):
        factories.AspectPageFactory(
            parent=module.comparison, statements={r: "x" for r in module.roles}
        )
    factories.LessonPageFactory(parent=module.home)
    assert count() == small
