"""A reader in a real Chromium: the table, all ten lessons by 'Next', accessibility, phones,
and a Content-Security-Policy that blocks nothing the pages do."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from wagtail.models import Page

from tests import factories
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


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
    page.locator(".pager__next").click()  # after the last lesson: the final check
    expect(page.locator("h1")).to_have_text(module.final_check.title)


def test_keyboard_users_can_skip_to_the_content(live_server, page):
    build_module()
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def assert_no_violations(axe, page):
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}:\n{results.generate_report()}"


@pytest.mark.parametrize("width", [360, 1440])
def test_pages_have_no_axe_violations_and_fit_the_screen(live_server, browser, width):
    module = build_module()
    checked = factories.LessonPageFactory(
        parent=module.home, body=[factories.knowledge_check()], title="Checked lesson"
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    # The Content-Security-Policy must not block anything the public pages do.
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    axe = Axe()
    # A crawl: every published page, then pages made by queries.
    # (Wagtail's own welcome page, outside the site when this runs first, has no URL.)
    urls = [p.url for p in Page.objects.live().specific().exclude(depth=1) if p.url] + [
        "/search/?q=aspect",
        f"{module.comparison.url}?as_of=2025-03-05",
        "/no-such-page/",
    ]
    for url in urls:
        page.goto(live_server.url + url)
        assert_no_violations(axe, page)
        # Readable on a phone: nothing forces the reader to scroll sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    # The self-assessment's result, and a knowledge check with its feedback, are checked too.
    page.goto(live_server.url + module.assessment.url)
    for question in page.locator("fieldset.assessment__question").all():
        question.get_by_label("No preference").check()
    page.get_by_role("button", name="Show my best match").click()
    page.wait_for_selector(".assessment-result")
    assert_no_violations(axe, page)
    page.goto(live_server.url + checked.url)
    page.get_by_label("The Technical Program Manager").check()
    page.get_by_role("button", name="Check my answer").click()
    page.wait_for_selector(".knowledge-check__verdict")
    assert_no_violations(axe, page)
    assert refused == []
    context.close()


def test_the_reading_path_and_a_knowledge_check_work_with_the_keyboard_alone(live_server, page):
    module = build_module(lessons=0)
    first = factories.LessonPageFactory(parent=module.home, body=[factories.knowledge_check()])
    second = factories.LessonPageFactory(parent=module.home)
    page.goto(live_server.url + module.home.url)

    def tab_to(locator, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if locator.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"could not reach {locator} with Tab")

    tab_to(page.locator(".lesson-list a").first)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(first.title)
    # Tab enters a radio group at its first option (options are shuffled: whichever comes
    # first in the page); the arrow keys move and choose within it.
    radios = page.locator("form.knowledge-check input[type=radio]")
    tab_to(radios.first)
    right = page.get_by_label("The Technical Program Manager")
    for _ in range(radios.count()):
        if right.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(right).to_be_checked()
    tab_to(page.get_by_role("button", name="Check my answer"))
    page.keyboard.press("Enter")
    expect(page.locator(".knowledge-check__feedback")).to_contain_text("Correct.")
    tab_to(page.locator("a[rel=next]"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(second.title)


def test_the_self_assessment_works_with_the_keyboard_alone(live_server, page):
    module = build_module()
    project = module.roles[1]
    page.goto(live_server.url + module.assessment.url)
    questions = page.locator("fieldset.assessment__question")
    for i in range(questions.count()):
        # Tab lands on a radio group; arrow keys choose within it, as in any native form.
        target = questions.nth(i).get_by_label(f"Like {project.title}")
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.type") == "radio":
                break
        for _ in range(5):
            if target.is_checked():
                break
            page.keyboard.press("ArrowDown")
        assert target.is_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show my best match")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".assessment-result h2")).to_have_text(f"Your best match: {project.title}")
