"""The whole editorial flow in a real Chromium: draft, submit, approve, compare, revert."""

import re

import pytest
from playwright.sync_api import expect

from roles.models import AspectPage
from tests import factories
from tests.conftest import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("wagtail_root"),
]

ORIGINAL = "Manages multiple related projects aligning with strategic business goals"
CHANGED = "Leads a portfolio of related projects towards one strategic goal"
NOTE = "Clarified the Scope statement for program managers"
PASSWORD = "correct horse battery"


def sign_in(browser, live_server, user):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Comparison matrix")).to_be_visible()
    return page


def public_table(browser, live_server, url):
    page = browser.new_page()
    page.goto(live_server.url + url)
    text = page.locator("table.comparison").inner_text()
    page.close()
    return text


def test_editor_changes_a_statement_moderator_approves_then_reverts(browser, live_server):
    module = build_module(roles=0, aspects=0, lessons=1)
    program = factories.RolePageFactory(
        parent=module.role_index, title="Technical Program Manager", abbreviation="TPM"
    )
    project = factories.RolePageFactory(
        parent=module.role_index, title="Technical Project Manager", abbreviation="TPM"
    )
    scope = factories.AspectPageFactory(
        parent=module.comparison,
        title="Scope",
        statements={program: ORIGINAL, project: "Focuses on a single project"},
    )
    editor = factories.UserFactory(groups=["Editors"], first_name="Eddie", last_name="Editor")
    moderator = factories.UserFactory(groups=["Moderators"], first_name="Mo", last_name="Mod")
    table_url = module.comparison.url
    edit_url = f"{live_server.url}/admin/pages/{scope.pk}/edit/"

    # The editor rewords the statement and saves a draft: learners still see the original.
    ed = sign_in(browser, live_server, editor)
    ed.goto(edit_url)
    ed.fill("#id_statements-0-statement", CHANGED)
    ed.fill("#id_change_note", NOTE)
    ed.get_by_role("button", name="Save draft").click()
    expect(ed.get_by_text("Page 'Scope' has been updated.")).to_be_visible()
    assert ORIGINAL in public_table(browser, live_server, table_url)

    # ... then submits it; there is no way for an editor to publish.
    ed.get_by_role("button", name="More actions").click()
    expect(ed.locator("button[name=action-publish]")).to_have_count(0)
    ed.get_by_role("button", name="Submit to Moderators approval").click()
    expect(ed.get_by_text("has been submitted for moderation")).to_be_visible()
    assert CHANGED not in public_table(browser, live_server, table_url)

    # The moderator approves and publishes.
    mo = sign_in(browser, live_server, moderator)
    mo.goto(edit_url)
    mo.get_by_role("button", name="More actions").click()
    mo.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(mo.get_by_text("Page 'Scope' has been updated.")).to_be_visible()
    assert CHANGED in public_table(browser, live_server, table_url)
    mo.goto(live_server.url + scope.url)
    expect(mo.locator(".page-history")).to_contain_text(NOTE)

    # History -> compare shows the reworded statement.
    mo.goto(f"{live_server.url}/admin/pages/{scope.pk}/history/")
    # The editor's first draft is the revision that changed the wording (newest rows first).
    first_draft = mo.locator("main tbody tr").filter(has_text="Draft saved").last
    first_draft.get_by_role("button", name="Actions").click()
    mo.get_by_role("link", name=re.compile("Compare with previous version")).click()
    expect(mo.locator("main")).to_contain_text("Statements")
    expect(mo.locator(".deletion").first).to_be_visible()
    assert "Manages multiple" in " ".join(mo.locator(".deletion").all_inner_texts())
    assert "Leads a portfolio" in " ".join(mo.locator(".addition").all_inner_texts())

    # Revert to the first revision and publish: the original wording is back.
    first = scope.revisions.order_by("created_at").first()
    mo.goto(f"{live_server.url}/admin/pages/{scope.pk}/revisions/{first.pk}/revert/")
    expect(mo.locator("#id_statements-0-statement")).to_have_value(ORIGINAL)
    mo.get_by_role("button", name="More actions").click()
    mo.locator("button[name=action-publish]").click()
    expect(mo.get_by_text("has been published")).to_be_visible()
    assert ORIGINAL in public_table(browser, live_server, table_url)
    assert (
        AspectPage.objects.get(pk=scope.pk).live_revision.content["statements"][0]["statement"]
        == ORIGINAL
    )
