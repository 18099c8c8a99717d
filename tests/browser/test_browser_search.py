"""Search in a real Chromium on a phone-sized screen: long queries, passages, accessibility."""

from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import factories
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]

WIDTH = 360
URL = "https://example.com/" + "very-long-path-segment/" * 8 + "x" * 7  # 200 characters


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": 800})
    yield context.new_page()
    context.close()


def fits(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def no_violations(page):
    results = Axe().run(page)
    assert results.violations_count == 0, f"{page.url}:\n{results.generate_report()}"


@pytest.mark.parametrize("query", ["a" * 500, URL], ids=["500 a", "200-char URL"])
def test_a_long_unbroken_query_never_makes_the_page_scroll_sideways(live_server, phone, query):
    module = build_module(lessons=1)
    # The page holds the long word too, so both states are seen: a result, and none.
    factories.LessonPageFactory(
        parent=module.home, title="Long words", paragraph=f"<p>Stakeholders read {URL}.</p>"
    )
    for q in (query, query + " stakeholder"):
        phone.goto(f"{live_server.url}/search/?{urlencode({'q': q})}")
        expect(phone.locator(".search-query")).to_have_text(q[:200].strip())
        assert fits(phone), q[:40]


def test_results_and_no_results_have_no_axe_violations(live_server, phone):
    module = build_module(lessons=1)
    factories.LessonPageFactory(
        parent=module.home,
        title="Talking to people",
        paragraph="<p>Keep stakeholders informed every week.</p>",
    )
    phone.goto(f"{live_server.url}/search/?q=stakeholder")
    expect(phone.locator(".search-results__passage mark")).to_have_text(["stakeholders"] * 2)
    expect(phone.locator(".search-results__type")).to_have_text(["Lesson"])
    no_violations(phone)
    assert fits(phone)
    phone.goto(f"{live_server.url}/search/?q=zebra")
    expect(phone.get_by_role("status")).to_have_text("0 results for “zebra”")
    no_violations(phone)
    assert fits(phone)


def test_a_career_path_fork_reads_and_fits_on_a_phone(live_server, phone):
    module = build_module(lessons=1)
    path = factories.CareerPathPageFactory(
        parent=module.career_index,
        steps=[
            ("Project manager", None),
            ("Program manager", module.roles[0]),
            ("Portfolio management", None, True),
        ],
    )
    phone.goto(live_server.url + path.url)
    branches = phone.locator("ol.career-steps > li > ul.career-fork > li")
    expect(branches.locator("h2")).to_have_text(
        ["Either Program manager", "or Portfolio management"]
    )
    no_violations(phone)
    assert fits(phone)
