"""Learning in a real Chromium: knowledge checks with and without JavaScript, progress."""

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


def module_with_checks():
    module = build_module(lessons=0)
    module.lessons = [
        factories.LessonPageFactory(parent=module.home, body=[factories.knowledge_check()])
        for _ in range(3)
    ]
    return module


@pytest.mark.parametrize("javascript", [True, False])
def test_answering_a_knowledge_check(browser, live_server, javascript):
    module = module_with_checks()
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + module.lessons[0].url)
    url = page.url
    page.get_by_label("The Technical Project Manager").check()
    page.get_by_role("button", name="Check my answer").click()
    feedback = page.locator(".knowledge-check__feedback")
    expect(feedback).to_contain_text("Not quite. The answer is: The Technical Program Manager.")
    expect(feedback).to_contain_text("Roadmaps span several projects.")
    if javascript:
        assert page.url == url  # instant: no round trip
    page.get_by_label("The Technical Program Manager").check()
    page.get_by_role("button", name="Check my answer").click()
    expect(feedback).to_contain_text("Correct.")
    context.close()


def test_progress_is_remembered_across_reloads_and_can_be_reset(browser, live_server):
    module = module_with_checks()
    page = browser.new_context().new_page()
    home = live_server.url + module.home.url
    page.goto(home)
    expect(page.locator("[data-progress-text]")).to_have_text("0 of 3 lessons read")
    expect(page.locator("[data-continue]")).to_have_text("Start the module")

    # These lessons are short: their end is on screen as they open, so reading them counts
    # (test_browser_shell.py covers long lessons, read only once their end is reached).
    for lesson in module.lessons[:2]:
        page.goto(live_server.url + lesson.url)
        expect(page.locator("[data-read-status]")).to_contain_text("Lesson marked as read")
    page.goto(home)
    page.reload()
    expect(page.locator("[data-progress-text]")).to_have_text("2 of 3 lessons read")
    assert page.locator("progress").evaluate("el => el.value") == 2
    cont = page.locator("[data-continue]")
    expect(cont).to_have_text(f"Continue: {module.lessons[2].title}")
    assert cont.get_attribute("href") == module.lessons[2].url
    expect(page.locator('.lesson-list [data-state="read"]')).to_have_count(2)

    page.get_by_role("button", name="Reset my progress").click()
    page.get_by_role("button", name="Yes, reset").click()
    page.reload()
    expect(page.locator("[data-progress-text]")).to_have_text("0 of 3 lessons read")


def test_taking_the_self_assessment_leads_to_the_recommended_career_path(browser, live_server):
    module = build_module()
    project = module.roles[1]
    page = browser.new_context().new_page()
    page.goto(live_server.url + module.home.url)
    page.get_by_role("link", name="Take the self-assessment").click()
    # The link navigates: wait for the form before listing its questions (.all() does
    # not wait, and on a slower machine it listed the home page's none).
    questions = page.locator("fieldset.assessment__question")
    expect(questions).to_have_count(len(module.assessment.questions))
    for question in questions.all():
        question.get_by_label(f"Like {project.title}").check()
    page.get_by_role("button", name="Show my best match").click()
    expect(page.locator(".assessment-result h2")).to_have_text(f"Your best match: {project.title}")
    page.get_by_role("link", name=f"See the {project.title} career path").click()
    expect(page.locator("h1")).to_have_text(module.careers[1].title)


def test_a_tied_self_assessment_explains_both_roles(browser, live_server):
    module = build_module()
    program, project = module.roles
    page = browser.new_context().new_page()
    page.goto(live_server.url + module.assessment.url)
    questions = page.locator("fieldset.assessment__question")
    expect(questions).to_have_count(3)
    # "Like X" gives X 3 points and the other role 1: program, project, no preference is 4 to 4.
    answers = [f"Like {program.title}", f"Like {project.title}", "No preference"]
    for question, answer in zip(questions.all(), answers, strict=True):
        question.get_by_label(answer).check()
    page.keyboard.press("Enter")  # the form submits from the keyboard, as forms do
    result = page.locator(".assessment-result")
    expect(result.locator("h2")).to_have_text(f"A tie: {program.title} and {project.title}")
    expect(result).to_contain_text("Your answers fit both roles equally.")
    expect(result.locator(".assessment-why h3")).to_have_text(
        [f"Why {program.title}", f"Why {project.title}"]
    )
    assert Axe().run(page).violations_count == 0
