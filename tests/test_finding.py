"""Finding and sharing: search, sitemap, robots.txt, descriptions, Open Graph, JSON-LD."""

import json
from urllib.parse import urlencode

import pytest

from tests import factories
from tests.conftest import soup

pytestmark = pytest.mark.django_db


def result_links(client, query):
    return [a["href"] for a in soup(client, f"/search/?q={query}").select(".search-results h2 a")]


def test_search_finds_lessons_roles_aspects_and_career_paths(client, module):
    lesson = factories.LessonPageFactory(
        parent=module.home,
        title="Portfolio governance",
        body=[{"type": "paragraph", "value": "<p>Quarterly steering committees.</p>"}],
    )
    assert lesson.url in result_links(client, "steering")
    assert module.roles[0].url in result_links(client, module.roles[0].title)
    assert module.aspects[0].url in result_links(client, "aspect 0")
    assert module.careers[0].url in result_links(client, "Senior role")


def test_search_never_shows_drafts_or_private_pages(client, module):
    public = factories.LessonPageFactory(parent=module.home, title="Public steering")
    factories.LessonPageFactory(parent=module.home, live=False, title="Unreleased steering")
    factories.LessonPageFactory(parent=module.home, title="Private steering", private=True)
    factories.LessonPageFactory(parent=module.home, title="Withdrawn steering", unpublished=True)
    factories.LessonPageFactory(parent=module.home, title="Old title", drafted="Drafted steering")
    # The published public lesson is found (so an empty result cannot pass), and only it.
    assert result_links(client, "steering") == [public.url]
    assert result_links(client, "Drafted") == []


def test_search_handles_empty_long_and_odd_queries(client, module):
    assert soup(client, "/search/").select_one("#search-query")
    long = "roadmap " * 200
    page = soup(client, f"/search/?q={long}")
    assert len(page.select_one("#search-query")["value"]) <= 200
    assert client.get("/search/?q=%E2%80%AE%F0%9F%98%80&page=999").status_code == 200
    assert client.get("/search/?q=x&page=abc").status_code == 200
    # An unpaired double quote was a 500 from SQLite's FTS5 (found by tests/test_xss.py), in
    # the site's search and the APIs' alike; a lone one too. tpmsite.ops.search mends it for all.
    for query in ('the "roadmap', '"', 'a"b'):
        assert client.get("/search/", {"q": query}).status_code == 200
        assert client.get("/api/v2/pages/", {"search": query}).status_code == 200
        assert client.get("/api/v3/pages/", {"search": query}).status_code == 200


def test_quotes_in_a_search_are_ignored_not_an_error(client, module):
    title = module.aspects[0].title
    plain = soup(client, f"/search/?{urlencode({'q': title})}")
    quoted = soup(client, f"/search/?{urlencode({'q': chr(34) + title})}")
    assert quoted.get_text().count(title) == plain.get_text().count(title) > 1


def test_sitemap_lists_every_published_public_page_and_nothing_else(client, module):
    draft = factories.LessonPageFactory(parent=module.home, live=False, title="Draft")
    xml = client.get("/sitemap.xml").content.decode()
    for page in module.one_of_each().values():
        assert f"<loc>{page.full_url}</loc>" in xml
    assert draft.slug not in xml
    assert "<lastmod>" in xml


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_every_page_has_a_description_canonical_url_and_open_graph(client, module):
    for page in module.one_of_each().values():
        head = soup(client, page.url).head
        description = head.find("meta", attrs={"name": "description"})["content"]
        assert description, page
        assert head.find("link", rel="canonical")["href"] == page.full_url
        assert head.find("meta", property="og:title")["content"]
        assert head.find("meta", property="og:url")["content"] == page.full_url


def json_ld(client, url):
    script = soup(client, url).find("script", type="application/ld+json")
    return json.loads(script.string)


def test_json_ld_describes_the_module_as_a_course_and_lessons_as_articles(client, module):
    course = json_ld(client, module.home.url)
    assert "Course" in course["@type"] and course["name"] == module.home.title
    assert [part["name"] for part in course["hasPart"]] == [les.title for les in module.lessons]

    lesson = module.lessons[0]
    article = json_ld(client, lesson.url)
    assert article["@type"] == "Article"
    assert article["headline"] == lesson.title
    assert article["dateModified"] == lesson.last_published_at.isoformat()
    assert article["author"]["name"] == module.home.author.name


def test_json_ld_cannot_be_broken_out_of_by_content(client, module):
    lesson = module.lessons[0]
    lesson.title = "</script><script>alert(1)</script>"
    lesson.save_revision().publish()
    html = client.get(lesson.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert json_ld(client, lesson.url)["headline"] == lesson.title
