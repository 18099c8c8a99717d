"""Hostile content in a real Chromium: no dialog opens and the page breaks no CSP rule."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from wagtail.models import Page

from roles.content.loader import DEFAULT_FILE
from roles.models import AspectPage, RolePage
from tests.test_xss import poison

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


def test_hostile_content_runs_nothing_in_the_browser(browser, live_server, tmp_path):
    path = tmp_path / "module.yaml"
    path.write_text(yaml.safe_dump(poison(yaml.safe_load(Path(DEFAULT_FILE).read_text()))))
    call_command("load_module", file=path, verbosity=0)
    pages = Page.objects.live().specific().exclude(depth=1).order_by("path")
    comparison = next(p for p in pages if p.specific_class.__name__ == "ComparisonPage")
    aspect, role = AspectPage.objects.live().first(), RolePage.objects.live().first()
    urls = [p.url for p in pages] + [
        f"{comparison.url}?as_of=2025-03-05",
        f"{comparison.url}history/{aspect.pk}/{role.pk}/",
        f"{comparison.url}infographic/",
    ]

    dialogs, violations = [], []
    page = browser.new_context().new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on(
        "console",
        lambda msg: "Content Security Policy" in msg.text and violations.append(msg.text),
    )
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        # Hover what a mouse handler could hide behind, then give timers a moment.
        for element in page.locator("main b:visible, main img:visible").all()[:10]:
            element.hover(timeout=1000)
        page.wait_for_timeout(50)
    page.goto(live_server.url + comparison.url)
    assert "<script>alert(1)</script>" in page.locator("main").inner_text()  # shown as text
    assert dialogs == []
    assert violations == []
