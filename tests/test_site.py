"""The reader site's shell: navigation, accessibility landmarks, the table's markup, errors."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.conftest import soup

pytestmark = pytest.mark.django_db


def test_every_page_has_a_skip_link_landmarks_and_headings_in_order(client, module):
    pages = module.one_of_each().values()
    for page in pages:
        html = soup(client, page.url)
        assert html.select_one("a.skip-link")["href"] == "#main"
        assert (
            html.select_one("main#main") and html.select_one("header") and html.select_one("nav")
        )
        levels = [int(h.name[1]) for h in html.select("h1, h2, h3, h4")]
        assert levels[0] == 1 and levels.count(1) == 1, page.url
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), page.url


def test_the_table_uses_real_table_semantics(client, module):
    table = soup(client, module.comparison.url).select_one("table.comparison")
    assert table.caption.get_text(strip=True)
    assert len(table.select("thead th[scope=col]")) == 1 + len(module.roles)
    assert len(table.select("tbody th[scope=row]")) == len(module.aspects)


def test_navigation_marks_the_current_section(client, module):
    nav = soup(client, module.roles[0].url).select_one("nav.site-nav")
    current = nav.select_one("[aria-current]")
    assert current["href"] == module.role_index.url
    assert {a.get_text() for a in nav.select("a")} >= {"Roles", "Table of Comparison"}


def test_role_page_links_to_its_career_path_and_shows_its_statements(client, module):
    role = module.roles[0]
    html = soup(client, role.url)
    assert html.find("a", href=module.careers[0].url)
    statements = html.select_one("dl.statements").get_text(" ")
    for i, _ in enumerate(module.aspects):
        assert f"{role.title} on aspect {i}" in statements


def test_career_path_shows_ordered_steps_linking_to_live_roles(client, module):
    path = module.careers[0]
    steps = soup(client, path.url).select("ol.career-steps > li")
    assert [s.h2.get_text(strip=True) for s in steps] == ["Senior role", "Other role"]
    assert steps[1].h2.a["href"] == module.roles[0].url
    module.roles[0].unpublish()
    steps = soup(client, path.url).select("ol.career-steps > li")
    assert steps[1].h2.a is None


def test_unknown_addresses_get_the_friendly_404(client, module):
    html = soup(client, "/no-such-lesson/", status=404)
    assert html.h1.get_text() == "Page not found"
    assert html.find("a", href="/")


def test_server_errors_get_the_friendly_500_page():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = BeautifulSoup(response.content, "html.parser")
    assert html.h1.get_text() == "Something went wrong"
    assert "Traceback" not in response.content.decode()


def test_module_page_last_updated_follows_the_newest_publish_below_it(client, module):
    lesson = module.lessons[1]
    lesson.title = "Renamed lesson"
    revision = lesson.save_revision()
    revision.publish()
    lesson.refresh_from_db()
    assert module.home.specific.last_updated == lesson.last_published_at
    time = soup(client, module.home.url).select_one(".page-header .meta time")
    assert time["datetime"] == lesson.last_published_at.date().isoformat()
