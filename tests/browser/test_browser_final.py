"""The final check and completion in a real Chromium: with and without JavaScript, the result
kept in this browser, the completion panel, the printable summary, keyboard and axe."""

import datetime
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from roles.models import FinalCheckPage
from tests import factories
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]

KEY = "tpm-module-progress"  # module.js's localStorage key
OPTIONS = ["Steering committee", "Delivery team", "Finance office"]


def module_with_checks():
    """Two lessons with two checks each; the right option is never the first."""
    module = build_module(lessons=0)
    module.lessons = [
        factories.LessonPageFactory(
            parent=module.home,
            body=[
                factories.knowledge_check(f"Question {n}.{i}?", right=1 + i, options=OPTIONS)
                for i in range(2)
            ],
        )
        for n in (1, 2)
    ]
    module.final = FinalCheckPage.objects.get()
    return module


def answer_all(page, right):
    """Choose the right option in every question, or a wrong one."""
    questions = page.locator("fieldset.final-check__question")
    for i in range(questions.count()):
        pick = OPTIONS[1 + i % 2] if right else OPTIONS[0]
        questions.nth(i).get_by_label(pick).check()
    page.get_by_role("button", name="Check my answers").click()


def stored(page):
    return json.loads(page.evaluate(f"localStorage.getItem('{KEY}') || '{{}}'"))


def store(page, module, read, passed=True):
    """Progress as module.js keeps it: the first ``read`` lessons read, and a final result."""
    data = {
        "lessons": {str(lesson.pk): {"read": True} for lesson in module.lessons[:read]},
        "final": {"score": 4, "total": 4, "percent": 100, "passed": passed, "date": "2026-01-02"},
    }
    page.evaluate(f"localStorage.setItem('{KEY}', {json.dumps(json.dumps(data))})")


@pytest.mark.parametrize("javascript", [True, False])
def test_failing_then_passing_the_final_check(browser, live_server, javascript):
    module = module_with_checks()
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + module.final.url)
    answer_all(page, right=False)
    result = page.locator("[data-final-result]")
    expect(result.locator("h2")).to_have_text("Not passed yet: 0 of 4, 0%")
    expect(result).to_contain_text("You did not pass this time: the pass mark is 80%.")
    expect(result.locator(".final-review__verdict").first).to_contain_text("Wrong")
    expect(
        result.get_by_role("link", name=f"Reread: {module.lessons[0].title}").first
    ).to_be_visible()
    if javascript:
        assert stored(page)["final"]["passed"] is False
    answer_all(page, right=True)
    expect(result.locator("h2")).to_have_text("Passed: 4 of 4, 100%")
    expect(result).to_contain_text("You passed: the pass mark is 80%.")
    if javascript:
        today = page.evaluate("new Date().toLocaleDateString('en-CA')")  # YYYY-MM-DD, local
        assert stored(page)["final"] == {
            "score": 4,
            "total": 4,
            "percent": 100,
            "passed": True,
            "date": today,
        }
        expect(result.get_by_role("link", name="See your completion summary")).to_be_visible()
        # A later fail keeps the pass: practising again never takes a completion away.
        answer_all(page, right=False)
        expect(result.locator("h2")).to_contain_text("Not passed yet")
        assert stored(page)["final"]["passed"] is True
    context.close()


def test_the_completion_panel_appears_only_when_every_lesson_is_read_and_the_check_passed(
    browser, live_server
):
    module = module_with_checks()
    page = browser.new_context().new_page()
    home = live_server.url + module.home.url
    page.goto(home)
    panel = page.locator("[data-completion]")
    expect(panel).to_be_hidden()
    for read, passed in [(1, True), (2, False)]:  # one lesson unread; the check failed
        store(page, module, read, passed)
        page.reload()
        expect(page.locator("[data-progress-text]")).to_have_text(f"{read} of 2 lessons read")
        expect(panel).to_be_hidden()
    store(page, module, 2, True)  # positive control
    page.reload()
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("You have completed the module")
    expect(panel).to_contain_text("4 of 4, 100%, passed on 2026-01-02")
    panel.get_by_role("link", name="Print your completion summary").click()
    expect(page.locator("[data-summary-complete]")).to_be_visible()


def test_the_summary_prints_the_typed_name_which_is_never_sent(browser, live_server):
    module = module_with_checks()
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("request", lambda r: requests.append(f"{r.url} {r.post_data or ''}"))
    page.goto(live_server.url + module.home.url)
    store(page, module, 2, True)
    page.goto(live_server.url + module.final.url + "summary/")
    expect(page.locator("[data-summary-empty]")).to_be_hidden()
    sheet = page.locator("[data-summary-complete]")
    expect(sheet).to_contain_text("4 of 4, 100%")
    expect(sheet).to_contain_text("2026-01-02")
    expect(sheet).to_contain_text("Your name stays in this browser")
    page.get_by_label("Your name, for the printout (optional)").fill("Zanzibar Quokka")
    expect(page.locator("#summary-heading")).to_have_text(
        f"Completed: {module.home.title}, by Zanzibar Quokka"
    )
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed") is True
    page.reload()  # whatever the page might send on leaving
    assert requests and not [r for r in requests if "Zanzibar" in r or "Quokka" in r]
    context.close()


def test_print_shows_the_summary_alone_on_one_a4_page(browser, live_server):
    module = module_with_checks()
    page = browser.new_context().new_page()
    page.goto(live_server.url + module.home.url)
    store(page, module, 2, True)
    page.goto(live_server.url + module.final.url + "summary/")
    page.get_by_label("Your name, for the printout (optional)").fill("Ada")
    expect(page.locator(".site-header")).to_be_visible()  # positive control, on screen
    page.emulate_media(media="print")
    for chrome in (".site-header", ".site-footer", ".completion-summary__controls"):
        expect(page.locator(chrome)).to_be_hidden()
    expect(page.locator("#summary-heading")).to_contain_text("Ada")
    pdf = page.pdf(format="A4")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1


def test_the_summary_without_progress_says_how_to_complete(browser, live_server):
    module = module_with_checks()
    page = browser.new_context().new_page()
    page.goto(live_server.url + module.final.url + "summary/")
    empty = page.locator("[data-summary-empty]")
    expect(empty).to_contain_text("There is no completion to show in this browser yet")
    expect(empty.get_by_role("link", name=module.lessons[0].title)).to_be_visible()
    expect(page.locator("[data-summary-complete]")).to_be_hidden()


def test_the_final_check_works_with_the_keyboard_alone(browser, live_server):
    module = module_with_checks()
    page = browser.new_context().new_page()
    page.goto(live_server.url + module.final.url)
    questions = page.locator("fieldset.final-check__question")
    for i in range(questions.count()):
        target = questions.nth(i).get_by_label(OPTIONS[1 + i % 2])
        for _ in range(40):  # Tab lands on the next radio group
            page.keyboard.press("Tab")
            focused = page.evaluate("[document.activeElement.type, document.activeElement.name]")
            if focused[0] == "radio" and target.get_attribute("name") == focused[1]:
                break
        for _ in range(len(OPTIONS)):
            if target.is_checked():
                break
            page.keyboard.press("ArrowDown")
        assert target.is_checked()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "BUTTON":
            break
    expect(page.get_by_role("button", name="Check my answers")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-final-result] h2")).to_have_text("Passed: 4 of 4, 100%")


@pytest.mark.parametrize("width", [360, 1280])
def test_final_check_states_have_no_axe_violations_and_fit_the_screen(browser, live_server, width):
    module = module_with_checks()
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    axe = Axe()

    def check(state):
        results = axe.run(page)
        assert results.violations_count == 0, f"{state}:\n{results.generate_report()}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, state

    page.goto(live_server.url + module.final.url)
    check("unanswered")
    answer_all(page, right=False)
    page.wait_for_selector("[data-final-result]")
    check("failed result")
    answer_all(page, right=True)
    expect(page.locator("[data-final-result] h2")).to_contain_text("Passed")
    check("passed result")
    store(page, module, 2, True)
    page.goto(live_server.url + module.home.url)
    expect(page.locator("[data-completion]")).to_be_visible()
    check("module page, completed")
    page.goto(live_server.url + module.final.url + "summary/")
    page.get_by_label("Your name, for the printout (optional)").fill("Ada")
    check("summary")
    assert datetime.date.fromisoformat(page.locator("[data-summary-date]").inner_text())
