"""Knowledge checks in a real Chromium: feedback per option, retry, shuffled options, the
lesson counted as checked once every check is right, keyboard use, and axe over each state."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_browser import assert_no_violations
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]

OPTIONS = ["Stakeholders", "The sponsor", "The program board"]  # the sponsor is right
# Math.random pinned: 0 moves every option (A B C becomes B C A); just under 1 moves none.
MOVE_ALL = "Math.random = () => 0;"
MOVE_NONE = "Math.random = () => 0.999999;"


def lesson_with_checks(count=1):
    module = build_module(lessons=0)
    checks = [
        factories.knowledge_check(question=f"Question {n}?", right=1, options=OPTIONS)
        for n in range(1, count + 1)
    ]
    return factories.LessonPageFactory(parent=module.home, body=checks)


def open_lesson(browser, live_server, lesson, init_script=None, javascript=True, width=1280):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": 900}
    )
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    page.goto(live_server.url + lesson.url)
    return page


def labels(check):
    return check.locator(".knowledge-check__option label").all_text_contents()


def progress(page, lesson):
    return page.evaluate(f"window.TPMProgress.load().lessons['{lesson.pk}'] || {{}}")


def test_a_wrong_answer_shows_its_feedback_and_a_retry_leads_to_the_right_one(
    browser, live_server
):
    lesson = lesson_with_checks()
    page = open_lesson(browser, live_server, lesson)
    url = page.url
    check = page.locator("form.knowledge-check")
    feedback = check.locator(".knowledge-check__feedback")
    retry = check.get_by_role("button", name="Try again")
    expect(retry).to_be_hidden()

    check.get_by_label("The program board").check()
    check.get_by_role("button", name="Check my answer").click()
    expect(feedback).to_contain_text("✗ Not quite. The answer is: The sponsor.")
    expect(feedback).to_contain_text("Why The program board is False.")
    expect(feedback).to_contain_text("Roadmaps span several projects.")
    mine = check.locator(".knowledge-check__option", has_text="The program board")
    expect(mine.locator(".knowledge-check__mine")).to_have_text("✗Wrong: Your answer")
    expect(check.locator(".knowledge-check__mine")).to_have_count(1)
    assert page.url == url  # answered in place

    retry.click()
    expect(feedback).to_have_text("")
    expect(check.locator(".knowledge-check__mine")).to_have_count(0)
    expect(check.locator("input[name=answer]:checked")).to_have_count(0)
    expect(check.locator("input[name=answer]").first).to_be_focused()
    expect(retry).to_be_hidden()

    check.get_by_label("The sponsor").check()
    check.get_by_role("button", name="Check my answer").click()
    expect(feedback).to_contain_text("✓ Correct.")
    expect(feedback).to_contain_text("Why The sponsor is True.")
    expect(feedback).not_to_contain_text("Why The program board")
    mine = check.locator(".knowledge-check__option", has_text="The sponsor")
    expect(mine.locator(".knowledge-check__mine")).to_have_text("✓Right: Your answer")
    page.context.close()


def test_options_are_shuffled_with_javascript_and_in_the_editors_order_without(
    browser, live_server
):
    lesson = lesson_with_checks()
    page = open_lesson(browser, live_server, lesson, init_script=MOVE_ALL)
    check = page.locator("form.knowledge-check")
    assert labels(check) == ["The sponsor", "The program board", "Stakeholders"]
    # Shuffled options still answer as themselves: the right one is right wherever it sits.
    check.get_by_label("The sponsor").check()
    check.get_by_role("button", name="Check my answer").click()
    expect(check.locator(".knowledge-check__verdict")).to_have_text("Correct.")
    page.context.close()

    page = open_lesson(browser, live_server, lesson, init_script=MOVE_ALL, javascript=False)
    assert labels(page.locator("form.knowledge-check")) == OPTIONS
    page.context.close()


def test_without_javascript_the_same_feedback_comes_back_from_the_server(browser, live_server):
    lesson = lesson_with_checks()
    page = open_lesson(browser, live_server, lesson, javascript=False)
    check = page.locator("form.knowledge-check")
    check.get_by_label("Stakeholders").check()
    check.get_by_role("button", name="Check my answer").click()
    check = page.locator("form.knowledge-check")
    expect(check.locator(".knowledge-check__feedback")).to_contain_text(
        "✗ Not quite. The answer is: The sponsor."
    )
    expect(check.locator(".knowledge-check__feedback")).to_contain_text(
        "Why Stakeholders is False."
    )
    expect(check.get_by_label("Stakeholders")).to_be_checked()
    assert "answer=0" in page.url
    page.context.close()


def test_a_lesson_counts_as_checked_once_every_check_was_answered_right(browser, live_server):
    lesson = lesson_with_checks(count=2)
    page = open_lesson(browser, live_server, lesson)
    first, second = page.locator("form.knowledge-check").all()
    first.get_by_label("The sponsor").check()
    first.get_by_role("button", name="Check my answer").click()
    expect(first.locator(".knowledge-check__verdict")).to_have_text("Correct.")
    state = progress(page, lesson)
    assert state["right"] == [first.get_attribute("id")] and not state.get("checked")

    second.get_by_label("Stakeholders").check()
    second.get_by_role("button", name="Check my answer").click()
    expect(second.locator(".knowledge-check__verdict")).to_contain_text("Not quite.")
    assert not progress(page, lesson).get("checked")  # a wrong answer does not count

    second.get_by_role("button", name="Try again").click()
    second.get_by_label("The sponsor").check()
    second.get_by_role("button", name="Check my answer").click()
    expect(second.locator(".knowledge-check__verdict")).to_have_text("Correct.")
    state = progress(page, lesson)
    assert state["checked"] is True and len(state["right"]) == 2
    page.reload()  # remembered, and a right answer again adds nothing twice
    assert progress(page, lesson)["checked"] is True
    page.context.close()


def test_a_check_can_be_answered_and_retried_with_the_keyboard_alone(browser, live_server):
    lesson = lesson_with_checks()
    page = open_lesson(browser, live_server, lesson, init_script=MOVE_NONE)
    check = page.locator("form.knowledge-check")
    radios = check.locator("input[name=answer]")
    for _ in range(40):  # Tab through the page to the first option
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "answer":
            break
    expect(radios.nth(0)).to_be_focused()
    page.keyboard.press("Space")  # "Stakeholders": wrong
    page.keyboard.press("Tab")
    expect(check.get_by_role("button", name="Check my answer")).to_be_focused()
    page.keyboard.press("Enter")
    expect(check.locator(".knowledge-check__verdict")).to_contain_text("Not quite.")

    page.keyboard.press("Tab")
    expect(check.get_by_role("button", name="Try again")).to_be_focused()
    page.keyboard.press("Enter")
    expect(radios.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")  # moves to, and chooses, "The sponsor"
    expect(radios.nth(1)).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(check.locator(".knowledge-check__verdict")).to_have_text("Correct.")
    page.context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_answered_checks_objectives_and_scenarios_have_no_axe_violations(
    browser, live_server, width
):
    module = build_module(lessons=0)
    hostile = factories.hostile("Perspective")
    lesson = factories.LessonPageFactory(
        parent=module.home,
        body=[
            factories.scenario([(module.roles[0], hostile), (module.roles[1], "Ships it.")]),
            factories.knowledge_check(right=1, options=OPTIONS),
        ],
    )
    page = open_lesson(browser, live_server, lesson, width=width)
    axe = Axe()
    check = page.locator("form.knowledge-check")
    for option, verdict in [("Stakeholders", "Not quite."), ("The sponsor", "Correct.")]:
        check.get_by_label(option).check()
        check.get_by_role("button", name="Check my answer").click()
        expect(check.locator(".knowledge-check__verdict")).to_contain_text(verdict)
        assert_no_violations(axe, page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.locator(".scenario__perspective").first).to_contain_text(hostile)
    page.context.close()
