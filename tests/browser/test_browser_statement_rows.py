"""The aspect editor's statement rows are headed by their role, and a new row starts on the
first role without a statement (static/js/admin-statements.js)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import factories
from tests.browser.test_browser_editor import sign_in
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


def heading(page, index):
    return page.locator(f"#inline_child_statements-{index} [data-panel-heading-text]")


def test_rows_are_headed_by_their_role_and_a_new_row_takes_the_next_role(browser, live_server):
    module = build_module(roles=2, aspects=1, lessons=1)
    first, second = module.roles
    third = factories.RolePageFactory(parent=module.role_index, title="Engineering Manager")
    fourth = factories.RolePageFactory(parent=module.role_index, title="Delivery Lead")
    aspect = module.aspects[0]
    editor = factories.UserFactory(groups=["Editors"])
    ed = sign_in(browser, live_server, editor)
    ed.goto(f"{live_server.url}/admin/pages/{aspect.pk}/edit/")

    expect(heading(ed, 0)).to_have_text(first.title, use_inner_text=True)
    expect(heading(ed, 1)).to_have_text(second.title, use_inner_text=True)
    expect(ed.get_by_role("heading", name="Statement 1")).to_have_count(0)

    # Deleting a row frees its role; adding a row starts on the first free one in tree order.
    ed.locator("#id_statements-0-DELETE-button").click()
    ed.locator("#id_statements-ADD").click()
    expect(ed.locator("#id_statements-2-role")).to_have_value(str(first.pk))
    expect(heading(ed, 2)).to_have_text(first.title, use_inner_text=True)
    ed.locator("#id_statements-ADD").click()
    expect(ed.locator("#id_statements-3-role")).to_have_value(str(third.pk))
    expect(heading(ed, 3)).to_have_text("Engineering Manager", use_inner_text=True)

    # The heading follows the select.
    ed.locator("#id_statements-3-role").select_option(str(fourth.pk))
    expect(heading(ed, 3)).to_have_text("Delivery Lead", use_inner_text=True)
    ed.locator("#id_statements-3-role").select_option("")
    expect(heading(ed, 3)).to_have_text("New statement", use_inner_text=True)
    # What the script changes: the Statements panel (Wagtail's rich text editor elsewhere on
    # the page, Draftail, has an unnamed textbox of its own, aria-input-field-name).
    panel = "#panel-child-content-statements-section"
    expect(ed.locator(panel)).to_be_visible()
    results = Axe().run(ed, context=panel)
    assert results.violations_count == 0, results.generate_report()
