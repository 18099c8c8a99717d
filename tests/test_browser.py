"""A reader in a real Chromium: the table, all ten lessons by 'Next', accessibility, phones."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser(chromium_path):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (building pages) are still synchronous, so Django's async guard is relaxed here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def wagtail_root(transactional_db):
    """The root page, locale and site that Wagtail's migrations create.

    A live-server test commits, so its database is emptied afterwards, migration data too.
    serialized_rollback=True restored it when these tests ran alone but not after other tests
    (the connection had no saved copy by then), so the few rows needed are made here.
    """
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en-gb"))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_a_reader_sees_the_table_and_follows_next_through_all_ten_lessons(live_server, page):
    module = build_module(lessons=10)
    page.goto(live_server.url + "/")

    table = page.locator("table.comparison").first
    expect(table.locator("caption")).to_be_visible()
    for role in module.roles:
        expect(table.locator("thead")).to_contain_text(role.heading)
    for aspect in module.aspects:
        expect(table.locator("tbody")).to_contain_text(aspect.title)

    page.locator(".lesson-list a").first.click()
    for number, lesson in enumerate(module.lessons, start=1):
        expect(page.locator("h1")).to_have_text(lesson.title)
        expect(page.locator(".eyebrow")).to_have_text(f"Lesson {number} of 10")
        if number < 10:
            page.locator("a[rel=next]").click()
    expect(page.locator("a[rel=next]")).to_have_count(0)
    page.get_by_role("link", name="Back to the module").click()
    expect(page.locator("h1")).to_have_text(module.home.title)


def test_keyboard_users_can_skip_to_the_content(live_server, page):
    build_module()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [360, 1440])
def test_pages_have_no_axe_violations_and_fit_the_screen(live_server, browser, width):
    module = build_module()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    axe = Axe()
    urls = [
        module.home.url,
        module.comparison.url,
        module.roles[0].url,
        module.aspects[0].url,
        module.careers[0].url,
        module.lessons[0].url,
        "/no-such-page/",
    ]
    for url in urls:
        page.goto(live_server.url + url)
        results = axe.run(page)
        assert results.violations_count == 0, f"{url}:\n{results.generate_report()}"
        # Readable on a phone: nothing forces the reader to scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    context.close()
