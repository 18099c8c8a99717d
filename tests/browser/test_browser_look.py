"""The look in a real Chromium: the revision history disclosure opened is still accessible,
pages fit a 360 px phone, and a keyboard user sees where the focus is on a button."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


def open_revision_history(page):
    """Open the page's disclosure as a reader would, by its summary."""
    summary = page.locator("details.revision-history > summary")
    expect(summary).to_have_count(1)
    summary.click()
    expect(page.locator("details.revision-history")).to_have_attribute("open", "")


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_with_the_revision_history_open_pass_axe_and_fit_the_screen(
    live_server, browser, width
):
    module = build_module()
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    axe = Axe()
    for url in [
        module.home.url,
        module.comparison.url,
        module.roles[0].url,
        module.aspects[0].url,
    ]:
        page.goto(live_server.url + url)
        expect(page.locator(".page-history")).to_be_hidden()  # closed until asked for
        open_revision_history(page)
        expect(page.locator(".page-history").first).to_be_visible()
        results = axe.run(page)
        assert results.violations_count == 0, f"{url}:\n{results.generate_report()}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    context.close()


def test_phones_label_each_cell_with_its_role_in_its_colour(live_server, browser):
    module = build_module()
    context = browser.new_context(viewport={"width": 360, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + module.comparison.url)
    cell = page.locator("table.comparison tbody td").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == f'"{module.roles[0].title}"'
    background = cell.evaluate("td => getComputedStyle(td, '::before').backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # the role's colour
    context.close()


def test_a_focused_button_shows_a_visible_focus_ring(live_server, browser):
    module = build_module()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(live_server.url + module.comparison.url)
    open_revision_history(page)
    button = page.locator("form.as-of .button")
    page.locator("#as-of-date").focus()
    before = button.evaluate("b => getComputedStyle(b).outlineStyle")
    for _ in range(5):  # the date field's own parts, then the button
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    style = button.evaluate(
        "b => { const s = getComputedStyle(b); return [s.outlineStyle, s.outlineWidth,"
        " s.outlineColor, s.boxShadow]; }"
    )
    assert before == "none"  # positive control: no ring while the focus is elsewhere
    assert style[0] == "solid" and style[1] == "3px", style
    assert style[2] == "rgb(255, 191, 71)", style  # --focus
    assert "rgb(27, 31, 36)" in style[3], style  # and its dark edge, for light backgrounds
