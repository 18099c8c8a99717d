"""The whole-page cache in one process: what is kept, what never is, and what drops it."""

import json
import os

import pytest
from django.test import override_settings
from tpmsite.ops.cache import GENERATION_KEY, bump_generation
from tpmsite.ops.redis_cache import RedisCache
from wagtail.models import APIToken, PageViewRestriction

from tests import factories
from tests.conftest import build_module
from tests.page_cache import PURGED, page_cache  # noqa: F401

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.get("X-Page-Cache")


def publish_statement(aspect, text):
    row = aspect.statements.order_by("sort_order").first()
    row.statement = text
    aspect.statements = [row, *aspect.statements.order_by("sort_order")[1:]]
    aspect.save_revision().publish()


def test_a_public_page_is_rendered_once_then_served_from_the_cache(client, module):
    first, state = get(client, module.comparison.url)
    assert state == "miss"
    second, state = get(client, module.comparison.url)
    assert state == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Shared caches in front may keep it; browsers must ask again (they cannot be purged).
    assert "s-maxage=600" in second["Cache-Control"] and "max-age=0" in second["Cache-Control"]


def test_a_cache_hit_costs_no_database_query(client, module, django_assert_num_queries):
    get(client, module.home.url)
    with django_assert_num_queries(0):
        assert get(client, module.home.url)[1] == "hit"


@pytest.mark.parametrize(
    "publish",
    [
        lambda m: publish_statement(m.aspects[0], "Newly published wording"),
        lambda m: m.aspects[0].unpublish(),
        lambda m: m.aspects[0].move(m.comparison, pos="last-child"),
        lambda m: m.aspects[0].delete(),
        lambda m: PageViewRestriction.objects.create(
            page=m.aspects[0], restriction_type=PageViewRestriction.PASSWORD, password="x"
        ),
    ],
    ids=["publish", "unpublish", "move", "delete", "made-private"],
)
def test_every_kind_of_change_drops_the_cached_table(client, module, publish):
    before, _ = get(client, module.comparison.url)
    assert get(client, module.comparison.url)[1] == "hit"
    publish(module)
    after, state = get(client, module.comparison.url)
    assert state == "miss"
    assert after.content != before.content  # the change shows: new wording, order or row


def test_lifting_a_privacy_restriction_drops_the_cached_table(client, module):
    # Only making a page private was tested; making it public again is the other half.
    aspect = module.aspects[0]
    restriction = factories.restrict(aspect)
    link = f'href="{aspect.url}"'
    hidden, _ = get(client, module.comparison.url)
    assert link not in hidden.content.decode()
    assert get(client, module.comparison.url)[1] == "hit"
    restriction.delete()
    shown, state = get(client, module.comparison.url)
    assert state == "miss"
    assert link in shown.content.decode()  # the row is back for every reader


def test_the_new_wording_is_served_after_a_publish(client, module):
    get(client, module.home.url), get(client, "/api/v3/comparison/")
    publish_statement(module.aspects[0], "Newly published wording")
    assert b"Newly published wording" in client.get(module.comparison.url).content
    assert b"Newly published wording" in client.get("/api/v3/comparison/").content


def test_a_draft_changes_nothing_cached(client, module):
    get(client, module.comparison.url)
    aspect = module.aspects[0]
    aspect.title = "Draft title"
    aspect.save_revision()
    response, state = get(client, module.comparison.url)
    assert state == "hit" and b"Draft title" not in response.content


# Purges wait for the commit, so these tests commit (and rebuild what migrations made).
def test_a_publish_purges_every_page_showing_the_table_and_the_api(wagtail_root):
    module = build_module()
    PURGED.clear()
    publish_statement(module.aspects[0], "Newly published wording")
    paths = {url.removeprefix("http://localhost") for url in PURGED}
    for page in (module.home, module.comparison, module.aspects[0], *module.roles):
        assert page.url in paths
    assert module.comparison.url + "infographic/" in paths
    assert {"/api/v3/comparison/", "/api/v3/module/", "/api/v2/pages/"} <= paths


def test_a_moved_or_deleted_page_is_purged_at_its_old_address(wagtail_root):
    module = build_module()
    moved, deleted = module.lessons[:2]
    old_urls = [f"http://localhost{page.url}" for page in (moved, deleted)]
    PURGED.clear()
    moved.move(module.role_index, pos="last-child")
    assert old_urls[0] in PURGED
    deleted.delete()
    assert old_urls[1] in PURGED


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"HTTP_COOKIE": "sessionid=someone"},
        {"HTTP_AUTHORIZATION": "Bearer token"},
        {"QUERY_STRING": "as_of=2025-03-05"},
    ],
    ids=["signed-in", "api-token", "query-string"],
)
def test_per_visitor_requests_are_never_served_from_or_kept_in_the_cache(
    client, module, request_kwargs
):
    url = module.comparison.url
    get(client, url)  # a shared copy exists
    for _ in range(2):
        response = client.generic("GET", url, **request_kwargs)
        assert response.get("X-Page-Cache") is None


def test_the_admin_and_previews_are_never_cached(admin_client, client, module):
    lesson = module.lessons[0]
    draft = lesson.get_latest_revision_as_object()
    draft.title = "Draft title"
    draft.save_revision()
    _, token = APIToken.create_token(user=admin_client.user, name="preview")
    made = client.post(
        "/api/v3/preview-tokens/",
        data=json.dumps({"page_id": lesson.pk}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    preview = made.json()["url"]
    admin_preview = f"/admin/pages/{lesson.pk}/edit/preview/"
    for _ in range(2):
        assert admin_client.get("/admin/").get("X-Page-Cache") is None
        assert client.get("/admin/login/").get("X-Page-Cache") is None
        assert admin_client.get(admin_preview).get("X-Page-Cache") is None
        response = client.get(preview)
        assert response.json()["title"] == "Draft title"
        assert response.get("X-Page-Cache") is None


def test_responses_setting_cookies_or_errors_are_not_kept(client, module):
    PageViewRestriction.objects.create(
        page=module.aspects[0], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    for _ in range(2):
        form = client.get(module.aspects[0].url)  # the password form sets a CSRF cookie
        missing = client.get("/no-such-page/")
    assert form.get("X-Page-Cache") is None and missing.status_code == 404
    assert missing.get("X-Page-Cache") is None


def test_the_site_keeps_serving_when_the_cache_is_down(client, module, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "tpmsite.ops.redis_cache.RedisCache",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    with override_settings(CACHES=settings.CACHES):
        for _ in range(2):
            response = client.get(module.comparison.url)
            assert response.status_code == 200
            assert module.aspects[0].title in response.content.decode()
            assert response.get("X-Page-Cache") == "miss"  # rendered, nothing kept


def test_a_new_lesson_appears_as_next_on_the_cached_last_lesson(client, module):
    last = module.lessons[-1]
    get(client, last.url)
    new = factories.LessonPageFactory(parent=module.home, title="A brand new lesson")
    new.save_revision().publish()
    assert b"A brand new lesson" in client.get(last.url).content


@pytest.fixture
def redis_caches():
    """Two Redis cache objects, as two app servers have."""
    from tests.stack import redis_up

    if not redis_up():
        if os.environ.get("CI") == "true":
            pytest.fail("needs Redis on 127.0.0.1:6379")
        pytest.skip("needs Redis on 127.0.0.1:6379")
    params = {
        "LOCATION": "redis://127.0.0.1:6379/10",
        "KEY_PREFIX": f"t{os.getpid()}",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True},
    }
    first, second = (RedisCache(params["LOCATION"], params) for _ in range(2))
    first.clear()
    yield first, second
    first.clear()


def test_a_publish_elsewhere_is_seen_by_the_next_request_here(redis_caches):
    here, elsewhere = redis_caches
    bump_generation(here)
    before = here.get(GENERATION_KEY)
    bump_generation(elsewhere)
    assert here.get(GENERATION_KEY) == before + 1  # no waiting: nothing is kept per worker


def test_after_redis_loses_everything_old_pages_can_never_match(redis_caches):
    here, _ = redis_caches
    bump_generation(here)
    old = here.get(GENERATION_KEY)
    here.client.get_client().flushdb()  # what a Redis restart without persistence does
    bump_generation(here)
    assert here.get(GENERATION_KEY) not in (None, old)


def test_clearing_one_sites_cache_leaves_another_sharing_the_database(redis_caches):
    here, _ = redis_caches
    location = "redis://127.0.0.1:6379/10"
    other = RedisCache(location, {"KEY_PREFIX": f"other{os.getpid()}"})
    here.set("page", b"mine")
    other.set("page", b"theirs")
    assert here.clear()
    assert here.get("page") is None
    assert other.get("page") == b"theirs"
    other.clear()
    assert other.get("page") is None
