"""Fragments of pages kept in the shared cache (tpmsite/ops/fragments.py): a page rendered from
them reads as one rendered afresh, costs fewer queries, and shows every change at once."""

import re

import pytest
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.test import RequestFactory
from tpmsite.ops import fragments
from wagtail.models import PageViewRestriction

from roles.models import Comment
from tests import factories

pytestmark = pytest.mark.django_db

# The comment form's token says when the form was drawn: the one part of a page meant to
# differ between two renders.
TOKEN = re.compile(r'(name="token"[^>]*value=")[^"]*"|(value=")[^"]*("[^>]*name="token")')


@pytest.fixture(autouse=True)
def fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 600
    caches["default"].clear()


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return TOKEN.sub("token", response.content.decode())


def urls(module):
    return [page.url for page in module.one_of_each().values()]


def test_a_page_from_its_fragments_reads_as_one_rendered_afresh(client, module, settings):
    for url in urls(module):
        settings.FRAGMENT_CACHE_SECONDS = 0
        fresh = html(client, url)
        settings.FRAGMENT_CACHE_SECONDS = 600
        assert html(client, url) == fresh, f"{url}: the render that keeps fragments differs"
        assert html(client, url) == fresh, f"{url}: the render from fragments differs"


def test_a_page_from_its_fragments_costs_fewer_queries(client, module, subtests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in module.one_of_each().values():
        with subtests.test(url=page.url):
            with CaptureQueriesContext(connection) as first:
                client.get(page.url)
            with CaptureQueriesContext(connection) as again:
                client.get(page.url)
            assert len(again) < len(first), page.url
            # All that is left: the site and its root page, one query per level down to the
            # page, and the page's view restrictions.
            levels = page.depth - module.home.depth
            assert len(again) <= 3 + levels, [q["sql"][:80] for q in again]


def test_signed_in_readers_get_the_fragments_too(client, editor_client, module):
    url = module.home.url
    client.get(url)  # an anonymous reader keeps the fragments
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(url)
    assert module.aspects[0].statements.first().statement in page.content.decode()
    assert not any("roles_aspectstatement" in q["sql"] for q in queries)


def publish_statement(aspect, text):
    draft = aspect.get_latest_revision_as_object()
    first = draft.statements.all()[0]
    first.statement = text
    draft.statements = [first, *draft.statements.all()[1:]]
    draft.save_revision().publish()


def test_a_publish_shows_at_once_on_every_page(client, module):
    for url in urls(module):
        html(client, url)
    publish_statement(module.aspects[0], "Freshly published wording")
    new_lesson = factories.LessonPageFactory(parent=module.home, title="A lesson just published")
    assert "Freshly published wording" in html(client, module.home.url)
    assert "Freshly published wording" in html(client, module.comparison.url)
    for url in urls(module):  # every page's navigation and outline, the lesson list
        if "lesson" in url or url == module.home.url:
            assert "A lesson just published" in html(client, url), url
    assert html(client, new_lesson.url)


@pytest.mark.parametrize("hide", ["restrict", "unpublish"])
def test_a_role_hidden_after_its_fragments_were_kept_is_gone_everywhere(client, module, hide):
    role = module.roles[0]
    role.title = "Soon hidden role"
    role.save_revision().publish()
    seen = [url for url in urls(module) if "Soon hidden role" in html(client, url)]
    assert len(seen) > 2, seen  # the table, the module page, the role itself...
    if hide == "restrict":
        PageViewRestriction.objects.create(page=role, restriction_type="password", password="x")
    else:
        role.unpublish()
    for url in urls(module):
        response = client.get(url)
        assert "Soon hidden role" not in response.content.decode(), url


def test_an_approved_comment_shows_at_once(client, module):
    lesson = module.lessons[0]
    assert "No comments yet" in html(client, lesson.url)
    comment = factories.CommentFactory(page=lesson, text="Is a program a project?")
    comment.status = Comment.APPROVED
    comment.save()
    assert "Is a program a project?" in html(client, lesson.url)


def test_a_preview_neither_reads_nor_keeps_fragments(client, admin_client, module):
    aspect = module.aspects[0]
    html(client, module.comparison.url)
    html(client, aspect.url)
    draft = aspect.get_latest_revision_as_object()
    draft.title = "Draft-only aspect title"
    revision = draft.save_revision()
    preview = admin_client.get(f"/admin/pages/{aspect.pk}/revisions/{revision.pk}/view/")
    assert "Draft-only aspect title" in preview.content.decode()
    assert "Draft-only aspect title" not in html(client, aspect.url)


@pytest.mark.parametrize(
    "method, path, preview, live, shared",
    [
        ("get", "/comparison/", False, True, True),
        ("head", "/comparison/", False, True, True),
        ("post", "/comparison/", False, True, False),  # a form's answer
        ("get", "/comparison/?as_of=2025-01-01", False, True, False),  # unbounded variants
        ("get", "/comparison/", True, True, False),  # a preview
        ("get", "/comparison/", False, False, False),  # a draft never published
    ],
)
def test_which_renders_share_fragments(method, path, preview, live, shared):
    request = getattr(RequestFactory(), method)(path)
    if preview:
        request.is_preview = True
    page = factories.ComparisonPageFactory.build(live=live)
    assert fragments.is_shared_render(request, page) is shared


def test_without_the_cache_every_fragment_is_rendered(client, module, monkeypatch):
    kept = html(client, module.home.url)
    monkeypatch.setattr(fragments, "cache", DummyCache("away", {}))
    assert html(client, module.home.url) == kept
    publish_statement(module.aspects[0], "Published while the cache was away")
    assert "Published while the cache was away" in html(client, module.home.url)


def test_an_edited_author_shows_at_once(client, module):
    """The author is a snippet without revisions: saving it is the change readers see."""
    author = module.home.author
    assert author.name in html(client, module.home.url)
    author.name = "Renamed Author"
    author.save()
    assert "Renamed Author" in html(client, module.home.url)
    assert "Renamed Author" in html(client, module.lessons[0].url)
