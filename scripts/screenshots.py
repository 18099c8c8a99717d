"""Take the README's screenshots from a running site (default http://127.0.0.1:8000).

    make run                       # in one terminal
    make screenshots               # in another; BASE_URL=... to point elsewhere

Uses Debian's Chromium (/usr/bin/chromium, or CHROMIUM=...) through Playwright.
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS as ARGS  # noqa: E402 - the browser tests' switches

BASE = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
OUT = ROOT / "docs"


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 1000})

        # Read two lessons, so the module page has progress to show.
        page.goto(f"{BASE}/")
        lessons = page.locator(".lesson-list a").evaluate_all("els => els.map(e => e.href)")
        for url in lessons[:2]:
            page.goto(url)
        page.goto(f"{BASE}/")
        page.screenshot(path=OUT / "module-page.png")
        print("docs/module-page.png")

        page.locator("figure.infographic svg").screenshot(path=OUT / "infographic.png")
        print("docs/infographic.png")

        # A lesson with its knowledge check answered.
        page.goto(lessons[0])
        check = page.locator("form.knowledge-check").first
        check.locator("input[type=radio]").first.check()
        check.get_by_role("button", name="Check my answer").click()
        check.scroll_into_view_if_needed()
        page.screenshot(path=OUT / "lesson-knowledge-check.png")
        print("docs/lesson-knowledge-check.png")

        # The self-assessment, answered, showing its result.
        page.goto(f"{BASE}/")
        page.get_by_role("link", name="Take the self-assessment").click()
        for question in page.locator("fieldset.assessment__question").all():
            question.locator("input[type=radio]").first.check()
        page.get_by_role("button", name="Show my best match").click()
        page.locator(".assessment-result").screenshot(path=OUT / "self-assessment-result.png")
        print("docs/self-assessment-result.png")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
