"""The lesson shell in a real Chromium: outline, reading to the end, Continue, reset, phones,
keyboard and axe. Progress lives in this browser's localStorage (module.js)."""

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

# Long enough that a lesson's end starts well below the fold, even on a wide screen.
LONG_BODY = [{"type": "paragraph", "value": "<p>" + "Programs and projects. " * 120 + "</p>"}] * 6
WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def long_module(lessons=10):
    module = build_module(lessons=0)
    module.lessons = [
        factories.LessonPageFactory(parent=module.home, title=f"Topic {i}", body=LONG_BODY)
        for i in range(1, lessons + 1)
    ]
    return module


def new_page(browser, viewport=WIDE, no_observer=False):
    context = browser.new_context(viewport=viewport)
    if no_observer:  # as in a browser without IntersectionObserver: only the button marks
        context.add_init_script("delete window.IntersectionObserver;")
    return context.new_page()


def state_of(page, title):
    item = page.locator(
        "[data-lesson-list] > li", has=page.get_by_role("link", name=title, exact=True)
    )
    return item.locator("[data-lesson-state]")


def read_to_the_end(page):
    page.locator("[data-lesson-end]").scroll_into_view_if_needed()
    expect(page.locator("[data-read-status]")).to_contain_text("Lesson marked as read")


def test_reaching_the_end_marks_a_lesson_read_and_the_outline_keeps_it_across_reloads(
    browser, live_server
):
    module = long_module(lessons=3)
    page = new_page(browser)
    page.goto(live_server.url + module.lessons[0].url)
    outline = page.locator(".outline")
    expect(outline.locator("details")).to_have_attribute("open", "")  # a sidebar when wide
    current = outline.locator("a[aria-current=page]")
    expect(current).to_have_text("Topic 1")
    expect(state_of(page, "Topic 1")).to_have_text("○ Not started")
    expect(page.locator(".outline [data-progress-text]")).to_have_text("0 of 3 lessons read")

    # Opening alone does not count, however long the lesson stays open.
    page.wait_for_timeout(700)
    expect(state_of(page, "Topic 1")).to_have_text("○ Not started")
    assert page.evaluate("TPMProgress.load().lessons") == {}

    read_to_the_end(page)
    expect(page.locator("[data-read-status]")).to_have_text(
        "You reached the end. Lesson marked as read: 1 of 3 lessons read."
    )
    expect(state_of(page, "Topic 1")).to_have_text("✓ Read")  # the outline, live
    expect(page.locator(".outline [data-progress-text]")).to_have_text("1 of 3 lessons read")

    page.goto(live_server.url + module.lessons[1].url)
    expect(state_of(page, "Topic 1")).to_have_text("✓ Read")
    expect(state_of(page, "Topic 2")).to_have_text("○ Not started")
    page.reload()
    expect(state_of(page, "Topic 1")).to_have_text("✓ Read")
    assert page.locator(".outline progress").evaluate("el => el.value") == 1
    # A lesson whose checks were all answered right (checks.js marks it) says so.
    page.evaluate(f"TPMProgress.mark('{module.lessons[2].pk}', 'checked')")
    expect(state_of(page, "Topic 3")).to_have_text("★ Checks passed")


def test_mark_as_read_marks_the_lesson_without_scrolling_it_into_view(browser, live_server):
    module = long_module(lessons=2)
    page = new_page(browser, no_observer=True)
    page.goto(live_server.url + module.lessons[1].url)
    page.locator("[data-lesson-end]").scroll_into_view_if_needed()
    expect(state_of(page, "Topic 2")).to_have_text("○ Not started")  # nothing observes it
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("status").filter(has_text="marked as read")).to_have_text(
        "Lesson marked as read: 1 of 2 lessons read."
    )
    expect(state_of(page, "Topic 2")).to_have_text("✓ Read")
    expect(page.get_by_role("button", name="Mark as read")).to_be_hidden()
    page.reload()
    expect(page.locator("[data-read-status]")).to_have_text("You have read this lesson.")


def test_continue_goes_after_the_furthest_lesson_read(browser, live_server):
    module = long_module(lessons=10)
    page = new_page(browser)
    home = live_server.url + module.home.url
    page.goto(home)
    cont = page.locator("[data-continue]")
    expect(cont).to_have_text("Start the module")
    assert cont.get_attribute("href") == module.lessons[0].url

    for number in (3, 9):  # out of order
        page.goto(live_server.url + module.lessons[number - 1].url)
        read_to_the_end(page)
    page.goto(home)
    expect(page.locator("[data-progress-text]")).to_have_text("2 of 10 lessons read")
    expect(cont).to_have_text("Continue: Topic 10")
    assert cont.get_attribute("href") == module.lessons[9].url
    expect(state_of(page, "Topic 3")).to_have_text("✓ Read")
    expect(state_of(page, "Topic 4")).to_have_text("○ Not started")

    # A lesson opened but not read yet is the one being read: continue there.
    page.goto(live_server.url + module.lessons[4].url)
    page.goto(home)
    expect(cont).to_have_text("Continue: Topic 5")


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        ({"lessons": {}}, -1),  # nothing opened: start
        ({"lessons": {}, "last": "b"}, 1),  # opened, not read: that one
        ({"lessons": {"a": {"read": True}}, "last": "a"}, 1),
        ({"lessons": {"a": {"read": True}, "c": {"read": True}}, "last": "a"}, 3),
        ({"lessons": {"a": {"checked": True}}, "last": "a"}, 1),  # checked counts as read
        ({"lessons": {"d": {"read": True}}, "last": "d"}, 0),  # the last one read: first unread
        ({"lessons": {k: {"read": True} for k in "abcd"}, "last": "b"}, 4),  # all: final check
    ],
)
def test_where_continue_leads(browser, live_server, progress, expected):
    module = long_module(lessons=1)
    page = new_page(browser)
    page.goto(live_server.url + module.home.url)
    at = page.evaluate("p => TPMProgress.continueAt(['a', 'b', 'c', 'd'], p)", progress)
    assert at == expected


def test_when_every_lesson_is_read_continue_leads_to_the_final_check(browser, live_server):
    module = long_module(lessons=2)
    page = new_page(browser)
    for lesson in module.lessons:
        page.goto(live_server.url + lesson.url)
        read_to_the_end(page)
    page.goto(live_server.url + module.home.url)
    cont = page.locator("[data-continue]")
    expect(cont).to_have_text(f"Continue: {module.final_check.title}")
    assert cont.get_attribute("href") == module.final_check.url


def test_without_a_final_check_continue_leads_to_the_last_lesson(browser, live_server):
    module = long_module(lessons=2)
    module.final_check.unpublish()
    page = new_page(browser)
    for lesson in module.lessons:
        page.goto(live_server.url + lesson.url)
        read_to_the_end(page)
    page.goto(live_server.url + module.home.url)
    cont = page.locator("[data-continue]")
    expect(cont).to_have_text("Continue: Topic 2")  # no final check published
    assert cont.get_attribute("href") == module.lessons[1].url


def test_resetting_progress_asks_first(browser, live_server):
    module = long_module(lessons=2)
    page = new_page(browser)
    page.goto(live_server.url + module.lessons[0].url)
    read_to_the_end(page)
    page.goto(live_server.url + module.home.url)
    text = page.locator("[data-progress-text]")
    expect(text).to_have_text("1 of 2 lessons read")

    reset = page.get_by_role("button", name="Reset my progress")
    reset.click()
    expect(page.get_by_text("Reset all progress?")).to_be_visible()
    expect(reset).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Cancel")).to_be_focused()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Reset all progress?")).to_be_hidden()
    expect(reset).to_be_focused()
    expect(text).to_have_text("1 of 2 lessons read")  # nothing lost

    reset.click()
    page.keyboard.press("Escape")
    expect(page.get_by_text("Reset all progress?")).to_be_hidden()
    expect(text).to_have_text("1 of 2 lessons read")

    reset.click()
    page.get_by_role("button", name="Yes, reset").click()
    expect(text).to_have_text("0 of 2 lessons read")
    expect(page.locator("[data-progress-status]")).to_have_text("Your progress was reset.")
    expect(page.locator("[data-continue]")).to_have_text("Start the module")
    page.reload()
    expect(text).to_have_text("0 of 2 lessons read")


@pytest.mark.parametrize("width", [360, 390])
def test_on_a_phone_the_outline_is_a_closed_list_above_the_lesson(browser, live_server, width):
    module = long_module(lessons=3)
    page = new_page(browser, viewport={"width": width, "height": 844})
    for url in (module.lessons[1].url, module.home.url):
        page.goto(live_server.url + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    page.goto(live_server.url + module.lessons[1].url)
    details = page.locator(".outline details")
    expect(details).not_to_have_attribute("open", "")
    summary = page.get_by_text("Lessons in this module (3)")
    outline_box = summary.bounding_box()
    assert outline_box["y"] < page.locator("article h1").bounding_box()["y"]
    first = page.locator(".outline").get_by_role("link", name="Topic 1", exact=True)
    expect(first).to_be_hidden()
    summary.click()
    expect(first).to_be_visible()
    expect(page.locator(".outline a[aria-current=page]")).to_have_text("Topic 2")


def focus_until(page, predicate, presses=60):
    """Press Tab until ``predicate`` (JS, of the focused element) holds; False if never."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return True
    return False


def test_keyboard_only_reach_the_outline_mark_as_read_and_continue(browser, live_server):
    module = long_module(lessons=3)
    page = new_page(browser, no_observer=True)
    page.goto(live_server.url + module.lessons[0].url)
    assert focus_until(page, "el.closest('.outline') && el.tagName === 'A'")
    assert page.evaluate("document.activeElement.textContent") == "Topic 1"
    assert focus_until(page, "el.matches('[data-mark-read]')")
    page.keyboard.press("Enter")
    expect(state_of(page, "Topic 1")).to_have_text("✓ Read")
    # The button is gone; focus stayed with the news, not lost to the page.
    assert page.evaluate("document.activeElement.matches('[data-read-status]')")
    assert focus_until(page, "el.matches('.pager__next')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + module.lessons[1].url)

    page.goto(live_server.url + module.home.url)
    assert focus_until(page, "el.matches('[data-continue]')")
    assert page.evaluate("document.activeElement.textContent") == "Continue: Topic 2"
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + module.lessons[1].url)


def assert_no_violations(axe, page, state):
    results = axe.run(page)
    assert results.violations_count == 0, f"{state}:\n{results.generate_report()}"


def test_the_shell_has_no_axe_violations_in_any_state(browser, live_server):
    module = long_module(lessons=3)
    axe = Axe()
    wide = new_page(browser)
    wide.goto(live_server.url + module.home.url)
    assert_no_violations(axe, wide, "module page, nothing read")
    wide.goto(live_server.url + module.lessons[0].url)
    assert_no_violations(axe, wide, "lesson, outline open (wide)")
    read_to_the_end(wide)
    assert_no_violations(axe, wide, "lesson, read")
    wide.goto(live_server.url + module.home.url)
    assert_no_violations(axe, wide, "module page, continue")
    wide.get_by_role("button", name="Reset my progress").click()
    assert_no_violations(axe, wide, "module page, asking to reset")

    phone = new_page(browser, viewport=PHONE)
    phone.goto(live_server.url + module.lessons[1].url)
    assert_no_violations(axe, phone, "lesson, outline closed (phone)")
    phone.get_by_text("Lessons in this module (3)").click()
    assert_no_violations(axe, phone, "lesson, outline opened (phone)")
