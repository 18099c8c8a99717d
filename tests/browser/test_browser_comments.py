"""Learners' comments end to end in Chromium (issue 18): a learner asks a question under a
lesson without an account, an editor approves it and replies in the admin, and the question
and the reply appear under the lesson. axe over the section's states."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from roles.comments import MIN_SECONDS
from tests import factories
from tests.browser.test_browser import assert_no_violations
from tests.browser.test_browser_editor import sign_in
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


def test_a_question_is_asked_approved_with_a_reply_and_shown(browser, live_server):
    module = build_module(roles=2, aspects=1, lessons=1)
    lesson = module.lessons[0]
    editor = factories.UserFactory(groups=["Editors"])
    axe = Axe()

    learner = browser.new_page()
    learner.goto(live_server.url + lesson.url)
    section = learner.locator("#comments")
    expect(section).to_contain_text("No comments yet — ask the first question.")
    assert_no_violations(axe, learner)
    learner.get_by_label("Display name").fill("Ada")
    learner.get_by_label("Your question or comment").fill("Who writes the roadmap?")
    learner.wait_for_timeout(MIN_SECONDS * 1000 + 200)  # a person reads before sending
    learner.get_by_role("button", name="Send for review").click()
    expect(learner.locator("h1")).to_have_text(
        "Thanks — your comment will appear once an editor has approved it."
    )
    assert_no_violations(axe, learner)
    learner.get_by_role("link", name=f"Back to “{lesson.title}”").click()
    expect(learner.locator("#comments")).not_to_contain_text("Who writes the roadmap?")

    # A mistake: sent empty, the form says what to fix, at the field.
    learner.get_by_role("button", name="Send for review").click()
    expect(learner.locator("#id_text-error")).to_contain_text("This field is required")
    expect(learner.locator("#id_text")).to_have_attribute("aria-invalid", "true")
    assert_no_violations(axe, learner)

    # The editor finds it on the dashboard, approves it with a reply.
    ed = sign_in(browser, live_server, editor)
    expect(ed.get_by_text("1 pending")).to_be_visible()
    ed.get_by_role("link", name="Comments", exact=True).first.click()
    ed.get_by_role("link", name="Ada").click()
    ed.get_by_role("textbox", name="Reply").fill("The program manager, with the teams.")
    ed.locator("#id_status").select_option("approved")
    ed.get_by_role("button", name="Save").click()
    expect(ed.locator(".messages")).to_contain_text("updated")

    learner.goto(live_server.url + lesson.url)
    comment = learner.locator("#comments .comment")
    expect(comment).to_contain_text("Ada")
    expect(comment).to_contain_text("Who writes the roadmap?")
    expect(comment.locator(".comment__reply")).to_contain_text(
        "Reply from the learning team The program manager, with the teams."
    )
    assert_no_violations(axe, learner)
