"""Issue 16's "done when", in a real Chromium: an editor adds a role and fills its column from
the matrix, submits everything; a moderator publishes the column, then the role; a typo fix in
another aspect is published meanwhile, and no aspect is ever blocked."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from roles.models import AspectPage, RolePage
from tests import factories
from tests.browser.test_browser import assert_no_violations
from tests.browser.test_browser_editor import public_table, sign_in
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]


def fill_cell(page, aspect, role, text, button):
    """Open a cell's form in the matrix, type, press ``button``; wait for its message."""
    form = page.locator(f"form[action$='/cell/{aspect.pk}/{role.pk}/']")
    cell = form.locator("xpath=ancestor::td")
    cell.locator("summary").click()
    form.locator("textarea").fill(text)
    form.get_by_role("button", name=button).click()
    return cell


def test_a_new_roles_column_filled_from_the_matrix_and_published(browser, live_server):
    module = build_module(roles=2, aspects=3, lessons=1)
    editor = factories.UserFactory(groups=["Editors"], first_name="Eddie", last_name="Editor")
    moderator = factories.UserFactory(groups=["Moderators"], first_name="Mo", last_name="Mod")
    # The editor's new role: a draft, as "Save draft" on the add page leaves it.
    manager = factories.RolePageFactory(
        parent=module.role_index, title="Engineering Manager", live=False
    )
    matrix_url = f"{live_server.url}/admin/comparison-matrix/"
    table_url = module.comparison.url

    ed = sign_in(browser, live_server, editor)
    ed.goto(matrix_url)
    expect(ed.locator("td.matrix__incomplete")).to_contain_text("Incomplete: 3 missing statements")
    assert_no_violations(Axe(), ed)

    # The editor fills the new role's column, cell by cell, without leaving the matrix.
    for i, aspect in enumerate(module.aspects[:2]):
        cell = fill_cell(ed, aspect, manager, f"Leads the engineers, {i}", "Save draft")
        expect(cell.locator(".matrix__result")).to_contain_text("Saved as a draft")
        expect(cell).to_have_attribute("data-state", "draft")
    expect(ed.locator("#matrix-status")).to_contain_text("Saved as a draft")

    # Meanwhile a moderator fixes a typo in another aspect and publishes it: not blocked.
    mo = sign_in(browser, live_server, moderator)
    mo.goto(matrix_url)
    last, first_role = module.aspects[2], module.roles[0]
    cell = fill_cell(mo, last, first_role, "A typo, fixed", "Publish")
    expect(cell.locator(".matrix__result")).to_contain_text("Published")
    assert "A typo, fixed" in public_table(browser, live_server, table_url)

    # The editor fills the last cell (reloading: the typo fix is there) and submits everything.
    ed.goto(matrix_url)
    cell = fill_cell(ed, last, manager, "Leads the engineers, 2", "Save draft")
    expect(cell.locator(".matrix__result")).to_contain_text("Saved as a draft")
    ed.get_by_role("link", name="Submit all changes for moderation").click()
    ed.get_by_role("button", name="Submit 3 aspects for moderation").click()
    expect(ed.get_by_text("Submitted for moderation:")).to_be_visible()
    assert "Leads the engineers" not in public_table(browser, live_server, table_url)
    # ... and the role itself: its statements are drafts in moderation, which will do.
    ed.goto(f"{live_server.url}/admin/pages/{manager.pk}/edit/")
    ed.get_by_role("button", name="More actions").click()
    ed.locator("button[name=action-submit]").click()
    expect(ed.get_by_text("has been submitted for moderation")).to_be_visible()

    # The role cannot go live before its column: the moderator is told which to publish.
    mo.goto(f"{live_server.url}/admin/pages/{manager.pk}/edit/")
    mo.get_by_role("button", name="More actions").click()
    mo.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(mo.locator(".messages")).to_contain_text("are drafts: publish them first")
    assert not RolePage.objects.get(pk=manager.pk).live

    # The moderator publishes the column, then the role: learners see three roles.
    mo.goto(matrix_url)
    expect(
        mo.locator(f"form[action$='/cell/{last.pk}/{manager.pk}/']").locator("xpath=ancestor::td")
    ).to_have_attribute("data-state", "moderation")
    mo.locator(f"a[href$='bulk/?action=publish&role={manager.pk}']").click()
    mo.get_by_role("button", name="Publish 3 aspects").click()
    expect(mo.get_by_text("Published:")).to_be_visible()
    mo.goto(f"{live_server.url}/admin/pages/{manager.pk}/edit/")
    mo.get_by_role("button", name="More actions").click()
    mo.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(mo.locator(".messages")).to_contain_text("has been updated")

    table = public_table(browser, live_server, table_url)
    assert "Engineering Manager" in table and "Leads the engineers, 2" in table
    assert "A typo, fixed" in table
    api = mo.request.get(f"{live_server.url}/api/v3/comparison/")
    roles = [role["title"] for role in json.loads(api.text())["roles"]]
    assert len(roles) == 3 and "Engineering Manager" in roles
    infographic = mo.request.get(f"{live_server.url}{table_url}infographic/").text()
    assert infographic.count("Engineering Manager") >= 1 and "Leads the engineers" in infographic
    assert RolePage.objects.get(pk=manager.pk).live
    for aspect in AspectPage.objects.filter(pk__in=[a.pk for a in module.aspects]):
        assert not aspect.has_unpublished_changes


def test_open_in_editor_focuses_the_roles_row_or_adds_it_and_comes_back(browser, live_server):
    module = build_module(roles=2, aspects=1, lessons=1)
    editor = factories.UserFactory(groups=["Editors"])
    manager = factories.RolePageFactory(
        parent=module.role_index, title="Engineering Manager", live=False
    )
    aspect, second = module.aspects[0], module.roles[1]
    ed = sign_in(browser, live_server, editor)
    ed.goto(f"{live_server.url}/admin/comparison-matrix/")

    # An existing statement: its row's textarea has the focus.
    link = ed.locator(f"a.matrix__open[href*='/pages/{aspect.pk}/edit/?role={second.pk}&']")
    link.click()
    expect(ed.locator("#id_statements-1-statement")).to_be_focused()

    # A missing one: a row is added for the role, focused; saving returns to the matrix.
    ed.goto(f"{live_server.url}/admin/comparison-matrix/")
    ed.locator(f"a.matrix__open[href*='?role={manager.pk}&']").click()
    expect(ed.locator("#id_statements-2-statement")).to_be_focused()
    expect(ed.locator("#id_statements-2-role")).to_have_value(str(manager.pk))
    ed.locator("#id_statements-2-statement").fill("Leads the engineers")
    ed.get_by_role("button", name="Save draft").click()
    expect(ed).to_have_url(f"{live_server.url}/admin/comparison-matrix/")
    cell = ed.locator(f"form[action$='/cell/{aspect.pk}/{manager.pk}/']").locator(
        "xpath=ancestor::td"
    )
    expect(cell).to_have_attribute("data-state", "draft")
    expect(cell).to_contain_text("Leads the engineers")
