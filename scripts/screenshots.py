"""Take the README's screenshots from a running site (default http://127.0.0.1:8000).

    make run                       # in one terminal
    make screenshots               # in another; BASE_URL=... to point elsewhere

Uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM=...) through Playwright. It walks the
module as a learner would: reads lessons to their end, answers a knowledge check wrongly,
passes the final check, opens the completion summary; and looks at a lesson and the infographic
on a phone. With an admin account's name and password in the environment it also shows the
admin's matrix.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS as ARGS  # noqa: E402 - the browser tests' switches

BASE = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
OUT = ROOT / "docs"
WIDE = {"width": 1440, "height": 1000}
PHONE = {"width": 390, "height": 844}


def shot(target, name, **kwargs):
    target.screenshot(path=OUT / name, **kwargs)
    print(f"docs/{name}")


def read_to_the_end(page, url):
    """Open a lesson and scroll to its end, which counts it as read; return its checks'
    right answers as {question: option text} (read from the page, for the final check)."""
    page.goto(url)
    page.locator("[data-lesson-end]").scroll_into_view_if_needed()
    expect(page.locator("[data-read-status]")).not_to_be_empty()
    return page.locator("form.knowledge-check").evaluate_all(
        """forms => Object.fromEntries(forms.map(form => [
            form.querySelector('legend').textContent.replace('Check your understanding: ', ''),
            form.querySelector('label[for="' + form.id + '-' + form.dataset.correct + '"]')
                .textContent,
        ]))"""
    )


def pass_the_final_check(page, answers):
    page.goto(f"{BASE}/")
    page.locator("a[data-final-check]").first.click()
    for question in page.locator("fieldset.final-check__question").all():
        text = question.locator("legend").inner_text().split(". ", 1)[1]
        question.get_by_label(answers[text], exact=True).check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.locator("[data-final-result]")).to_have_attribute("data-passed", "true")


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS
        )
        page = browser.new_page(viewport=WIDE)
        page.goto(f"{BASE}/")
        lessons = page.locator(".lesson-list a").evaluate_all("els => els.map(e => e.href)")

        # Three lessons read: the module page shows progress and "Continue: <lesson 4>".
        answers = {}
        for url in lessons[:3]:
            answers.update(read_to_the_end(page, url))
        page.goto(f"{BASE}/")
        shot(page, "module-page.png")
        shot(page.locator("figure.infographic .infographic__wide svg"), "infographic.png")

        # A lesson beside its outline, a knowledge check answered wrongly: its feedback shows.
        page.goto(lessons[1])
        check = page.locator("form.knowledge-check").first
        wrong = check.locator("input[type=radio]").evaluate_all(
            "(inputs, right) => inputs.find(i => i.value !== right).id",
            check.get_attribute("data-correct"),
        )
        check.locator(f"label[for='{wrong}']").click()
        check.get_by_role("button", name="Check my answer").click()
        check.evaluate("el => el.scrollIntoView({block: 'center'})")
        shot(page, "lesson-knowledge-check.png")

        # Every lesson read and the final check passed: the result, then the summary.
        for url in lessons[3:]:
            answers.update(read_to_the_end(page, url))
        pass_the_final_check(page, answers)
        page.locator("[data-final-result]").evaluate("el => el.scrollIntoView()")
        shot(page, "final-check-result.png")
        page.goto(f"{BASE}/")
        page.get_by_role("link", name="Print your completion summary").click()
        page.locator("[data-summary-name-input]").fill("Alex Learner")
        shot(page, "completion-summary.png")

        # The self-assessment, answered, showing its result.
        page.goto(f"{BASE}/")
        page.get_by_role("link", name="Take the self-assessment").click()
        for question in page.locator("fieldset.assessment__question").all():
            question.locator("input[type=radio]").first.check()
        page.get_by_role("button", name="Show my best match").click()
        shot(page.locator(".assessment-result"), "self-assessment-result.png")

        # A phone: a lesson with its outline folded above it.
        phone = browser.new_page(viewport=PHONE, device_scale_factor=2)
        phone.goto(lessons[3])
        shot(phone, "phone-lesson.png")

        # The infographic on a phone: the narrow layout the module page picks at 390 px.
        phone.goto(f"{BASE}/")
        shot(phone.locator("figure.infographic .infographic__narrow svg"), "infographic-phone.png")
        admin_matrix(browser)
        browser.close()


def admin_matrix(browser):
    """The admin's comparison matrix with one cell's form open and a new wording typed (not
    saved: the shot changes nothing). Needs an admin account: DJANGO_SUPERUSER_USERNAME and
    DJANGO_SUPERUSER_PASSWORD, as `manage.py ensure_admin` takes them."""
    username = os.environ.get("DJANGO_SUPERUSER_USERNAME")
    password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
    if not (username and password):
        print("docs/admin-matrix.png skipped: set DJANGO_SUPERUSER_USERNAME and _PASSWORD")
        return
    page = browser.new_page(viewport=WIDE)
    page.goto(f"{BASE}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{BASE}/admin/comparison-matrix/")
    form = page.locator("form[data-matrix-cell]").first
    form.locator("xpath=ancestor::td").locator("summary").click()
    form.locator("textarea").fill("Owns the roadmap of every project in the program")
    shot(page, "admin-matrix.png")


if __name__ == "__main__":
    sys.exit(main())
